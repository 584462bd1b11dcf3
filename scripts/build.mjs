// One esbuild bundle per entry point. The .proto files ship beside the bundles (dist/proto), so
// the schema loads the same way from the CLI, the language server and the packaged extension.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/server.ts', out: 'dist/server.js' },
  { in: 'client/src/extension.ts', out: 'dist/client.js' },
  { in: 'bench/worker.ts', out: 'dist/bench-worker.js' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

await Promise.all(entries.map((e) => esbuild.build({
  entryPoints: [path.join(root, e.in)],
  outfile: path.join(root, e.out),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  banner: e.banner ? { js: e.banner } : undefined,
  logLevel: 'warning',
})));
fs.cpSync(path.join(root, 'server/proto'), path.join(root, 'dist/proto'), { recursive: true });
for (const e of entries) if (e.banner) fs.chmodSync(path.join(root, e.out), 0o755);
console.log(`built ${entries.map((e) => e.out).join(', ')}`);
