// The TensorFlow runtime: the user's own Python with TensorFlow runs server/python/smoke_tf.py
// (shipped with the extension as dist/python/smoke_tf.py), which answers with one JSON object on
// stdout. The request goes to it as a file; nothing of TensorFlow runs in this process.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { Signature } from '../../savedmodel';
import { HostTensor, ElementValue, dtypeKind } from '../request/hostTensor';
import { DeviceInfo, ErrorKind, OutputTensor, RunOptions, RunResult, SmokeRuntime, failure } from './runtime';
import { SmokeModel } from '../smokeModel';
import { waitForChild } from './childProcess';
import { JsonObject, JsonValue, isJsonObject } from '../request/jsonValue';
import { fileAccessRefusal, refusedOps, ALLOW_FLAG } from './fileAccessGate';

export const DEFAULT_PYTHON = 'python3';

/** smoke_tf.py beside the bundle (dist/python), else in the source tree (server/python). */
export function smokeScript(): string {
  const candidates = [path.join(__dirname, 'python', 'smoke_tf.py'), path.resolve(__dirname, '..', '..', '..', '..', 'python', 'smoke_tf.py')];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[candidates.length - 1];
}

export interface PythonProbe {
  readonly python: string;
  /** TensorFlow's version, or undefined when it cannot be imported. */
  readonly tensorflow: string | undefined;
  readonly gpus: readonly string[];
  /** Why TensorFlow is not usable (import error, or the interpreter did not start). */
  readonly error?: string;
}

/** Ask the interpreter whether it can import TensorFlow. */
export async function probePython(python: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<PythonProbe> {
  const out = await runScript(python, ['probe'], { ...opts, timeoutMs: opts.timeoutMs ?? 120_000 });
  if ('error' in out) return { python, tensorflow: undefined, gpus: [], error: out.error };
  const tf = typeof out.json.tensorflow === 'string' ? out.json.tensorflow : undefined;
  const gpus = Array.isArray(out.json.gpus) ? out.json.gpus.map(String) : [];
  const error = typeof out.json.error === 'string' ? out.json.error : undefined;
  return { python, tensorflow: tf, gpus, ...(error ? { error } : {}) };
}

type ScriptAnswer = { json: JsonObject } | { error: string; kind?: ErrorKind };

async function runScript(python: string, args: string[], opts: { signal?: AbortSignal; timeoutMs?: number }): Promise<ScriptAnswer> {
  const child = spawn(python, [smokeScript(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome = await waitForChild(child, { isAnswer: (_m): _m is never => false, collectStdout: true, signal: opts.signal, timeoutMs: opts.timeoutMs });
  switch (outcome.kind) {
    case 'spawn-failed': return { error: `${python} could not be started: ${outcome.message}`, kind: 'no-tensorflow' };
    case 'cancelled': return { error: 'cancelled', kind: 'cancelled' };
    case 'timeout': return { error: `${python} did not answer within ${outcome.ms / 1000} s`, kind: 'timeout' };
    case 'answer': return { error: 'unexpected message' };
    case 'exited': {
      const line = outcome.stdout.trim().split('\n').pop() ?? '';
      try {
        const json = JSON.parse(line) as JsonValue;
        if (isJsonObject(json)) return { json };
      } catch {
        // fall through: not the script's answer
      }
      const tail = outcome.stderr.trim().split('\n').slice(-3).join(' | ');
      return { error: `${python} ${path.basename(smokeScript())} exited with code ${outcome.code} without an answer${tail ? `: ${tail}` : ''}` };
    }
  }
}

export class TensorflowRuntime implements SmokeRuntime {
  readonly kind = 'tensorflow' as const;

  constructor(private readonly python: string = DEFAULT_PYTHON) {}

  async run(model: SmokeModel, signature: Signature, inputs: Readonly<Record<string, HostTensor>>, opts: RunOptions): Promise<RunResult> {
    const refused = fileAccessRefusal(model, signature, 'tensorflow', opts.allowFileAccess ?? false);
    if (refused) return refused;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'savedmodel-lens-smoke-'));
    const requestFile = path.join(tmp, 'request.json');
    try {
      fs.writeFileSync(requestFile, JSON.stringify({ inputs: Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, wireInput(t)])) }));
      opts.onProgress?.(`running TensorFlow with ${this.python}`);
      const args = ['run', '--model', model.dir, '--signature', signature.key, '--request', requestFile,
        '--runs', String(opts.runs), '--warmup', String(opts.warmup), '--device', opts.device, '--tags', model.metaGraph.tags.join(','),
        '--refuse-ops', refusedOps(opts.allowFileAccess ?? false).join(',')];
      const answer = await runScript(this.python, args, opts);
      if ('error' in answer) return failure(answer.kind ?? 'runtime', answer.error, remedyFor(answer.kind ?? 'runtime', this.python));
      return resultOf(answer.json, signature, this.python);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

function wireInput(t: HostTensor): JsonObject {
  const values: JsonValue[] = t.values.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
  return { dtype: t.dtype, shape: [...t.shape], values };
}

function resultOf(json: JsonObject, signature: Signature, python: string): RunResult {
  const device = deviceOf(json.device);
  if (json.ok !== true) {
    const kind = (typeof json.kind === 'string' ? json.kind : 'runtime') as ErrorKind;
    return failure(kind, String(json.error ?? 'TensorFlow failed'), remedyFor(kind, python), device);
  }
  const outputs = (Array.isArray(json.outputs) ? json.outputs : []).filter(isJsonObject).map(outputOf);
  const order = new Map(signature.outputs.map((s, i) => [s.key, i]));
  outputs.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  return {
    ok: true,
    device: device ?? { runtime: 'tensorflow', backend: '?', name: '?', kind: 'cpu' },
    loadMs: Number(json.load_ms ?? 0),
    latenciesMs: (Array.isArray(json.latencies_ms) ? json.latencies_ms : []).map(Number),
    outputs,
    warnings: [],
  };
}

function deviceOf(v: JsonValue | undefined): DeviceInfo | undefined {
  if (!isJsonObject(v)) return undefined;
  const kind = v.kind === 'gpu' ? 'gpu' : 'cpu';
  const details = isJsonObject(v.details) ? Object.fromEntries(Object.entries(v.details).map(([k, d]) => [k, String(d)])) : undefined;
  const fallback = typeof v.fallback === 'string' ? v.fallback : undefined;
  return { runtime: 'tensorflow', backend: String(v.backend ?? ''), name: String(v.name ?? ''), kind, ...(details ? { details } : {}), ...(fallback ? { fallback } : {}) };
}

function outputOf(o: JsonObject): OutputTensor {
  const dtype = String(o.dtype);
  const raw = Array.isArray(o.values) ? o.values : [];
  const values: ElementValue[] = raw.map((v) => elementOf(v, dtype));
  const shape = (Array.isArray(o.shape) ? o.shape : []).map(Number);
  return { key: String(o.key), dtype, shape, values };
}

function elementOf(v: JsonValue, dtype: string): ElementValue {
  if (dtypeKind(dtype) === 'string') return new Uint8Array(Buffer.from(String(v), 'base64'));
  if (typeof v === 'boolean') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

function remedyFor(kind: ErrorKind, python: string): string {
  switch (kind) {
    case 'no-tensorflow': return `Install TensorFlow for ${python} (pip install tensorflow), choose another interpreter with --python, or use --runtime builtin.`;
    case 'no-gpu': return 'Install a GPU build of TensorFlow and the NVIDIA driver, or use --device cpu.';
    case 'out-of-memory': return 'Use a smaller --batch, or --device cpu.';
    case 'missing-op': return 'The model uses an op this TensorFlow does not have: use the TensorFlow version it was exported with (and its add-on libraries, e.g. tensorflow-text).';
    case 'shape-mismatch': return 'Check the request\'s shapes against the signature (savedmodel-lens show).';
    case 'file-access': return `Pass ${ALLOW_FLAG} to run it anyway (in a sandbox), or remove the op from the serving signature (rule file-access-op).`;
    default: return 'Read the message above; run the same request with --runtime builtin to compare.';
  }
}
