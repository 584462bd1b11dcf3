// One esbuild bundle per entry point. The .proto files ship beside the bundles (dist/proto), so
// the schema loads the same way from the CLI, the language server and the packaged extension.
// The smoke test's worker (dist/smoke-worker.js) gets TensorFlow.js's .wasm files beside it, and
// its TensorFlow program ships as dist/python/smoke_tf.py. `webgpu` stays external: it loads a
// native dawn.node from its own package folder (node_modules/webgpu here; dist/webgpu/ in a
// platform .vsix, put there by scripts/package.mjs).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/server.ts', out: 'dist/server.js' },
  { in: 'client/src/extension.ts', out: 'dist/client.js' },
  { in: 'bench/worker.ts', out: 'dist/bench-worker.js' },
  { in: 'server/src/core/smoke/runtime/builtinWorker.ts', out: 'dist/smoke-worker.js' },
].filter((e) => fs.existsSync(path.join(root, e.in)));

await Promise.all(entries.map((e) => esbuild.build({
  entryPoints: [path.join(root, e.in)],
  outfile: path.join(root, e.out),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'webgpu'],
  sourcemap: true,
  minify: process.argv.includes('--minify'),
  banner: e.banner ? { js: e.banner } : undefined,
  logLevel: 'warning',
})));
fs.cpSync(path.join(root, 'server/proto'), path.join(root, 'dist/proto'), { recursive: true });
copySmokeRuntimeFiles();
for (const e of entries) if (e.banner) fs.chmodSync(path.join(root, e.out), 0o755);
console.log(`built ${entries.map((e) => e.out).join(', ')}`);

function copySmokeRuntimeFiles() {
  const wasmDir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  if (fs.existsSync(wasmDir)) {
    for (const f of fs.readdirSync(wasmDir)) if (f.endsWith('.wasm')) fs.copyFileSync(path.join(wasmDir, f), path.join(root, 'dist', f));
  }
  const python = path.join(root, 'server/python');
  if (fs.existsSync(python)) fs.cpSync(python, path.join(root, 'dist/python'), { recursive: true });
}
