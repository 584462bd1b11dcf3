// The built-in runtime (no TensorFlow needed): freeze the signature into one flat graph here,
// check its ops, then run it with TensorFlow.js kernels in a child process (builtinWorker.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import type { Signature } from '../../savedmodel';
import { FreezeError, FrozenModel, freezeSignature } from '../freeze/freeze';
import { HostTensor, ElementValue, tfjsDtype } from '../request/hostTensor';
import { BackendName, OutputTensor, Parity, RunOptions, RunResult, SmokeRuntime, failure } from './runtime';
import { SmokeModel } from '../smokeModel';
import { ValueError } from '../request/rawTensor';
import { WireTensor, WorkerJob, WorkerMessage } from './workerProtocol';
import { waitForChild } from './childProcess';
import { CheckpointError } from '../../checkpoint';
import { OWN_ASSET_READS, fileAccessGate, frozenTouchesFiles } from './fileAccessGate';
import { ExampleError, runExampleStages } from '../example';

export interface WorkerEntry {
  readonly file: string;
  readonly execArgv: readonly string[];
  /** Folder of the tfjs .wasm files, when they are not in node_modules. */
  readonly wasmDir?: string;
}

/** The bundled worker beside this bundle (dist/), else the TypeScript source run through tsx. */
export function defaultWorkerEntry(): WorkerEntry {
  const bundled = path.join(__dirname, 'smoke-worker.js');
  if (fs.existsSync(bundled)) {
    const wasm = fs.existsSync(path.join(__dirname, 'tfjs-backend-wasm.wasm')) ? __dirname : undefined;
    return { file: bundled, execArgv: [], ...(wasm ? { wasmDir: wasm } : {}) };
  }
  return { file: path.join(__dirname, 'builtinWorker.ts'), execArgv: ['--import', 'tsx'] };
}

export class BuiltinRuntime implements SmokeRuntime {
  readonly kind = 'builtin' as const;

  constructor(private readonly entry: WorkerEntry = defaultWorkerEntry()) {}

  async run(model: SmokeModel, signature: Signature, inputs: Readonly<Record<string, HostTensor>>, opts: RunOptions): Promise<RunResult> {
    // A signature that only reads files is judged again on the frozen graph, where reads of the
    // model's own assets are constants; any other file or log op is refused before anything runs.
    const gate = fileAccessGate(model, signature, 'builtin', false);
    const refused = gate?.refusal;
    if (gate && !gate.readsOnly) return gate.refusal;
    opts.onProgress?.('freezing the signature into one graph');
    const t0 = performance.now();
    let frozen: FrozenModel;
    try {
      frozen = freezeSignature(model, signature);
    } catch (e) {
      if (refused) return refused;
      if (e instanceof FreezeError || e instanceof ValueError || e instanceof CheckpointError) {
        return failure('model', `the built-in runtime cannot prepare this signature: ${e.message}`, 'Run it with --runtime tensorflow (your Python with TensorFlow), or fix the model as the message says.');
      }
      throw e;
    }
    if (refused && frozenTouchesFiles(frozen.artifacts)) return refused;
    if (frozen.unsupportedOps.length) return missingOps(frozen);
    const freezeMs = performance.now() - t0;
    const tParse = performance.now();
    const parsed = parseOnHost(frozen, inputs);
    if (!Array.isArray(parsed)) return parsed;
    const parseMs = performance.now() - tParse;
    const job = this.job(frozen, inputs, parsed, opts);
    const answer = await this.spawn(job, opts);
    if (answer.type !== 'result') return answer.type === 'error' ? workerFailure(answer.kind, answer.message, opts) : answer.failure;
    return {
      ok: true,
      device: answer.device,
      // Reading the model and its variables here, plus building the graph in the worker.
      loadMs: freezeMs + answer.loadMs,
      latenciesMs: answer.latenciesMs,
      outputs: frozen.outputs.map((b, i) => outputTensor(b.key, b.dtype, answer.outputs[i])),
      ...(answer.parity ? { parity: keyedParity(answer.parity, frozen) } : {}),
      warnings: [...(refused ? [OWN_ASSET_READS] : []), ...frozen.fidelityWarnings, ...wrappedInputs(inputs), ...parseNote(frozen, parseMs)],
      ...(frozen.mechanisms.length ? { mechanisms: frozen.mechanisms } : {}),
    };
  }

  private job(frozen: FrozenModel, inputs: Readonly<Record<string, HostTensor>>, hostFeeds: ReadonlyArray<[string, HostTensor]>, opts: RunOptions): WorkerJob {
    const backends: BackendName[] = opts.backend ? [opts.backend] : opts.device === 'gpu' ? ['webgpu', 'wasm', 'cpu'] : ['wasm', 'cpu'];
    return {
      type: 'run',
      artifacts: frozen.artifacts,
      feeds: [...frozen.inputs.map((b) => wireTensor(b.tensor, inputs[b.key])), ...hostFeeds.map(([name, t]) => wireTensor(name, t))],
      outputs: frozen.outputs.map((b) => b.tensor),
      runs: opts.runs,
      warmup: opts.warmup,
      backends,
      compareWithCpu: true,
      ...(this.entry.wasmDir ? { wasmDir: this.entry.wasmDir } : {}),
    };
  }

  private async spawn(job: WorkerJob, opts: RunOptions): Promise<Extract<WorkerMessage, { type: 'result' | 'error' }> | { type: 'failed'; failure: RunResult }> {
    const child = fork(this.entry.file, [], {
      execArgv: [...this.entry.execArgv],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...opts.env },
    });
    child.send(job);
    const outcome = await waitForChild(child, {
      isAnswer: (m): m is Extract<WorkerMessage, { type: 'result' | 'error' }> => isMessage(m) && (m.type === 'result' || m.type === 'error'),
      onMessage: (m) => isMessage(m) && m.type === 'progress' && opts.onProgress?.(m.message),
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
    });
    switch (outcome.kind) {
      case 'answer': return outcome.value;
      case 'cancelled': return { type: 'failed', failure: failure('cancelled', 'the smoke test was cancelled', 'Run it again when ready.') };
      case 'timeout': return { type: 'failed', failure: failure('timeout', `the run took longer than ${outcome.ms / 1000} s`, 'Use a smaller --batch or fewer --runs, or raise the time limit.') };
      case 'spawn-failed': return { type: 'failed', failure: failure('runtime', `the worker process could not start: ${outcome.message}`, 'Reinstall the extension; the worker script may be missing.') };
      case 'exited': return { type: 'failed', failure: crashed(outcome.code, outcome.signal, outcome.stderr) };
    }
  }
}

/** The host stages' tensors (tf.Examples parsed), or the request's error as TensorFlow words it. */
function parseOnHost(frozen: FrozenModel, inputs: Readonly<Record<string, HostTensor>>): Array<[string, HostTensor]> | RunResult {
  try {
    return runExampleStages(frozen.exampleStages, inputs);
  } catch (e) {
    if (!(e instanceof ExampleError)) throw e;
    const keys = [...new Set(frozen.exampleStages.map((s) => `'${s.inputKey}'`))].join(', ');
    return failure('bad-request', `the tf.Examples of input ${keys} cannot be parsed: ${e.message}`,
      'Send serialized tf.Examples with the features the model parses (run the smoke test without --instances to get valid ones, saved with --save-request).');
  }
}

/** TensorFlow parses Examples in every run; here once, before the timed runs: say what it cost. */
function parseNote(frozen: FrozenModel, ms: number): string[] {
  return frozen.exampleStages.length ? [`the tf.Examples were parsed once before the timed runs (${ms.toFixed(2)} ms): the latency leaves parsing out`] : [];
}

/** 64-bit and unsigned 32-bit inputs are fed as int32: say where values do not fit. */
function wrappedInputs(inputs: Readonly<Record<string, HostTensor>>): string[] {
  return Object.entries(inputs).flatMap(([key, t]) => {
    if (tfjsDtype(t.dtype) !== 'int32') return [];
    const n = t.values.filter((v) => typeof v === 'number' && (v < -(2 ** 31) || v >= 2 ** 31)).length;
    return n ? [`input '${key}': ${n} value(s) outside the int32 range wrap in TensorFlow.js`] : [];
  });
}

/** The worker compares by tensor name; the report speaks of signature keys. */
function keyedParity(p: Parity, frozen: FrozenModel): Parity {
  const perOutput = Object.fromEntries(frozen.outputs.map((b) => [b.key, p.perOutput[b.tensor] ?? NaN]));
  return { ...p, perOutput };
}

function isMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

function wireTensor(name: string, t: HostTensor | undefined): WireTensor {
  if (!t) throw new Error(`no value for input ${name}`);
  const dtype = tfjsDtype(t.dtype);
  if (!dtype) throw new Error(`input ${name} has dtype ${t.dtype}, which TensorFlow.js cannot hold`);
  const shape = [...t.shape];
  if (dtype === 'string') return { name, dtype, shape, data: t.values.map((v) => (v instanceof Uint8Array ? v : new TextEncoder().encode(String(v)))) };
  const nums = t.values.map((v) => (typeof v === 'boolean' ? Number(v) : Number(v)));
  const data = dtype === 'float32' ? Float32Array.from(nums) : dtype === 'int32' ? Int32Array.from(nums) : Uint8Array.from(nums);
  return { name, dtype, shape, data };
}

function outputTensor(key: string, dtype: string, w: WireTensor): OutputTensor {
  const values: ElementValue[] = w.dtype === 'string' ? [...(w.data as Uint8Array[])] : w.dtype === 'bool' ? Array.from(w.data as Uint8Array, (v) => v !== 0) : Array.from(w.data as Float32Array | Int32Array);
  const computedAs = tfjsDtype(dtype) === w.dtype && !['DT_INT64', 'DT_DOUBLE', 'DT_HALF', 'DT_BFLOAT16', 'DT_UINT32', 'DT_UINT64'].includes(dtype) ? undefined : w.dtype;
  return { key, dtype, shape: w.shape, values, ...(computedAs ? { computedAs } : {}) };
}

function missingOps(frozen: FrozenModel): RunResult {
  const ops = frozen.unsupportedOps.map((u) => `${u.op} (${u.count} node${u.count > 1 ? 's' : ''}, e.g. ${u.nodes[0]})${u.reason ? `: ${u.reason}` : ''}`);
  const parse = frozen.unsupportedOps.some((u) => /^ParseExample/.test(u.op));
  const remedy = `Run it with --runtime tensorflow (your Python with TensorFlow)${parse ? ', or export a signature that takes tensors rather than serialized tf.Example protos' : ''}.`;
  return failure('missing-op', `TensorFlow.js cannot run these ops of signature '${frozen.signature}': ${ops.join('; ')}`, remedy);
}

function workerFailure(kind: Extract<WorkerMessage, { type: 'error' }>['kind'], message: string, opts: RunOptions): RunResult {
  const remedies: Partial<Record<typeof kind, string>> = {
    'out-of-memory': `Use a smaller --batch${opts.device === 'gpu' ? ', or --device cpu' : ''}.`,
    'shape-mismatch': 'Check the request\'s shapes against the signature (savedmodel-lens show), or use a synthesized request.',
    'missing-op': 'Run it with --runtime tensorflow (your Python with TensorFlow).',
  };
  return failure(kind, message, remedies[kind] ?? 'Run it with --runtime tensorflow to compare; if TensorFlow runs it, this is a gap of the built-in runtime.');
}

function crashed(code: number | null, signal: string | null, stderr: string): RunResult {
  const tail = stderr.trim().split('\n').slice(-5).join('\n');
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const oom = signal === 'SIGKILL' || /out of memory|heap limit/i.test(stderr);
  return failure(oom ? 'out-of-memory' : 'runtime', `the worker process ${how}${tail ? `: ${tail}` : ''}`,
    oom ? 'Use a smaller --batch.' : 'A driver or runtime crash: try --device cpu, or --runtime tensorflow.');
}
