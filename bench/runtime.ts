// npm run bench -- --runtime (also the last section of `npm run bench`): the smoke test's built-in
// runtime on a Keras-style convolutional model and an Estimator-style model taking tf.Examples,
// per backend (cpu, wasm, webgpu on whatever adapter Dawn finds: lavapipe here, a software
// renderer, and said so), at batch 1 and 32. Load time is freezing the signature plus building
// the graph in the worker; latency is the worker's timed runs after warm-up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../server/src/core/savedmodel';
import { DirectorySpec, writeSavedModelDir } from '../server/src/core/savedmodel/modelBuilder';
import { BuiltinRuntime, pickSignature, smokeModel } from '../server/src/core/smoke';
import type { HostTensor } from '../server/src/core/smoke';
import { encodeExample } from '../server/src/core/smoke/example/exampleProto';
import { percentile } from '../server/src/core/smoke/report';
import type { BackendName } from '../server/src/core/smoke/runtime/runtime';
import { mulberry32 } from '../server/src/core/prng';
import { CONV_INPUT, convModel, estimatorModel } from './runtimeModels';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(process.env.BENCH_DIR ?? path.join(ROOT, '.cache', 'bench'), 'runtime');
const RUNS = Number(process.env.BENCH_RUNTIME_RUNS ?? 30);
const WARMUP = 3;
const BACKENDS: BackendName[] = ['cpu', 'wasm', 'webgpu'];
const BATCHES = [1, 32];

interface BenchModel {
  readonly name: string;
  readonly spec: DirectorySpec;
  readonly inputs: (batch: number) => Record<string, HostTensor>;
}

const MODELS: BenchModel[] = [
  { name: 'conv (Keras-style, 32×32×3)', spec: convModel(), inputs: (b) => ({ input_1: images(b) }) },
  { name: 'estimator (tf.Example)', spec: estimatorModel(), inputs: (b) => ({ examples: examples(b) }) },
];

function images(batch: number): HostTensor {
  const random = mulberry32(batch);
  const shape = [batch, ...CONV_INPUT];
  return { dtype: 'DT_FLOAT', shape, values: Array.from({ length: shape.reduce((a, c) => a * c, 1) }, () => random()) };
}

function examples(batch: number): HostTensor {
  const random = mulberry32(batch);
  const values = Array.from({ length: batch }, () => encodeExample(new Map([
    ['x', { kind: 'float', values: [random(), random()] }],
    ['age', { kind: 'int64', values: [Math.floor(random() * 90)] }],
    ['clicks', { kind: 'float', values: [random(), random(), random()] }],
  ])));
  return { dtype: 'DT_STRING', shape: [batch], values };
}

/** The software Vulkan test/harness/install-lavapipe.sh unpacks, when it is there. */
function lavapipeEnv(): Record<string, string> {
  const file = path.join(ROOT, '.cache', 'lavapipe', 'lavapipe.env');
  if (!fs.existsSync(file)) return {};
  return Object.fromEntries([...fs.readFileSync(file, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

async function row(runtime: BuiltinRuntime, m: BenchModel, backend: BackendName, batch: number): Promise<string> {
  const dir = path.join(DIR, m.name.split(' ')[0]);
  const loaded = loadModel(dir);
  if (!loaded.ok) return `| ${m.name} | ${backend} | ${batch} | failed: ${loaded.reason} | | | |`;
  const model = smokeModel(loaded.model);
  const signature = typeof model === 'string' ? model : pickSignature(model, undefined);
  if (typeof model === 'string' || typeof signature === 'string') return `| ${m.name} | ${backend} | ${batch} | failed: ${String(signature)} | | | |`;
  const r = await runtime.run(model, signature, m.inputs(batch), {
    runs: RUNS, warmup: WARMUP, device: backend === 'webgpu' ? 'gpu' : 'cpu', backend, timeoutMs: 600_000,
    ...(backend === 'webgpu' ? { env: lavapipeEnv() } : {}),
  });
  if (!r.ok) return `| ${m.name} | ${backend} | ${batch} | ${r.kind}: ${r.message.slice(0, 120)} | | | |`;
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const device = `${r.device.backend}${r.device.kind === 'software' ? ` (software, ${r.device.name.split(':')[0]})` : ''}`;
  const p50 = percentile(sorted, 50);
  return `| ${m.name} | ${device} | ${batch} | ${r.loadMs.toFixed(0)} | ${p50.toFixed(2)} | ${percentile(sorted, 95).toFixed(2)} | ${((batch * 1000) / p50).toFixed(0)} |`;
}

export async function runtimeBench(): Promise<void> {
  const worker = path.join(ROOT, 'dist', 'smoke-worker.js');
  if (!fs.existsSync(worker)) throw new Error('run `npm run build` first');
  const runtime = new BuiltinRuntime({ file: worker, execArgv: [], wasmDir: path.join(ROOT, 'dist') });
  for (const m of MODELS) {
    const dir = path.join(DIR, m.name.split(' ')[0]);
    fs.rmSync(dir, { recursive: true, force: true });
    writeSavedModelDir(dir, m.spec);
  }
  console.log(`\nBuilt-in runtime (TensorFlow.js in a worker process): ${RUNS} timed runs after ${WARMUP} warm-up, each backend in a fresh worker.`);
  console.log('Load = freeze the signature + build the graph in the worker. Throughput from p50.\n');
  console.log('| model | backend | batch | load ms | p50 ms | p95 ms | instances/s |');
  console.log('|---|---|---|---|---|---|---|');
  for (const m of MODELS) for (const backend of BACKENDS) for (const batch of BATCHES) console.log(await row(runtime, m, backend, batch));
}

if (require.main === module) {
  runtimeBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
