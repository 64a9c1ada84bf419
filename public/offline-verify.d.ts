// Types of the browser's offline verifier (offline-verify.js, plain JS served as it is).
import type { TrustList } from '../src/domain/trust/build-trust-list.ts';
import type { PresentedCertificate, VerificationReason, VerificationStatus } from '../src/domain/verification/result.ts';

export interface OfflineResult {
  valid: boolean;
  status: VerificationStatus;
  reason?: VerificationReason;
  statusAsOf?: string;
  certificate?: PresentedCertificate;
  checks: { name: string; result: string }[];
}

export function verifyQrOffline(
  text: unknown,
  options: { trustList: TrustList; statusListOf: (uri: string) => Promise<string | null>; now?: number },
): Promise<OfflineResult>;

export function openStatusList(
  token: unknown,
  uri: string,
  trustList: TrustList,
): Promise<{ uri: string; issuedAt: number; expiresAt: number; bits: Uint8Array } | null>;
