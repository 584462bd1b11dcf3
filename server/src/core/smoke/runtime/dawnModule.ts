// Child process only: find and load the WebGPU module (Dawn's dawn.node, through the `webgpu`
// package's own loader). A platform package (savedmodel-lens-<target>.vsix) ships it beside the
// bundles as dist/webgpu/ (that package's index.js and dist/<platform>-<arch>/ for its platform
// only); the universal package ships none. From a source checkout it is node_modules/webgpu.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface WebgpuModule {
  create(options: string[]): unknown;
  globals: object;
}

export type DawnLoad =
  | { readonly ok: true; readonly module: WebgpuModule; readonly from: string }
  | { readonly ok: false; readonly reason: string };

/** The folder a platform package puts the module in, beside the bundle that loads it. */
export const BUNDLED_WEBGPU_DIR = 'webgpu';

/** Dawn's folder name for this machine, as the `webgpu` package names its dist/ folders. */
export function dawnPlatform(platform: string = process.platform, arch: string = process.arch): string {
  return platform === 'darwin' ? 'darwin-universal' : `${platform}-${arch}`;
}

/** Loads the module shipped beside `bundleDir`, else the `webgpu` package; says why when neither loads. */
export async function loadDawn(bundleDir: string): Promise<DawnLoad> {
  const bundled = path.join(bundleDir, BUNDLED_WEBGPU_DIR);
  if (fs.existsSync(path.join(bundled, 'index.js'))) return loadBundled(bundled);
  try {
    return { ok: true, module: (await import('webgpu')) as unknown as WebgpuModule, from: 'node_modules/webgpu' };
  } catch (e) {
    return { ok: false, reason: missingReason(e) };
  }
}

async function loadBundled(dir: string): Promise<DawnLoad> {
  const own = dawnPlatform();
  const native = path.join(dir, 'dist', own, 'dawn.node');
  if (!fs.existsSync(native)) {
    const shipped = fs.existsSync(path.join(dir, 'dist')) ? fs.readdirSync(path.join(dir, 'dist')).join(', ') : 'none';
    return { ok: false, reason: `module missing: this package carries the WebGPU module for ${shipped}, not for ${own}; install savedmodel-lens-${vscodeTargetHint(own)}.vsix` };
  }
  try {
    const module = (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as WebgpuModule;
    return { ok: true, module, from: path.relative(path.dirname(dir), native) };
  } catch (e) {
    return { ok: false, reason: `the WebGPU module (${native}) does not load on this machine: ${firstLine(e)}` };
  }
}

function missingReason(e: unknown): string {
  const message = firstLine(e);
  if (/Cannot find (package|module) 'webgpu'|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/.test(message) && !/dawn\.node/.test(message)) {
    return `module missing: this installation has no WebGPU module (the universal package carries no native code); install savedmodel-lens-${vscodeTargetHint(dawnPlatform())}.vsix for this platform`;
  }
  return `the WebGPU module (Dawn) does not load on this machine: ${message}`;
}

/** The VS Code target whose package carries the module for a Dawn platform folder. */
function vscodeTargetHint(dawn: string): string {
  return dawn === 'darwin-universal' ? `darwin-${process.arch}` : dawn;
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}
