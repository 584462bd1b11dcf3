// The built-in runtime's child process (bundled as dist/smoke-worker.js): loads the frozen graph
// with tfjs-converter, runs it on the best backend it can start, and reports over IPC. It runs in
// its own process because WebGPU cannot start in VS Code's extension host (its `navigator` cannot
// be replaced) and so that a driver crash cannot take the editor down.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, GraphModel } from '@tensorflow/tfjs-converter';
import { startBackend } from './backendSetup';
import { registerHostKernels } from '../kernels/register';
import type { ErrorKind, Parity } from './runtime';
import type { WireTensor, WorkerJob, WorkerMessage, TfjsDtype } from './workerProtocol';
import type { ModelArtifacts } from '../freeze/graphArtifacts';

function send(m: WorkerMessage, then?: () => void): void {
  if (process.send) process.send(m, undefined, {}, () => then?.());
  else then?.();
}

const progress = (message: string): void => send({ type: 'progress', message });

async function run(job: WorkerJob): Promise<WorkerMessage> {
  registerHostKernels();
  progress(`starting a backend (${job.backends.join(' → ')})`);
  const { device } = await startBackend(job.backends, job.wasmDir);
  progress(`loading the model on ${device.backend}`);
  const t0 = performance.now();
  const model = await load(job.artifacts);
  const loadMs = performance.now() - t0;
  const feeds = Object.fromEntries(job.feeds.map((f) => [f.name, toTensor(f)]));
  const keep = kept(model, feeds);
  progress(`warming up (${job.warmup} run(s))`);
  for (let i = 0; i < job.warmup; i++) await runOnce(model, feeds, job.outputs, keep);
  const latenciesMs: number[] = [];
  let outputs: WireTensor[] = [];
  progress(`timing ${job.runs} run(s)`);
  for (let i = 0; i < job.runs; i++) {
    const t = performance.now();
    outputs = await runOnce(model, feeds, job.outputs, keep);
    latenciesMs.push(performance.now() - t);
  }
  const parity = device.backend === 'webgpu' && job.compareWithCpu ? await compareWithCpu(job, outputs) : undefined;
  return { type: 'result', device, loadMs, latenciesMs, outputs, ...(parity ? { parity } : {}) };
}

async function load(a: ModelArtifacts): Promise<GraphModel> {
  const data = a.weightData;
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const init = a.modelInitializer ? { modelInitializer: a.modelInitializer, initializerSignature: a.initializerSignature } : {};
  return loadGraphModel(tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData, signature: a.signature, ...init }));
}

/**
 * Tensors a run must not dispose: the feeds, and the model's weights, which a graph may return as
 * they are (a variable read straight out, as a counter's get_counter does).
 */
function kept(model: GraphModel, feeds: tf.NamedTensorMap): Set<tf.Tensor> {
  const weights = Object.values(model.weights).flat();
  return new Set([...Object.values(feeds), ...weights]);
}

function toTensor(f: WireTensor): tf.Tensor {
  if (f.dtype === 'string') return tf.tensor(f.data as Uint8Array[], f.shape, 'string');
  return tf.tensor(f.data as Float32Array | Int32Array | Uint8Array, f.shape, f.dtype);
}

/** One run, outputs read back to the host (so GPU work is finished when it returns). */
async function runOnce(model: GraphModel, feeds: tf.NamedTensorMap, names: string[], keep: ReadonlySet<tf.Tensor>): Promise<WireTensor[]> {
  const out = await model.executeAsync(feeds, names);
  const tensors = Array.isArray(out) ? out : [out];
  try {
    return await Promise.all(tensors.map((t, i) => read(names[i], t)));
  } finally {
    for (const t of tensors) if (!keep.has(t)) t.dispose();
  }
}

async function read(name: string, t: tf.Tensor): Promise<WireTensor> {
  const dtype = t.dtype as TfjsDtype;
  const data = dtype === 'string' ? ((await t.bytes()) as Uint8Array[]) : ((await t.data()) as Float32Array | Int32Array | Uint8Array);
  return { name, dtype, shape: t.shape, data };
}

async function compareWithCpu(job: WorkerJob, outputs: WireTensor[]): Promise<Parity> {
  progress('running once more on the cpu backend to compare');
  await tf.setBackend('cpu');
  const model = await load(job.artifacts);
  const feeds = Object.fromEntries(job.feeds.map((f) => [f.name, toTensor(f)]));
  const reference = await runOnce(model, feeds, job.outputs, kept(model, feeds));
  const perOutput: Record<string, number> = {};
  outputs.forEach((o, i) => (perOutput[o.name] = maxAbsDiff(o, reference[i])));
  return { against: 'cpu backend', maxAbsDiff: Math.max(0, ...Object.values(perOutput)), perOutput };
}

function maxAbsDiff(a: WireTensor, b: WireTensor): number {
  if (a.dtype === 'string' || b.dtype === 'string') return sameStrings(a.data as Uint8Array[], b.data as Uint8Array[]) ? 0 : Infinity;
  const x = a.data as ArrayLike<number>;
  const y = b.data as ArrayLike<number>;
  if (x.length !== y.length) return Infinity;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) && Number.isNaN(y[i])) continue;
    const d = Math.abs(x[i] - y[i]);
    max = Number.isNaN(d) ? Infinity : Math.max(max, d);
  }
  return max;
}

function sameStrings(a: Uint8Array[], b: Uint8Array[]): boolean {
  return a.length === b.length && a.every((s, i) => Buffer.compare(s, b[i]) === 0);
}

function classify(message: string): ErrorKind {
  if (/Unknown op|not (yet )?(supported|implemented)/i.test(message)) return 'missing-op';
  if (/out of memory|\bOOM\b|allocation failed|Cannot enlarge memory|Array buffer allocation|Aborted\(OOM\)/i.test(message)) return 'out-of-memory';
  if (/shape|rank|dimension|incompatible/i.test(message)) return 'shape-mismatch';
  return 'runtime';
}

process.once('message', (job: WorkerJob) => {
  run(job).then(
    (m) => send(m, () => process.exit(0)),
    (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      send({ type: 'error', kind: classify(message), message }, () => process.exit(0));
    },
  );
});
