import { createHash } from 'node:crypto';
import { sql as raw } from 'kysely';
import type { Sql } from './sql.ts';

/*
 * A back-issued batch's e-licences share their JWS protected header (migration 023): it is stored
 * once in `jws_headers`, and such a row's `signed_json` is the JWS without its first member.
 * JSON.stringify of a flattened JWS writes `{"protected":"…","payload":…}`, and base64url needs
 * no escaping, so the text splits and joins again exactly, byte for byte.
 */
const PROTECTED_MEMBER = '{"protected":"';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A signed e-licence's protected header and the rest of its text, or null when it is not of that form. */
function splitProtectedHeader(signedJson: string): { protected: string; rest: string } | null {
  if (!signedJson.startsWith(PROTECTED_MEMBER)) return null;
  const end = signedJson.indexOf('"', PROTECTED_MEMBER.length);
  if (end === -1 || signedJson[end + 1] !== ',') return null;
  const part = signedJson.slice(PROTECTED_MEMBER.length, end);
  return BASE64URL.test(part) ? { protected: part, rest: `{${signedJson.slice(end + 2)}` } : null;
}

/**
 * How a back-issued e-licence is stored: the rest of its text, and its header named by its
 * SHA-256 (base64url); null when it is not of the usual form (it is then stored whole).
 */
export function sharedHeaderOf(
  signedJson: string,
): { rest: string; header: { digest: string; protected: string } } | null {
  const split = splitProtectedHeader(signedJson);
  if (!split) return null;
  const digest = createHash('sha256').update(split.protected, 'latin1').digest('base64url');
  return { rest: split.rest, header: { digest, protected: split.protected } };
}

/** Stores a shared header unless it is there already (a header is named by its content). */
export const insertJwsHeader = (sql: Sql, header: { digest: string; protected: string }) =>
  sql.run(
    sql.db
      .insertInto('jws_headers')
      .values(header)
      .onConflict((oc) => oc.column('digest').doNothing()),
  );

/** `certificates.signed_json` as it was signed: a shared header put back in front of the rest. */
export const signedJsonColumn = raw<string>`CASE WHEN certificates.jws_header IS NULL THEN certificates.signed_json
  ELSE ${raw.lit(PROTECTED_MEMBER)} || (SELECT h.protected FROM jws_headers h WHERE h.digest = certificates.jws_header)
    || '",' || substr(certificates.signed_json, 2) END`.as('signed_json');
