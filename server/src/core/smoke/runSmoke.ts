// The smoke test from start to end, for the CLI and the editor: pick the signature, read or
// synthesize the request and check it as the service would, choose the runtime, run, report.
import * as fs from 'node:fs';
import type { LoadedModel } from '../savedmodel';
import { Signature } from '../savedmodel';
import { ParsedRequest, RequestBody, parseRequestText, saveRequest, validateRequest } from './request/request';
import { synthesizeRequest } from './request/synthesize';
import { exampleInputSpecs } from './example';
import { SmokeModel, pickSignature, smokeModel } from './smokeModel';
import { BackendName, DeviceRequest, RuntimeChoice } from './runtime/runtime';
import { chooseRuntime } from './runtime/chooseRuntime';
import { WorkerEntry } from './runtime/builtinRuntime';
import { ReportContext, RequestSummary, SmokeReport, buildReport, failedReport } from './report';

export interface SmokeOptions {
  readonly signature?: string;
  /** A request file (`{"instances": ...}`, JSON lines or `{"inputs": ...}`); else one is synthesized. */
  readonly instancesFile?: string;
  readonly batch: number;
  readonly runs: number;
  readonly warmup: number;
  readonly runtime: RuntimeChoice;
  readonly device: DeviceRequest;
  readonly backend?: BackendName;
  readonly python?: string;
  readonly saveRequestTo?: string;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
  readonly worker?: WorkerEntry;
  readonly onProgress?: (message: string) => void;
  /** Let the TensorFlow runtime run a signature that reaches file-touching ops (rule file-access-op). */
  readonly allowFileAccess?: boolean;
}

type LoadedParts = Pick<LoadedModel, 'doc' | 'variables' | 'location'>;

export async function runSmokeTest(loaded: LoadedParts, opts: SmokeOptions): Promise<SmokeReport> {
  const ctx0: ReportContext = { model: loaded.location.dir, warmup: opts.warmup };
  const model = smokeModel(loaded);
  if (typeof model === 'string') return failedReport(ctx0, 'model', model, 'Check the model with savedmodel-lens show.');
  const req = prepareRequest(model, opts);
  if ('error' in req) return failedReport({ ...ctx0, ...(req.signature ? { signature: req.signature } : {}) }, 'bad-request', req.error, req.remedy);
  const ctx: ReportContext = { ...ctx0, signature: req.signature.key, request: req.summary };
  opts.onProgress?.('choosing the runtime');
  const chosen = await chooseRuntime(opts.runtime, { python: opts.python, worker: opts.worker, signal: opts.signal });
  const runCtx: ReportContext = { ...ctx, runtime: chosen.runtime.kind, ...(chosen.note ? { runtimeNote: chosen.note } : {}) };
  const result = await chosen.runtime.run(model, req.signature, req.parsed.inputs, {
    runs: opts.runs, warmup: opts.warmup, device: opts.device,
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.allowFileAccess ? { allowFileAccess: true } : {}),
  });
  return buildReport(runCtx, result);
}

type Prepared =
  | { readonly signature: Signature; readonly parsed: ParsedRequest; readonly summary: RequestSummary }
  | { readonly error: string; readonly remedy: string; readonly signature?: string };

function prepareRequest(model: SmokeModel, opts: SmokeOptions): Prepared {
  let body: RequestBody;
  let notes: readonly string[] = [];
  let signature: Signature | string;
  if (opts.instancesFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(opts.instancesFile, 'utf8');
    } catch (e) {
      return { error: `cannot read ${opts.instancesFile}: ${(e as Error).message}`, remedy: 'Check the path of --instances.' };
    }
    const parsed = parseRequestText(text);
    if (!parsed.ok) return { error: parsed.error, remedy: 'Fix the request file; see the prediction service\'s request format.' };
    body = parsed.value;
    if (opts.signature && body.signatureName && opts.signature !== body.signatureName) {
      return { error: `the request names signature '${body.signatureName}' but '${opts.signature}' was asked for`, remedy: 'Drop one of them.' };
    }
    signature = pickSignature(model, opts.signature ?? body.signatureName);
    if (typeof signature === 'string') return { error: signature, remedy: signatureRemedy(model, 'Name a signature the model has (--signature or "signature_name").') };
  } else {
    signature = pickSignature(model, opts.signature);
    if (typeof signature === 'string') return { error: signature, remedy: signatureRemedy(model, 'Name a signature the model has with --signature.') };
    try {
      const s = synthesizeRequest(model.dir, model.metaGraph, signature, opts.batch, opts.seed, exampleInputSpecs(model, signature));
      body = s.body;
      notes = s.notes;
    } catch (e) {
      return { error: (e as Error).message, remedy: 'Write a request file and pass it with --instances.', signature: signature.key };
    }
  }
  const checked = validateRequest(body, signature);
  if (!checked.ok) return { error: checked.error, remedy: 'Fix the request to match the signature (savedmodel-lens show lists its inputs).', signature: signature.key };
  if (opts.saveRequestTo) saveRequest(opts.saveRequestTo, body);
  const summary: RequestSummary = {
    source: opts.instancesFile !== undefined ? 'file' : 'synthesized',
    format: checked.value.format,
    batch: checked.value.batch,
    notes: [...notes, ...checked.value.notes],
    ...(opts.saveRequestTo ? { savedTo: opts.saveRequestTo } : {}),
  };
  return { signature, parsed: checked.value, summary };
}

/** What to do when no signature could be picked: name one, or export one where there are none. */
function signatureRemedy(model: SmokeModel, pick: string): string {
  return model.metaGraph.clientSignatures.length ? pick : 'Export the model with a serving signature (tf.saved_model.save(model, dir, signatures=...)).';
}
