/**
 * Offline verification: `tsx src/cli/verify.ts --bundle bundle.json <qr-text | file.json | file.pdf>`.
 * Needs no running service: the signed bundle carries the trust list and every status list; the
 * result's status is as of the bundle's time (`statusAsOf`).
 * Prints the verification result JSON. Exit 0 valid, 1 not valid, 2 usage error or bad bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import { openOfflineBundle } from '../domain/trust/open-offline-bundle.ts';
import { type VerificationInput, verify } from '../domain/verification/verify.ts';
import { verifyPdf } from '../domain/verification/verify-pdf.ts';
import { offlineVerificationTools } from '../operator-tools.ts';

const USAGE = `usage: verify --bundle <bundle.json> [--root <root.pem>] [--now <ISO time>] <qr-text | signed.json | qr.txt | certificate.pdf>
       verify --bundle <bundle.json> --qr <qr-text> --signed-json <signed.json>

  --root  pin the root certificate the bundle must come from (strongly recommended)
  --now   verify as of this time instead of the system clock
  A *.json file is a signed e-licence, a *.pdf file an e-certificate (its PDF signature, embedded
  e-licence and QR are checked together); any other file holds QR text (one trailing newline is dropped).`;

class UsageError extends Error {}

/** A QR text read from a file: scanners and editors end lines; the token itself never has one. */
const qrFromFile = (file: string) => readFileSync(file, 'utf8').replace(/\r?\n$/, '');

type Credential = VerificationInput | { pdf: Uint8Array };

function credentialFrom(argument: string): Credential {
  if (!existsSync(argument)) return { qr: argument };
  if (argument.toLowerCase().endsWith('.pdf')) return { pdf: readFileSync(argument) };
  if (argument.endsWith('.json')) return { signedJson: readFileSync(argument, 'utf8') };
  return { qr: qrFromFile(argument) };
}

function readInput(argv: string[]): { bundle: string; root?: string; clock?: Clock; input: Credential } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        bundle: { type: 'string' },
        root: { type: 'string' },
        now: { type: 'string' },
        qr: { type: 'string' },
        'signed-json': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || typeof values.bundle !== 'string') throw new UsageError('--bundle is required');
  const pair = typeof values.qr === 'string' || typeof values['signed-json'] === 'string';
  if (pair === (positionals.length === 1) || positionals.length > 1) {
    throw new UsageError('Give one credential, or --qr and/or --signed-json');
  }
  const input: Credential = pair
    ? {
        ...(typeof values.qr === 'string' && { qr: values.qr }),
        ...(typeof values['signed-json'] === 'string' && { signedJson: readFileSync(values['signed-json'], 'utf8') }),
      }
    : credentialFrom(positionals[0]!);
  let clock: Clock | undefined;
  if (typeof values.now === 'string') {
    const now = new Date(values.now);
    if (Number.isNaN(now.getTime())) throw new UsageError('--now is not a time');
    clock = { now: () => now };
  }
  return { bundle: values.bundle, ...(typeof values.root === 'string' && { root: values.root }), clock, input };
}

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof readInput>;
  let opened: ReturnType<typeof openOfflineBundle>;
  const tools = offlineVerificationTools();
  try {
    options = readInput(argv);
    const pinnedRootPem = options.root ? readFileSync(options.root, 'utf8') : undefined;
    opened = openOfflineBundle(JSON.parse(readFileSync(options.bundle, 'utf8')), tools, {
      pinnedRootPem,
      clock: options.clock ?? { now: () => new Date() },
    });
  } catch (error) {
    const message = error instanceof UsageError || error instanceof DomainError ? error.message : String(error);
    process.stderr.write(`${message}\n${USAGE}\n`);
    return 2;
  }
  process.stderr.write(
    `bundle as of ${opened.asOf} (statuses are as of this time); ${opened.statusLists.length} status lists; root SHA-256 ${opened.rootFingerprint}${options.root ? ' (pinned)' : ' (NOT pinned)'}\n`,
  );
  const ports = {
    trust: opened.trust,
    register: opened.register,
    jws: tools.jws,
    qr: tools.qr,
    clock: options.clock ?? { now: () => new Date() },
  };
  const result =
    'pdf' in options.input ? await verifyPdf(options.input.pdf, tools.pdf, ports) : await verify(options.input, ports);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.valid ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
