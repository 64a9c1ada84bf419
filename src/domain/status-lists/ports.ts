import type { CertificateStatus } from '../certificate.ts';
import type { StatusReference } from '../verification/ports.ts';

/** One status list: a partition of the certificates (one issuing institution, one year of issue). */
export interface StatusListRecord {
  id: string;
  /** The URI certificates name it by (`sub` of its token); fixed when the list is created. */
  uri: string;
  institution: string;
  year: number;
  /** Entries (indexes 0 … size-1). */
  size: number;
  /** Moves on every change of an entry (a new certificate, or a status change). */
  revision: number;
}

/** Status lists and the certificates' places in them (storage adapter). */
export interface StatusListStore {
  /**
   * The certificate's entry: the one it already has (a retried issue signs again with the same
   * number), else a random index never used before in the open list of its partition.
   */
  assign(certificateNo: string, partition: { institution: string; year: number }): StatusReference;
  /** `assign` for each item, in one unit of work: the places in the items' order. */
  assignAll(
    items: readonly { certificateNo: string; partition: { institution: string; year: number } }[],
  ): StatusReference[];
  find(id: string): StatusListRecord | null;
  all(): StatusListRecord[];
  /** Every non-valid entry of the list with its register status (valid entries are zero bits). */
  nonValidEntries(id: string): { idx: number; status: CertificateStatus }[];
  /** The entry the register assigned to a certificate, or null. */
  entryOf(certificateNo: string): StatusReference | null;
  /** Changes when any list may have changed, by this process or another. */
  changeMark(): string;
}

/** zlib (RFC 1950), which the status list format prescribes, and base64url for the token. */
export interface StatusListCompression {
  deflate(bytes: Uint8Array): Uint8Array;
  /**
   * base64url without padding. Through the port because a list of millions of entries is
   * hundreds of kilobytes: the domain's plain-TypeScript codec takes ~30 ms per 300 KB.
   */
  toBase64url(bytes: Uint8Array): string;
  /** null when the bytes are not a zlib stream or inflate beyond `maxBytes`. */
  inflate(bytes: Uint8Array, maxBytes: number): Uint8Array | null;
}

/** Gives each certificate its place in a status list at issue. */
export interface StatusListAssigner {
  assign(certificateNo: string, institution: string, issuedAt: Date): StatusReference;
  /** Places for many certificates issued at one instant (a back-issued batch), in their order. */
  assignAll(items: readonly { certificateNo: string; institution: string }[], issuedAt: Date): StatusReference[];
}
