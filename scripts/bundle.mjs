/**
 * Bundles the service (src/main.ts and everything it imports) into one file, dist/main.js, which
 * `npm start` runs: one module to load instead of several hundred halves the start's module
 * loading. Run after `tsc` (npm run build): files found relative to a module (migrations, the
 * PDF worker script, fonts and data packages) are still found through the compiled tree beside
 * it, because each module's `import.meta.url` is rewritten to its compiled counterpart's URL.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist', 'main.js');

/** src/a/b.ts (or .tsx) → the URL of dist/src/a/b.js, relative to the bundle. */
const compiledUrlOf = {
  name: 'compiled-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const compiled = path.join(root, 'dist', path.relative(root, args.path)).replace(/\.tsx?$/, '.js');
      const relative = `./${path.relative(path.dirname(outfile), compiled).split(path.sep).join('/')}`;
      return {
        contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`),
        loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
      };
    });
  },
};

await build({
  entryPoints: [path.join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // A native addon: loaded from node_modules as it is.
  external: ['better-sqlite3'],
  // CommonJS packages inside an ES module bundle still call require() for node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [compiledUrlOf],
  logLevel: 'warning',
});
