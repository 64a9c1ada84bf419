// Offline verification of a BC1: QR (docs/qr-profile.md) with a cached trust list and status list
// tokens: base45 → zlib → canonical CBOR → COSE_Sign1 → ES256 (WebCrypto, low-S only) → the claim
// map as the service reads it → issuer and key at `iat` → the 2-bit status. No dependencies: the
// same file runs in the browser and under node's WebCrypto (tests/unit/offline-verifier.test.ts).
// Outcomes are values ({valid, status, reason}), never exceptions.

const PREFIX = 'BC1:';
const MAX_QR_TEXT = 1024;
const MAX_INFLATED = 4096;
const MAX_LIST_BYTES = 4 * 1024 * 1024;
const CLOCK_SKEW_MS = 5 * 60_000;
const CHINA_OFFSET = 480;
const ID_ROOT = '1.2.156.3005.2';
const N_HALF = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n;
const REASON_OF_STATUS = ['valid', 'REVOKED', 'VOID', 'SUPERSEDED'];
const STATUS_OF_VALUE = ['valid', 'revoked', 'void', 'superseded'];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// ---- base45 (RFC 9285, strict: no stray characters, no lone last character, no overflow)
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
function base45(text) {
  const digit = (i) => {
    const d = B45.indexOf(text[i]);
    if (d < 0) throw new Error('base45');
    return d;
  };
  if (text.length % 3 === 1) return null;
  const out = [];
  try {
    for (let i = 0; i < text.length; i += 3) {
      if (i + 2 < text.length) {
        const n = digit(i) + digit(i + 1) * 45 + digit(i + 2) * 2025;
        if (n > 0xffff) return null;
        out.push(n >> 8, n & 0xff);
      } else {
        const n = digit(i) + digit(i + 1) * 45;
        if (n > 0xff) return null;
        out.push(n);
      }
    }
  } catch {
    return null;
  }
  return new Uint8Array(out);
}

/** zlib (RFC 1950) through the platform's DecompressionStream, refusing more than `limit` bytes. */
async function inflate(bytes, limit) {
  try {
    const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  } catch {
    return null;
  }
}

// ---- CBOR: exactly the deterministic subset the profile writes (RFC 8949 §4.2.1): shortest
// heads, definite lengths, map keys in bytewise order without duplicates, integers within 2^53,
// byte and text strings, arrays, maps and tag 18 at the top. Anything else is refused.
function decodeCbor(bytes, allowTag) {
  let at = 0;
  const fail = () => {
    throw new Error('cbor');
  };
  const head = () => {
    if (at >= bytes.length) fail();
    const initial = bytes[at++];
    const major = initial >> 5;
    const info = initial & 31;
    let value = info;
    if (info >= 24) {
      if (info > 27) fail();
      const size = 1 << (info - 24);
      if (at + size > bytes.length) fail();
      value = 0;
      for (let i = 0; i < size; i++) value = value * 256 + bytes[at++];
      const min = [24, 256, 65536, 2 ** 32][info - 24];
      if (value < min || value > Number.MAX_SAFE_INTEGER) fail();
    }
    return { major, value };
  };
  const item = (depth) => {
    if (depth > 8) fail();
    const { major, value } = head();
    switch (major) {
      case 0:
        return value;
      case 1:
        return -1 - value;
      case 2:
      case 3: {
        if (at + value > bytes.length) fail();
        const slice = bytes.slice(at, at + value);
        at += value;
        return major === 2 ? slice : utf8.decode(slice);
      }
      case 4: {
        const array = [];
        for (let i = 0; i < value; i++) array.push(item(depth + 1));
        return array;
      }
      case 5: {
        const map = new Map();
        let previous = null;
        for (let i = 0; i < value; i++) {
          const start = at;
          const key = item(depth + 1);
          const keyBytes = bytes.subarray(start, at);
          if (previous && compareBytes(previous, keyBytes) >= 0) fail();
          previous = keyBytes;
          map.set(key, item(depth + 1));
        }
        return map;
      }
      case 6:
        if (!allowTag || depth !== 0 || value !== 18) fail();
        return { tag: 18, contents: item(depth + 1) };
      default:
        return fail();
    }
  };
  try {
    const value = item(0);
    return at === bytes.length ? { value } : null;
  } catch {
    return null;
  }
}

function compareBytes(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function cborBytesHead(major, length) {
  if (length < 24) return [(major << 5) | length];
  if (length < 256) return [(major << 5) | 24, length];
  return [(major << 5) | 25, length >> 8, length & 0xff];
}

/** RFC 9052 §4.4: ["Signature1", protected, h'', payload]. */
function sigStructure(protectedBytes, payload) {
  const context = [0x6a, ...new TextEncoder().encode('Signature1')];
  const parts = [[0x84, ...context, ...cborBytesHead(2, protectedBytes.length)], protectedBytes, [0x40]];
  parts.push(cborBytesHead(2, payload.length), payload);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---- identifiers: GB 32100 credit codes and the GB/T 36904 e-licence identifier's check character
const CREDIT = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function isCreditCode(code) {
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT.indexOf(code[i]);
    if (value < 0) return false;
    sum += value * WEIGHTS[i];
  }
  return CREDIT[(31 - (sum % 31)) % 31] === code[17];
}
function mod37_36(text) {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let p = 36;
  for (const char of text) {
    p = (p + alphabet.indexOf(char)) % 36;
    if (p === 0) p = 36;
    p = (2 * p) % 37;
  }
  return alphabet[(37 - p) % 36];
}
function isLicenceId(id, typeCode, iss) {
  const [serial, version, check] = id.slice(`${ID_ROOT}.${typeCode}.${iss}.`.length).split('.');
  if (!/^[0-9A-HJ-NP-RTUWXY]{18}\d{3}$/.test(typeCode) || !isCreditCode(typeCode.slice(0, 18))) return false;
  return isCreditCode(iss) && check === mod37_36(typeCode + iss + serial + version);
}

// ---- the claim map (as src/domain/verification/qr-claims.ts reads it)
const pad = (n, w = 2) => String(n).padStart(w, '0');
const chinaDay = (seconds) => Math.floor((seconds * 1000 + CHINA_OFFSET * 60_000) / 86_400_000);
const dateOf = (days) => new Date(days * 86_400_000).toISOString().slice(0, 10);
function birthTimeOf(minutes, offset) {
  const local = new Date((minutes + offset) * 60_000).toISOString();
  const abs = Math.abs(offset);
  return `${local.slice(0, 16)}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
const isInt = (v) => typeof v === 'number' && Number.isSafeInteger(v);
const NAME = /^[^\p{Cc}]{1,50}$/u;
const sameKeys = (map, keys) => map instanceof Map && map.size === keys.length && keys.every((k) => map.has(k));

function readStatus(value) {
  if (!sameKeys(value, ['status_list'])) return null;
  const inner = value.get('status_list');
  if (!sameKeys(inner, ['idx', 'uri'])) return null;
  const idx = inner.get('idx');
  const uri = inner.get('uri');
  if (!isInt(idx) || idx < 0 || idx > 2 ** 32 - 1) return null;
  if (typeof uri !== 'string' || uri.length > 200 || !/^https?:\/\/[\x21-\x7e]+$/.test(uri)) return null;
  return { idx, uri };
}

function readClaims(map, typeCode) {
  if (!sameKeys(map, [1, 6, 7, 65535, -65537])) return null;
  const iss = map.get(1);
  const iat = map.get(6);
  const cti = map.get(7);
  const status = readStatus(map.get(65535));
  const c = map.get(-65537);
  if (typeof iss !== 'string' || !/^[0-9A-Z]{18}$/.test(iss) || !isInt(iat) || iat <= 0) return null;
  if (!(cti instanceof Uint8Array) || !status || !(c instanceof Map)) return null;
  let tail;
  try {
    tail = utf8.decode(cti);
  } catch {
    return null;
  }
  if (!/^[0-9A-Z]{1,20}\.[0-9]{3}\.[0-9A-Z]$/.test(tail)) return null;
  const licenceId = `${ID_ROOT}.${typeCode}.${iss}.${tail}`;
  if (!isLicenceId(licenceId, typeCode, iss)) return null;
  if ([...c.keys()].some((k) => !(isInt(k) && k >= 1 && k <= 9))) return null;
  const [no, newborn, sex, minutes, mother, digest] = [1, 2, 3, 4, 6, 8].map((k) => c.get(k));
  const offset = c.has(5) ? c.get(5) : CHINA_OFFSET;
  const cut = c.has(9) ? c.get(9) : 0;
  const day = c.has(7) ? c.get(7) : chinaDay(iat);
  if (typeof no !== 'string' || !/^[A-Z][0-9]{9}$/.test(no)) return null;
  if (typeof newborn !== 'string' || !NAME.test(newborn) || typeof mother !== 'string' || !NAME.test(mother)) return null;
  if ((sex !== 1 && sex !== 2) || !isInt(minutes)) return null;
  // An optional label holding its default would be a second encoding of the same claims.
  if (!isInt(offset) || offset < -720 || offset > 840 || (c.has(5) && offset === CHINA_OFFSET)) return null;
  if (!isInt(cut) || cut < 0 || cut > 3 || (c.has(9) && cut === 0)) return null;
  if (!(digest instanceof Uint8Array) || digest.length !== 32) return null;
  if (!isInt(day) || day < 0 || (c.has(7) && day === chinaDay(iat))) return null;
  return {
    iss,
    iat,
    status,
    certificate: {
      certificateNo: no,
      licenceId,
      newborn: { name: cut & 1 ? `${newborn}…` : newborn, sex: String(sex), birthTime: birthTimeOf(minutes, offset) },
      mother: { name: cut & 2 ? `${mother}…` : mother },
      issuer: { name: '', creditCode: iss },
      issueDate: dateOf(day),
      issuedAt: new Date(iat * 1000).toISOString(),
    },
  };
}

// ---- keys: P-256 public keys from the trust list's certificates (PEM → SPKI), cached
const base64Bytes = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64url = (text) =>
  /^[A-Za-z0-9_-]*$/.test(text) ? base64Bytes(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')) : null;
const derOfPem = (pem) => base64Bytes(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

/** The subjectPublicKeyInfo TLV of an X.509 certificate (DER). */
function spkiOf(der) {
  const tlv = (at) => {
    let length = der[at + 1];
    let start = at + 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + der[start + i];
      start += n;
    }
    return { tag: der[at], at, start, end: start + length };
  };
  const tbs = tlv(tlv(0).start);
  let field = tlv(tbs.start);
  if (field.tag === 0xa0) field = tlv(field.end);
  for (let i = 0; i < 5; i++) field = tlv(field.end); // serial → algorithm, issuer, validity, subject, SPKI
  return der.slice(field.at, field.end);
}

const keyCache = new Map();
function importPem(pem) {
  let key = keyCache.get(pem);
  if (!key) {
    key = crypto.subtle.importKey('spki', spkiOf(derOfPem(pem)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    keyCache.set(pem, key);
  }
  return key;
}

/** ES256 over `data` with r‖s, refusing the high-S twin of a genuine signature as the service does. */
async function verifiesEs256(pem, signature, data) {
  if (signature.length !== 64) return false;
  let s = 0n;
  for (const byte of signature.subarray(32)) s = (s << 8n) | BigInt(byte);
  if (s > N_HALF) return false;
  try {
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, await importPem(pem), signature, data);
  } catch {
    return false;
  }
}

// ---- status list tokens (IETF OAuth Token Status List), signed by a key the trust list names
const jsonPart = (part) => {
  const bytes = fromBase64url(part);
  if (!bytes) return null;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    return null;
  }
};

/** A checked status list token for `uri`, or null: signature by a status-list signer of the trust list, 2-bit list. */
export async function openStatusList(token, uri, trustList) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const header = jsonPart(parts[0]);
  const payload = jsonPart(parts[1]);
  const signature = fromBase64url(parts[2]);
  if (!header || !payload || !signature || header.alg !== 'ES256' || header.typ !== 'statuslist+jwt' || 'crit' in header) {
    return null;
  }
  const signer = (trustList.statusListSigners ?? []).find((s) => s.kid === header.kid);
  if (!signer) return null;
  if (Array.isArray(header.x5c) && header.x5c[0] !== btoa(String.fromCharCode(...derOfPem(signer.certificate)))) return null;
  const input = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await verifiesEs256(signer.certificate, signature, input))) return null;
  const { sub, iat, exp, status_list: list } = payload;
  if (sub !== uri || !isInt(iat) || !isInt(exp) || iat <= 0 || exp <= iat) return null;
  const iatMs = iat * 1000;
  if (iatMs < Date.parse(signer.notBefore) || iatMs > Date.parse(signer.notAfter)) return null;
  if (signer.revokedAt !== null && !(iatMs < Date.parse(signer.revokedAt))) return null;
  if (list?.bits !== 2 || typeof list.lst !== 'string') return null;
  const compressed = fromBase64url(list.lst);
  const bits = compressed && (await inflate(compressed, MAX_LIST_BYTES));
  return bits && { uri, issuedAt: iat, expiresAt: exp, bits };
}

// ---- the verifier

/**
 * Verifies a scanned QR text with the trust list and the status list tokens the caller holds.
 * `statusListOf(uri)` returns the cached token text for a list (or null). Result fields as the
 * service's POST /api/v1/verifications: valid, status, reason, statusAsOf, certificate, checks.
 */
export async function verifyQrOffline(text, { trustList, statusListOf, now = Date.now() }) {
  const checks = [];
  const finish = (reason, extra = {}) => ({
    valid: reason === null,
    status: extra.status ?? 'unknown',
    ...(reason !== null && { reason }),
    ...(extra.statusAsOf && { statusAsOf: extra.statusAsOf }),
    ...(extra.certificate && { certificate: extra.certificate }),
    checks,
  });
  const parsed = await parse(text, trustList.licenceTypeCode);
  if (!parsed) {
    checks.push({ name: 'format', result: 'fail' });
    return finish('MALFORMED');
  }
  checks.push({ name: 'format', result: 'pass' });
  const { header, claims } = parsed;
  if (header.alg !== -7 || header.crit || parsed.signature.length !== 64) {
    checks.push({ name: 'signature', result: 'fail' });
    return finish('BAD_SIGNATURE');
  }
  const kid8 = base64url(header.kid);
  const candidates = [];
  for (const issuer of trustList.issuers) {
    issuer.keys.forEach((key, i) => {
      if (key.kid8 === kid8 && issuer.certificates[i]) candidates.push({ issuer, key, pem: issuer.certificates[i] });
    });
  }
  if (candidates.length === 0) {
    checks.push({ name: 'signature', result: 'skip' }, { name: 'issuer', result: 'fail' });
    return finish('UNTRUSTED_ISSUER');
  }
  let found = null;
  for (const candidate of candidates) {
    if (await verifiesEs256(candidate.pem, parsed.signature, parsed.toBeSigned)) {
      found = candidate;
      break;
    }
  }
  if (!found) {
    checks.push({ name: 'signature', result: 'fail' });
    return finish('BAD_SIGNATURE');
  }
  checks.push({ name: 'signature', result: 'pass' });

  const issuerReason = judgeIssuer(found, claims, now);
  if (issuerReason === 'UNTRUSTED_ISSUER') {
    checks.push({ name: 'issuer', result: 'fail' });
    return finish('UNTRUSTED_ISSUER');
  }
  const certificate = { ...claims.certificate, issuer: { name: found.issuer.name, creditCode: claims.iss } };
  if (issuerReason) {
    checks.push({ name: 'issuer', result: 'fail' });
    return finish(issuerReason, { certificate });
  }
  checks.push({ name: 'issuer', result: 'pass' });

  const { uri, idx } = claims.status;
  const list = await openStatusList(await statusListOf(uri), uri, trustList);
  const byte = list?.bits[idx >> 2];
  if (!list || now >= list.expiresAt * 1000 || byte === undefined) {
    checks.push({ name: 'status', result: 'fail' });
    return finish('STATUS_UNAVAILABLE', { certificate });
  }
  const value = (byte >> ((idx % 4) * 2)) & 3;
  const statusAsOf = new Date(list.issuedAt * 1000).toISOString();
  checks.push({ name: 'status', result: value === 0 ? 'pass' : 'fail' });
  const reason = value === 0 ? null : REASON_OF_STATUS[value];
  return finish(reason, { status: STATUS_OF_VALUE[value], statusAsOf, certificate });
}

/** The key judged at the signing time (src/domain/verification/check-issuer.ts judgeKeyAt). */
function judgeIssuer({ issuer, key }, claims, now) {
  if (issuer.creditCode !== claims.iss) return 'UNTRUSTED_ISSUER';
  const signedAt = claims.iat * 1000;
  const revokedAt = key.revokedAt === null ? Number.NaN : Date.parse(key.revokedAt);
  if ((key.status === 'revoked' || key.revokedAt !== null) && !(signedAt < revokedAt)) return 'ISSUER_REVOKED';
  if (signedAt > now + CLOCK_SKEW_MS) return 'UNTRUSTED_ISSUER';
  if (!(signedAt >= Date.parse(key.notBefore) && signedAt <= Date.parse(key.notAfter))) return 'UNTRUSTED_ISSUER';
  if (key.retiredAt !== null && !(signedAt <= Date.parse(key.retiredAt))) return 'UNTRUSTED_ISSUER';
  return null;
}

/** `BC1:` → COSE_Sign1 with an ES256-shaped header and our claims, or null (MALFORMED). */
async function parse(text, typeCode) {
  if (typeof text !== 'string' || text.length > MAX_QR_TEXT || !text.startsWith(PREFIX)) return null;
  const raw = base45(text.slice(PREFIX.length));
  if (!raw || raw.length === 0) return null;
  const bytes = raw[0] === 0x78 ? await inflate(raw, MAX_INFLATED) : raw;
  const top = bytes && decodeCbor(bytes, true);
  if (!top) return null;
  const sign1 = top.value?.tag === 18 ? top.value.contents : top.value;
  if (!Array.isArray(sign1) || sign1.length !== 4) return null;
  const [protectedBytes, unprotected, payload, signature] = sign1;
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    return null;
  }
  if (!(unprotected instanceof Map) || unprotected.size !== 0 || protectedBytes.length === 0) return null;
  const headerMap = decodeCbor(protectedBytes, false)?.value;
  const claimsMap = decodeCbor(payload, false)?.value;
  if (!(headerMap instanceof Map) || !(claimsMap instanceof Map)) return null;
  if ([...headerMap.keys()].some((label) => label !== 1 && label !== 2 && label !== 4)) return null;
  const kid = headerMap.get(4);
  if (!(kid instanceof Uint8Array) || kid.length !== 8 || !headerMap.has(1)) return null;
  const claims = readClaims(claimsMap, typeCode);
  if (!claims) return null;
  return {
    header: { alg: headerMap.get(1), kid, crit: headerMap.has(2) },
    claims,
    signature,
    toBeSigned: sigStructure(protectedBytes, payload),
  };
}
