import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../http/harness.ts';

/**
 * The served OpenAPI document read by tools we did not write: Redocly's linter (its recommended
 * rules) and openapi-typescript, whose generated types a small client must compile against. They
 * run here rather than in `npm test` because they are external tools taking seconds (the CLI is
 * a separate node process); swagger-parser and the response checks run in the default project.
 */

const run = promisify(execFile);
let svc: TestService;
let dir: string;
let documentPath: string;
let openApi: unknown;

beforeAll(async () => {
  svc = await startTestService();
  openApi = (await svc.request('GET', '/openapi.json')).body;
  dir = mkdtempSync(path.join(tmpdir(), 'bc-openapi-'));
  documentPath = path.join(dir, 'openapi.json');
  writeFileSync(documentPath, JSON.stringify(openApi));
});
afterAll(async () => {
  await svc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Type-checks `files` (strict) and answers the diagnostics, one line each. */
function typeCheck(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

describe('the OpenAPI document in third-party tools', () => {
  it('passes @redocly/cli lint with the recommended rules: 0 errors', async () => {
    const cli = path.resolve('node_modules/.bin/redocly');
    // lint exits non-zero on errors; the JSON report is on stdout either way.
    const { stdout } = await run(cli, ['lint', documentPath, '--extends=recommended', '--format=json'], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('gives openapi-typescript types that a client compiles against, and that refuse a wrong client', async () => {
    writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(openApi as Parameters<typeof openapiTS>[0])));
    const client = (body: string) => `import type { components, paths } from './api';
type Json<P extends keyof paths, M extends 'get' | 'post', S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
type Issued = Json<'/api/v1/applications/{id}/issue', 'post', 201>;
type Verification = components['schemas']['VerificationResult'];
export async function issue(base: string, token: string, id: string): Promise<Issued> {
  const res = await fetch(\`\${base}/api/v1/applications/\${id}/issue\`, {
    method: 'POST',
    headers: { authorization: \`Bearer \${token}\` },
  });
  return (await res.json()) as Issued;
}
export const describeResult = (r: Verification): string => (r.valid ? r.status : (r.reason ?? 'unknown'));
${body}
`;
    writeFileSync(
      path.join(dir, 'client.ts'),
      client(`export const pdfLink = (issued: Issued): string => issued.links.pdf;
export const sample: Issued = {
  certificateNo: 'Q440000001',
  licenceId: '1.2.156.3005.2.11100000000013338W001.124401064554012343.7VJPPZ5F0HZXT4ZNM9XK.001.V',
  status: 'valid',
  links: { self: '/a', pdf: '/a/pdf', signedJson: '/a/signed.json' },
};`),
    );
    expect(typeCheck([path.join(dir, 'client.ts')])).toEqual([]);
    // The types are real: a status the document does not allow, or a missing link, does not compile.
    writeFileSync(
      path.join(dir, 'wrong-client.ts'),
      client(`export const sample: Issued = {
  certificateNo: 'Q440000001',
  licenceId: 'x',
  status: 'lost',
  links: { self: '/a', pdf: '/a/pdf' },
};`),
    );
    const diagnostics = typeCheck([path.join(dir, 'wrong-client.ts')]);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.join('\n')).toMatch(/"lost"|signedJson/);
  });
});
