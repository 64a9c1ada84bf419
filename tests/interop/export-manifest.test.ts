/**
 * A statistics bureau's check of a monthly export with independent tools: python jwcrypto
 * verifies the manifest's signature with the key of its x5c[0], openssl chains that certificate
 * to the published root, and python's hashlib recomputes the file digest and the row count.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, chinaDateOf, frozenClock, issueBirth, staffOf } from '../http/lifecycle-helpers.ts';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'bc-export-interop-'));
const file = (name: string, content: string | Uint8Array) => {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
};

const START = frozenClock().now;
let t = START.getTime();
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock: { now: () => new Date(t) } });
  const gz = await staffOf(svc, 'gz');
  for (let k = 0; k < 3; k++) await issueBirth(svc, gz, bornBefore(fixtureRecords[k]!, START, 1 + k));
  t += 3 * 60_000;
});
afterAll(async () => {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const CHECK = `
import base64, hashlib, json, sys
from jwcrypto import jwk, jws
from jwcrypto.common import base64url_decode
manifest_file, csv_file, leaf_file = sys.argv[1:4]
text = open(manifest_file).read()
header = json.loads(base64url_decode(json.loads(text)['protected']))
der = base64.b64decode(header['x5c'][0])
pem = b'-----BEGIN CERTIFICATE-----\\n' + base64.encodebytes(der) + b'-----END CERTIFICATE-----\\n'
open(leaf_file, 'wb').write(pem)
token = jws.JWS()
token.deserialize(text)
token.verify(jwk.JWK.from_pem(pem), alg='ES256')
manifest = json.loads(token.payload)
data = open(csv_file, 'rb').read()
csv = [f for f in manifest['files'] if f['format'] == 'csv'][0]
print(json.dumps({
  'typ': header['typ'],
  'digestMatches': hashlib.sha256(data).hexdigest() == csv['sha256'],
  'rows': len(data.decode('utf-8').split('\\r\\n')) - 2,
  'rowCount': manifest['rowCount'],
}))
`;

it('verifies the manifest with jwcrypto, chains its signer to the root with openssl, and proves the CSV whole', async () => {
  const from = chinaDateOf(new Date(START.getTime() - 3 * 86_400_000));
  const to = chinaDateOf(new Date(START.getTime() + 86_400_000));
  const token = await svc.token('statistician');
  const manifest = await svc.request('GET', `/api/v1/exports/births/manifest?from=${from}&to=${to}`, { token });
  expect(manifest.status).toBe(200);
  const href = JSON.parse(Buffer.from(manifest.body.payload, 'base64url').toString('utf8')).files[0].href;
  const csv = await fetch(`${svc.url}${href}`, { headers: { authorization: `Bearer ${token}` } });
  const leaf = path.join(dir, 'signer.pem');
  const { stdout } = await run('/usr/bin/python3', [
    '-c',
    CHECK,
    file('manifest.json', JSON.stringify(manifest.body)),
    file('births.csv', Buffer.from(await csv.arrayBuffer())),
    leaf,
  ]);
  expect(JSON.parse(stdout)).toEqual({
    typ: 'birth-export-manifest+jws',
    digestMatches: true,
    rows: 3,
    rowCount: 3,
  });
  const trustList = await svc.request('GET', '/api/v1/trust-list');
  const root = file('root.pem', trustList.body.root);
  const verified = await run('openssl', ['verify', '-CAfile', root, leaf]);
  expect(verified.stdout.trim()).toBe(`${leaf}: OK`);
});
