// The smoke test's gate for signatures that touch the machine's files or log (rule file-access-op):
// the built-in runtime never runs one; the TensorFlow runtime only with --allow-file-access. The
// smoke test runs a model on the user's own machine, so a hostile model must not get a file read.
import type { Signature } from '../savedmodel';
import { describeFileAccess, signatureFileAccess } from '../rules/fileAccessNodes';
import { fileAccessOps } from '../rules/fileAccessOps';
import { RunFailure, RuntimeKind, failure } from './runtime';
import { SmokeModel } from './smokeModel';

export const ALLOW_FLAG = '--allow-file-access';

/** Why `runtime` must not run `signature`, or undefined when it may. */
export function fileAccessRefusal(model: SmokeModel, signature: Signature, runtime: RuntimeKind, allowed: boolean): RunFailure | undefined {
  const nodes = signatureFileAccess(model.metaGraph, signature);
  if (nodes.length === 0 || (runtime === 'tensorflow' && allowed)) return undefined;
  const more = nodes.length > 1 ? ` and ${nodes.length - 1} more such node${nodes.length > 2 ? 's' : ''}` : '';
  const what = `signature '${signature.key}' reaches ${describeFileAccess(nodes[0])}${more}`;
  if (runtime === 'builtin') {
    return failure('file-access', `the built-in runtime does not run ops that touch files or the log: ${what}`,
      `Remove the op from the serving signature (rule file-access-op); to run it anyway, use --runtime tensorflow ${ALLOW_FLAG}, in a sandbox.`);
  }
  return failure('file-access', `${what}; running it would touch this machine's files or log`,
    `Pass ${ALLOW_FLAG} to run it with TensorFlow anyway (in a sandbox), or remove the op from the serving signature (rule file-access-op).`);
}

/** The op types smoke_tf.py refuses to run unless allowed: its own look at the graph TensorFlow traced. */
export function refusedOps(allowed: boolean): string[] {
  return allowed ? [] : fileAccessOps().map(([op]) => op);
}
