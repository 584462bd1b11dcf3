// smoke: run a signature locally as the prediction service would, on the GPU when there is one.
// Exit codes: 0 it ran and the outputs are finite, 1 it ran with problems, 2 it could not run.
import { parseArgs, option, UsageError, ParsedArgs } from './args';
import { loadModel } from '../core/savedmodel';
import { BackendName, DeviceRequest, RuntimeChoice, SmokeOptions, exitCode, failedReport, formatReport, runSmokeTest } from '../core/smoke';

export const SMOKE_USAGE = `  smoke <dir> [--signature KEY] [--instances FILE] [--batch N] [--runs N] [--warmup N]
        [--runtime auto|tensorflow|builtin] [--device gpu|cpu] [--python PATH]
        [--backend webgpu|wasm|cpu] [--json] [--save-request FILE] [--allow-file-access]
                                                 run a signature locally on a request (a file of
                                                 instances, or one synthesized from the signature)
                                                 and report device, latency and outputs
                                                 (exit 0 ran and finite, 1 ran with problems, 2 could not run);
                                                 --allow-file-access: let TensorFlow run a signature
                                                 that reads or writes files or prints to the log`;

const VALUED = new Set(['signature', 'instances', 'batch', 'runs', 'warmup', 'runtime', 'device', 'python', 'backend', 'save-request', 'seed']);

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Parses the arguments synchronously (a UsageError is thrown at once), then runs. */
export function smokeCommand(argv: readonly string[], io: Output = stdio): Promise<number> {
  const args = parseArgs(argv, VALUED);
  const [dir] = args.positional;
  if (!dir || args.positional.length > 1) throw new UsageError(`usage:\n${SMOKE_USAGE}`);
  const opts = smokeOptions(args);
  return run(dir, opts, args.flags.has('json'), io);
}

async function run(dir: string, opts: SmokeOptions, json: boolean, io: Output): Promise<number> {
  const loaded = loadModel(dir);
  const report = loaded.ok
    ? await runSmokeTest(loaded.model, opts)
    : failedReport({ model: dir, warmup: opts.warmup }, 'model', loaded.reason, 'Point the command at a SavedModel directory (with saved_model.pb).');
  io.out(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return exitCode(report);
}

function smokeOptions(args: ParsedArgs): SmokeOptions {
  const runtime = choice(args, 'runtime', ['auto', 'tensorflow', 'builtin'] as const, 'auto');
  const device = choice(args, 'device', ['gpu', 'cpu'] as const, 'gpu');
  const backend = option(args, 'backend');
  if (backend !== undefined && !['webgpu', 'wasm', 'cpu'].includes(backend)) throw new UsageError('--backend must be webgpu, wasm or cpu');
  const python = option(args, 'python') ?? process.env.SAVEDMODEL_LENS_PYTHON;
  return {
    ...optional('signature', option(args, 'signature')),
    ...optional('instancesFile', option(args, 'instances')),
    ...optional('saveRequestTo', option(args, 'save-request')),
    ...optional('python', python),
    ...(backend ? { backend: backend as BackendName } : {}),
    batch: count(args, 'batch', 1, 1),
    runs: count(args, 'runs', 10, 1),
    warmup: count(args, 'warmup', 2, 0),
    seed: count(args, 'seed', 1, 0),
    runtime: runtime as RuntimeChoice,
    ...(args.flags.has('allow-file-access') ? { allowFileAccess: true } : {}),
    device: device as DeviceRequest,
  };
}

function optional<K extends string>(key: K, v: string | undefined): { [k in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [k in K]?: string };
}

function choice<T extends string>(args: ParsedArgs, key: string, allowed: readonly T[], def: T): T {
  const v = option(args, key) ?? def;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${key} must be ${allowed.join(', ')}`);
  return v as T;
}

function count(args: ParsedArgs, key: string, def: number, min: number): number {
  const v = option(args, key);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} must be an integer of at least ${min}`);
  return n;
}
