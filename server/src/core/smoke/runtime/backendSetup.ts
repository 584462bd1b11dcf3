// Child process only: start a TensorFlow.js backend, trying webgpu (Dawn through the `webgpu`
// package), then wasm, then cpu, and say what was really used. The adapter is reported as the
// driver describes it; an adapter that emulates a GPU on the CPU (Mesa's lavapipe/llvmpipe,
// SwiftShader, or any `isFallbackAdapter`) is called software, never a GPU.
import * as tf from '@tensorflow/tfjs-core';
// A named import: the bundler drops a bare import of this package (its sideEffects list omits
// the node build), and with it the cpu backend's registration.
import { version_cpu as cpuVersion } from '@tensorflow/tfjs-backend-cpu';
import type { BackendName, DeviceInfo } from './runtime';
import { loadDawn } from './dawnModule';

interface AdapterInfo {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}
interface Adapter {
  readonly info: AdapterInfo;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<Adapter | null>;
}

export interface BackendChoice {
  readonly device: DeviceInfo;
}

const SOFTWARE = /software|llvmpipe|lavapipe|swiftshader|basic render|warp/i;

/** Start the first backend of `order` that works; throws when none does. */
export async function startBackend(order: readonly BackendName[], wasmDir: string | undefined): Promise<BackendChoice> {
  const reasons: string[] = [];
  for (const backend of order) {
    const started = backend === 'webgpu' ? await startWebgpu() : backend === 'wasm' ? await startWasm(wasmDir) : await startCpu();
    if (typeof started !== 'string') {
      const fallback = reasons.length ? reasons.join('; ') : undefined;
      return { device: { ...started, ...(fallback ? { fallback } : {}) } };
    }
    reasons.push(`${backend}: ${started}`);
  }
  throw new Error(`no TensorFlow.js backend could start (${reasons.join('; ')})`);
}

async function startWebgpu(): Promise<DeviceInfo | string> {
  // In the bundle __dirname is dist/, where a platform package puts the module.
  const dawn = await loadDawn(__dirname);
  if (!dawn.ok) return dawn.reason;
  try {
    Object.assign(globalThis, dawn.module.globals);
    const gpu = dawn.module.create([]) as Gpu;
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return 'no adapter: Dawn found no WebGPU adapter, so no GPU (install the GPU\'s Vulkan driver and the Vulkan loader, libvulkan1; or use --device cpu)';
    setNavigatorGpu(gpu);
    // The backend registers itself on import, and only when navigator.gpu exists: import it now.
    await import('@tensorflow/tfjs-backend-webgpu');
    tf.env().set('WEBGPU_CPU_FORWARD', false); // small ops would otherwise run on the CPU
    if (!(await tf.setBackend('webgpu'))) return 'the webgpu backend did not initialize';
    return adapterDevice(adapter.info);
  } catch (e) {
    return firstLine(e);
  }
}

function setNavigatorGpu(gpu: Gpu): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) g.navigator = { gpu };
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}

function adapterDevice(info: AdapterInfo): DeviceInfo {
  const text = [info.architecture, info.description, info.device].filter(Boolean).join(' ');
  const software = info.isFallbackAdapter === true || SOFTWARE.test(text);
  const name = info.description || [info.vendor, info.device].filter(Boolean).join(' ') || 'unnamed WebGPU adapter';
  const details: Record<string, string> = {};
  for (const k of ['vendor', 'architecture', 'device', 'description'] as const) if (info[k]) details[k] = String(info[k]);
  details.isFallbackAdapter = String(info.isFallbackAdapter === true);
  return { runtime: 'builtin', backend: 'webgpu', name, kind: software ? 'software' : 'gpu', details };
}

async function startWasm(wasmDir: string | undefined): Promise<DeviceInfo | string> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (wasmDir) wasm.setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
    // One thread: the threaded build needs its worker script beside the .wasm files.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const ok = await withoutNewProcessListeners(() => tf.setBackend('wasm'));
    if (!ok) return 'the wasm backend did not initialize';
    return { runtime: 'builtin', backend: 'wasm', name: 'CPU (WebAssembly)', kind: 'cpu' };
  } catch (e) {
    return firstLine(e);
  }
}

/**
 * The wasm runtime adds uncaughtException/unhandledRejection handlers that rethrow, so any stray
 * rejection would kill the process: remove the handlers it adds.
 */
async function withoutNewProcessListeners<T>(start: () => Promise<T>): Promise<T> {
  const exceptions = new Set(process.listeners('uncaughtException'));
  const rejections = new Set(process.listeners('unhandledRejection'));
  try {
    return await start();
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!exceptions.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!rejections.has(l)) process.removeListener('unhandledRejection', l);
  }
}

async function startCpu(): Promise<DeviceInfo | string> {
  if (!(await tf.setBackend('cpu'))) return 'the cpu backend did not initialize';
  return { runtime: 'builtin', backend: 'cpu', name: 'CPU (JavaScript)', kind: 'cpu', details: { tfjs: cpuVersion } };
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}
