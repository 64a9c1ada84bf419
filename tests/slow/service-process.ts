import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Launched {
  child: ChildProcess;
  url: string;
}

/**
 * A real service process for the kill tests: `src/main.ts` through tsx on an ephemeral port,
 * resolved with the url from its 'listening' log line. `spawned` sees the child at once, so a
 * test's clean-up can kill one that never came up.
 */
export function launchService(options: {
  dataDir: string;
  passphrase: string;
  env?: Record<string, string>;
  spawned?: (child: ChildProcess) => void;
}): Promise<Launched> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      KEY_PASSPHRASE: options.passphrase,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.spawned?.(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'listening' line within 30 s: ${stderr}`)), 30_000);
    // Every line is read (and all but one dropped) so the child never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"listening"')) return;
      clearTimeout(timer);
      resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
}

/** SIGKILL, resolved once the process is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
