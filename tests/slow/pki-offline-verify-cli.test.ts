import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerificationResult } from '../../src/domain/verification/result.ts';
import { loadVectors } from '../vectors/load-vectors.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '../..');
const { vectors, bundleFile, rootPemFile, context } = loadVectors();
const vector = (name: string) => vectors.find((candidate) => candidate.name === name)!;
const scratch = mkdtempSync(path.join(tmpdir(), 'verify-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin/tsx'), ['src/cli/verify.ts', ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * What the CLI reports for a vector: the status is the bundle's status list entry as of the
 * bundle's time; a status list names no successor, so `supersededBy` is an online-only answer.
 */
function offline(expected: VerificationResult): VerificationResult {
  const { supersededBy: _online, ...rest } = expected;
  const statusChecked = expected.checks.some((check) => check.name === 'status');
  return statusChecked ? { ...rest, statusAsOf: context.now.replace('Z', '.000Z') } : rest;
}

describe('the offline verify CLI', () => {
  it('verifies a QR text with only the bundle: exit 0 and the result JSON', async () => {
    const { code, stdout, stderr } = await cli(
      '--bundle',
      bundleFile,
      '--root',
      rootPemFile,
      '--now',
      context.now,
      vector('valid-qr').input.qr as string,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(offline(vector('valid-qr').expected));
    expect(stderr).toMatch(/^bundle as of 2026-12-01T00:00:00.000Z \(statuses are as of this time\); 1 status lists/);
    expect(stderr).toMatch(/\(pinned\)/);
  });

  it('verifies a signed.json file and exits 1 when it is not valid', async () => {
    const file = path.join(scratch, 'signed.json');
    writeFileSync(file, JSON.stringify(vector('superseded').input.signedJson));
    const { code, stdout } = await cli('--bundle', bundleFile, '--now', context.now, file);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual(offline(vector('superseded').expected));
  });

  it('takes a QR and its e-licence together', async () => {
    const { input, expected } = vector('qr-digest-mismatch');
    const file = path.join(scratch, 'resigned.json');
    writeFileSync(file, JSON.stringify(input.signedJson));
    const { code, stdout } = await cli(
      '--bundle',
      bundleFile,
      '--now',
      context.now,
      '--qr',
      input.qr as string,
      '--signed-json',
      file,
    );
    expect([code, JSON.parse(stdout)]).toEqual([1, offline(expected)]);
  });

  it('exits 2 on a usage error, an unreadable bundle or another root than the pinned one', async () => {
    expect((await cli('some-qr')).code).toBe(2);
    expect((await cli('--bundle', rootPemFile, 'some-qr')).code).toBe(2);
    const otherRoot = path.join(root, 'keys.example/root.pem');
    const pinned = await cli('--bundle', bundleFile, '--root', otherRoot, 'some-qr');
    expect([pinned.code, pinned.stderr]).toEqual([2, expect.stringContaining('not from the pinned root')]);
  });
});
