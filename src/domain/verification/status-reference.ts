import type { StatusReference } from './ports.ts';
import { MAX_STATUS_URI_LENGTH } from './profile.ts';

/** An absolute http(s) URI of printable ASCII: what a status list's `sub` and a reference's `uri` are. */
const STATUS_URI = /^https?:\/\/[\x21-\x7e]+$/;
/** Indexes are 32-bit: no list we make is longer than 2^32 entries. */
const MAX_INDEX = 2 ** 32 - 1;

export const isStatusUri = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_STATUS_URI_LENGTH && STATUS_URI.test(value);

const isIndex = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_INDEX;

/** `{status_list: {idx, uri}}` with nothing else in either object: from JSON (objects) or CBOR (maps). */
export function readStatusReference(value: unknown): StatusReference | null {
  const outer = entriesOf(value);
  if (outer?.size !== 1) return null;
  const inner = entriesOf(outer.get('status_list'));
  if (inner?.size !== 2) return null;
  const idx = inner.get('idx');
  const uri = inner.get('uri');
  return isIndex(idx) && isStatusUri(uri) ? { idx, uri } : null;
}

function entriesOf(value: unknown): Map<unknown, unknown> | null {
  if (value instanceof Map) return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    return new Map(Object.entries(value));
  }
  return null;
}

/** The JSON form both credentials carry. */
export const statusClaimOf = (reference: StatusReference) => ({
  status_list: { idx: reference.idx, uri: reference.uri },
});
