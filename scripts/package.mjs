// `npm run package [-- --target T]`: the extension's .vsix files, offline. One package per VS Code
// platform target carries the native WebGPU module (Dawn, from the `webgpu` package) for that
// platform only, as dist/webgpu/ beside the bundles that load it; the universal package carries
// no native code (the smoke test then runs on wasm). Without --target: every platform package
// and the universal one. Each is packed from its own temporary staging folder, so the project's
// dist/ never holds another platform's module.
//   savedmodel-lens-<target>.vsix   linux-x64, linux-arm64, win32-x64, win32-arm64, darwin-x64, darwin-arm64
//   savedmodel-lens.vsix            universal (no --target)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const webgpuPackage = path.join(root, 'node_modules/webgpu');
// VS Code target → the `webgpu` package's dist/ folder for it. Alpine (musl) has no Dawn build.
const DAWN_FOLDER = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
};
// What the extension ships (the .vscodeignore's allow list names the same paths).
const SHIPPED = ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'dist', 'server/proto', 'docs', 'syntaxes', 'media'];
const DIST_FILES = /^(client|server|cli|smoke-worker)\.js$|\.wasm$|^(proto|python)$/;

// Options for tests: --out-dir DIR (where the .vsix files go; default the project root) and
// --no-build (pack the dist/ already built).
function main() {
  const opts = parseArgs(process.argv.slice(2));
  const vsce = path.join(root, '.cache/editor-harness/tools/node_modules/@vscode/vsce/vsce');
  if (!fs.existsSync(vsce)) fail(`${vsce} is missing: run test/harness/install.sh (it installs @vscode/vsce)`);
  if (opts.build) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--minify'], { stdio: 'inherit' });
  fs.mkdirSync(opts.outDir, { recursive: true });
  for (const target of opts.targets) pack(vsce, target, opts.outDir);
}

/** `--target T` (or `--target=T`) once, or nothing for every target plus the universal package. */
function parseArgs(args) {
  let target;
  let outDir = root;
  let build = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--target') target = args[++i];
    else if (args[i].startsWith('--target=')) target = args[i].slice('--target='.length);
    else if (args[i] === '--out-dir') outDir = path.resolve(args[++i] ?? '');
    else if (args[i] === '--no-build') build = false;
    else fail(`unknown argument ${args[i]} (usage: npm run package [-- --target ${Object.keys(DAWN_FOLDER).join('|')}|universal])`);
  }
  if (target === undefined) return { targets: [...Object.keys(DAWN_FOLDER), 'universal'], outDir, build };
  if (target !== 'universal' && !(target in DAWN_FOLDER)) fail(`no WebGPU module for target ${target}: use one of ${Object.keys(DAWN_FOLDER).join(', ')}, or universal`);
  return { targets: [target], outDir, build };
}

function pack(vsce, target, outDir) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), `savedmodel-lens-package-${target}-`));
  for (const p of SHIPPED) copy(p, stage);
  if (target !== 'universal') stageWebgpu(path.join(stage, 'dist/webgpu'), DAWN_FOLDER[target]);
  const out = path.join(outDir, target === 'universal' ? 'savedmodel-lens.vsix' : `savedmodel-lens-${target}.vsix`);
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out];
  if (target !== 'universal') args.push('--target', target);
  try {
    execFileSync(process.execPath, [vsce, ...args], { cwd: stage, stdio: 'inherit' });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  console.log(`${path.basename(out)}: ${(fs.statSync(out).size / 1e6).toFixed(1)} MB`);
}

/** Copies a shipped path into the stage; of dist/, only what ships (no source maps, bench worker). */
function copy(rel, stage) {
  const from = path.join(root, rel);
  if (!fs.existsSync(from)) fail(`${rel} is missing`);
  const to = path.join(stage, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (rel !== 'dist') return fs.cpSync(from, to, { recursive: true });
  for (const f of fs.readdirSync(from)) if (DIST_FILES.test(f)) fs.cpSync(path.join(from, f), path.join(to, f), { recursive: true });
}

/** The `webgpu` package's loader, licence and one platform's native folder: dist/webgpu/. */
function stageWebgpu(dir, dawnFolder) {
  const native = path.join(webgpuPackage, 'dist', dawnFolder);
  if (!fs.existsSync(path.join(native, 'dawn.node'))) fail(`${native}/dawn.node is missing: run npm ci`);
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  for (const f of ['index.js', 'package.json', 'LICENSE.md']) fs.copyFileSync(path.join(webgpuPackage, f), path.join(dir, f));
  fs.cpSync(native, path.join(dir, 'dist', dawnFolder), { recursive: true });
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(2);
}

main();
