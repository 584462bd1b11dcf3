// Run the source and the copy in the built-in runtime on the same request, signature by signature:
// the user's request file, else one synthesized from the signature (a batch of 4, seeded).
import * as fs from 'node:fs';
import type { LoadedModel, Signature } from '../savedmodel';
import { BuiltinRuntime, HostTensor, RunResult, SmokeModel, WorkerEntry, exampleInputSpecs, parseRequestText, pickSignature, smokeModel, synthesizeRequest, validateRequest } from '../smoke';
import { OutputDiff, diffOutput } from './answerDiff';

export const SYNTHESIZED_BATCH = 4;

export interface CompareOptions {
  readonly instancesFile?: string;
  readonly tolerance: number;
  readonly signal?: AbortSignal;
  readonly worker?: WorkerEntry;
  readonly onProgress?: (message: string) => void;
}

export type SignatureAnswers =
  | { readonly signature: string; readonly compared: true; readonly request: string; readonly outputs: readonly OutputDiff[] }
  | { readonly signature: string; readonly compared: false; readonly reason: string };

type Loaded = Pick<LoadedModel, 'doc' | 'variables' | 'location'>;

export async function compareAnswers(source: Loaded, copy: Loaded, signatures: readonly Signature[], opts: CompareOptions): Promise<SignatureAnswers[]> {
  const a = smokeModel(source);
  const b = smokeModel(copy);
  if (typeof a === 'string' || typeof b === 'string') return signatures.map((s) => ({ signature: s.key, compared: false, reason: typeof a === 'string' ? a : String(b) }));
  const out: SignatureAnswers[] = [];
  for (const s of signatures) out.push(await compareOne(a, b, s, opts));
  return out;
}

async function compareOne(a: SmokeModel, b: SmokeModel, sig: Signature, opts: CompareOptions): Promise<SignatureAnswers> {
  const request = requestFor(a, sig, opts.instancesFile);
  if ('error' in request) return { signature: sig.key, compared: false, reason: request.error };
  const copySig = pickSignature(b, sig.key);
  if (typeof copySig === 'string') return { signature: sig.key, compared: false, reason: `the copy: ${copySig}` };
  opts.onProgress?.(`running signature '${sig.key}' on the source`);
  const ra = await run(a, sig, request.inputs, opts);
  if (!ra.ok) return { signature: sig.key, compared: false, reason: `the built-in runtime cannot run the source: ${ra.message}` };
  opts.onProgress?.(`running signature '${sig.key}' on the copy`);
  const rb = await run(b, copySig, request.inputs, opts);
  if (!rb.ok) return { signature: sig.key, compared: false, reason: `the built-in runtime cannot run the copy: ${rb.message}` };
  const outputs = ra.outputs.map((o) => diffOutput(sig.key, o, rb.outputs.find((x) => x.key === o.key), opts.tolerance));
  return { signature: sig.key, compared: true, request: request.source, outputs };
}

function run(m: SmokeModel, sig: Signature, inputs: Readonly<Record<string, HostTensor>>, opts: CompareOptions): Promise<RunResult> {
  // The cpu backend computes in float32 exactly as written, so differences are the copy's own.
  return new BuiltinRuntime(opts.worker).run(m, sig, inputs, {
    runs: 1, warmup: 0, device: 'cpu', backend: 'cpu', timeoutMs: 300_000,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

type Request = { readonly inputs: Readonly<Record<string, HostTensor>>; readonly source: string } | { readonly error: string };

function requestFor(m: SmokeModel, sig: Signature, file: string | undefined): Request {
  let body;
  let source: string;
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      return { error: `cannot read ${file}: ${(e as Error).message}` };
    }
    const parsed = parseRequestText(text);
    if (!parsed.ok) return { error: `${file}: ${parsed.error}` };
    body = parsed.value;
    source = file;
  } else {
    try {
      // Inputs the graph parses as tf.Examples get valid Examples of the features it reads.
      body = synthesizeRequest(m.dir, m.metaGraph, sig, SYNTHESIZED_BATCH, 1, exampleInputSpecs(m, sig)).body;
    } catch (e) {
      return { error: `no request could be synthesized: ${(e as Error).message}; pass one with --instances` };
    }
    source = `synthesized, batch of ${SYNTHESIZED_BATCH}`;
  }
  const checked = validateRequest(body, sig);
  if (!checked.ok) return { error: `the request does not fit signature '${sig.key}': ${checked.error}` };
  return { inputs: checked.value.inputs, source };
}
