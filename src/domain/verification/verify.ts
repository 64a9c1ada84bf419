import { checkConsistency } from './check-consistency.ts';
import { checkIssuer } from './check-issuer.ts';
import { checkSignature } from './check-signature.ts';
import { checkStatus, type StatusOutcome } from './check-status.ts';
import { parseQrToken } from './parse-qr-token.ts';
import { parseSignedELicence } from './parse-signed-elicence.ts';
import type { VerificationPorts } from './ports.ts';
import type { PresentedCredential } from './presented-credential.ts';
import type { CheckName, CheckResult, PresentedCertificate, VerificationReason, VerificationResult } from './result.ts';

export interface VerificationInput {
  /** The QR text exactly as scanned. */
  qr?: unknown;
  /** The flattened JWS object, or its JSON text. */
  signedJson?: unknown;
}

class Run {
  readonly checks: { name: CheckName; result: CheckResult }[] = [];
  certificate: PresentedCertificate | undefined;

  step(name: CheckName, result: CheckResult): void {
    this.checks.push({ name, result });
  }

  /** Field order as in the API contract; absent fields are left out, not set to undefined. */
  finish(reason: VerificationReason | null, status?: StatusOutcome): VerificationResult {
    return {
      valid: reason === null,
      status: status?.status ?? 'unknown',
      ...(reason !== null && { reason }),
      ...(status?.supersededBy && { supersededBy: status.supersededBy }),
      ...(status?.asOf && { statusAsOf: status.asOf }),
      ...(this.certificate && { certificate: this.certificate }),
      ...(status?.entry?.backfilled === true && { backfilled: true as const }),
      householdRegistered: status?.householdRegistered ?? false,
      checks: this.checks,
    };
  }
}

function parseAll(input: VerificationInput, ports: VerificationPorts): PresentedCredential[] | null {
  if (input === null || typeof input !== 'object') return null;
  const credentials: PresentedCredential[] = [];
  if (input.signedJson !== undefined) {
    const parsed = parseSignedELicence(input.signedJson);
    if (!parsed.ok) return null;
    credentials.push(parsed.credential);
  }
  if (input.qr !== undefined) {
    const parsed = parseQrToken(input.qr, ports.qr, ports.trust.licenceTypeCode());
    if (!parsed.ok) return null;
    credentials.push(parsed.credential);
  }
  return credentials.length > 0 ? credentials : null;
}

function presentedCertificate(credential: PresentedCredential, issuerName: string): PresentedCertificate {
  return {
    certificateNo: credential.certificateNo,
    licenceId: credential.licenceId,
    newborn: { ...credential.newborn },
    mother: { ...credential.mother },
    issuer: { name: credential.issuerName ?? issuerName, creditCode: credential.issuerCreditCode },
    issueDate: credential.issueDate,
    issuedAt: new Date(credential.signedAtMs).toISOString(),
  };
}

/**
 * The one verifier: format → signature → issuer → status → consistency, stopping at the first
 * failure. Every outcome for a presented credential is a value; the promise rejects only when
 * a trust or register port itself fails (the caller's infrastructure, not the credential).
 * With both a QR and a signed e-licence, each must pass every check and they must agree.
 */
export async function verify(input: VerificationInput, ports: VerificationPorts): Promise<VerificationResult> {
  const run = new Run();
  const nowMs = ports.clock.now().getTime();
  let credentials: PresentedCredential[] | null;
  try {
    credentials = parseAll(input, ports);
  } catch {
    credentials = null;
  }
  if (!credentials) {
    run.step('format', 'fail');
    return run.finish('MALFORMED');
  }
  run.step('format', 'pass');

  const signatures = [];
  for (const credential of credentials) signatures.push(await checkSignature(credential, ports.jws, ports.trust));
  if (signatures.some((outcome) => outcome.result === 'fail')) {
    run.step('signature', 'fail');
    return run.finish('BAD_SIGNATURE');
  }
  if (signatures.some((outcome) => outcome.result === 'skip')) {
    run.step('signature', 'skip');
    run.step('issuer', 'fail');
    return run.finish('UNTRUSTED_ISSUER');
  }
  run.step('signature', 'pass');

  let issuerFailure: VerificationReason | null = null;
  for (const [index, credential] of credentials.entries()) {
    const signature = signatures[index]!;
    if (signature.result !== 'pass') continue;
    const issuer = await checkIssuer(credential, signature, ports, nowMs);
    if (issuer.result === 'fail' && issuer.reason === 'UNTRUSTED_ISSUER') {
      run.certificate = undefined;
      issuerFailure = 'UNTRUSTED_ISSUER';
      break;
    }
    // The first credential (the e-licence when both are presented) is the one shown.
    if (index === 0) run.certificate = presentedCertificate(credential, issuer.key.institution.name);
    if (issuer.result === 'fail') issuerFailure = issuer.reason;
  }
  if (issuerFailure) {
    run.step('issuer', 'fail');
    return run.finish(issuerFailure);
  }
  run.step('issuer', 'pass');

  const primary = credentials[0]!;
  const status = await checkStatus(ports.register, primary);
  run.step('status', status.result);
  if (status.result === 'fail') return run.finish(status.reason ?? 'NOT_FOUND', status);

  const consistency = checkConsistency(credentials, status.entry, ports.jws);
  if (consistency === null) return run.finish(null, status);
  run.step('consistency', consistency);
  return run.finish(consistency === 'pass' ? null : 'DATA_MISMATCH', status);
}
