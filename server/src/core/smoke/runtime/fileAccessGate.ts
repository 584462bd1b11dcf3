// The smoke test's gate for signatures that touch the machine's files or log (rule file-access-op):
// the built-in runtime runs none but reads of the model's own assets, computed on the host; the
// TensorFlow runtime runs one only with --allow-file-access. The smoke test runs a model on the
// user's own machine, so a hostile model must not get a file read.
import type { Signature } from '../../savedmodel';
import { describeFileAccess, signatureFileAccess } from '../../rules/fileAccessNodes';
import { fileAccessOf, fileAccessOps } from '../../rules/fileAccessOps';
import type { ModelArtifacts } from '../freeze/graphArtifacts';
import { RunFailure, RuntimeKind, failure } from './runtime';
import { SmokeModel } from '../smokeModel';

export const ALLOW_FLAG = '--allow-file-access';

/** Why `runtime` must not run `signature`, or undefined when it may. */
export function fileAccessRefusal(model: SmokeModel, signature: Signature, runtime: RuntimeKind, allowed: boolean): RunFailure | undefined {
  return fileAccessGate(model, signature, runtime, allowed)?.refusal;
}

/** The refusal, and whether every file op reached is a ReadFile (which the freeze may compute from an asset). */
export function fileAccessGate(model: SmokeModel, signature: Signature, runtime: RuntimeKind, allowed: boolean): { refusal: RunFailure; readsOnly: boolean } | undefined {
  const nodes = signatureFileAccess(model.metaGraph, signature);
  if (nodes.length === 0 || (runtime === 'tensorflow' && allowed)) return undefined;
  const more = nodes.length > 1 ? ` and ${nodes.length - 1} more such node${nodes.length > 2 ? 's' : ''}` : '';
  const what = `signature '${signature.key}' reaches ${describeFileAccess(nodes[0])}${more}`;
  const readsOnly = nodes.every((n) => n.op === 'ReadFile');
  if (runtime === 'builtin') {
    return { readsOnly, refusal: failure('file-access', `the built-in runtime does not run ops that touch files or the log: ${what}`,
      `Remove the op from the serving signature (rule file-access-op); to run it anyway, use --runtime tensorflow ${ALLOW_FLAG}, in a sandbox.`) };
  }
  return { readsOnly, refusal: failure('file-access', `${what}; running it would touch this machine's files or log`,
    `Pass ${ALLOW_FLAG} to run it with TensorFlow anyway (in a sandbox), or remove the op from the serving signature (rule file-access-op).`) };
}

/** The op types smoke_tf.py refuses to run unless allowed: its own look at the graph TensorFlow traced. */
export function refusedOps(allowed: boolean): string[] {
  return allowed ? [] : fileAccessOps().map(([op]) => op);
}

/**
 * Whether the frozen graph, its functions or its initializer still hold a file or log op. The
 * freeze computes ReadFile of a file inside the model's own folder (an asset) on the host, as
 * TensorFlow's loader hands the model its assets; anything else stays and is refused.
 */
export function frozenTouchesFiles(artifacts: ModelArtifacts): boolean {
  const nodes = [
    ...artifacts.modelTopology.node,
    ...(artifacts.modelTopology.library?.function ?? []).flatMap((f) => f.nodeDef),
    ...(artifacts.modelInitializer?.node ?? []),
  ];
  return nodes.some((n) => fileAccessOf(n.op) !== undefined);
}

export const OWN_ASSET_READS = 'file reads of the model\'s own assets were computed on the host; the frozen graph touches no file';
