// The file-touching nodes (fileAccessOps.ts) that running one signature executes, and how to name
// one: shared by the rule file-access-op and the smoke test's gate. Imports no rule machinery, so
// smoke/ can use it without an import cycle.
import { MetaGraph, Signature } from '../savedmodel';
import { formatPath } from '../elementPath';
import { ServedNode, servedNodesOf, servingReach } from './servingGraph';
import { fileAccessOf } from './fileAccessOps';
import { anyOp } from './graphOps';

export function touchesFiles(op: string): boolean {
  return fileAccessOf(op) !== undefined;
}

/** The file-touching nodes that running `signature` alone executes (the smoke test's gate). */
export function signatureFileAccess(mg: MetaGraph, signature: Signature): ServedNode[] {
  if (!anyOp(mg, touchesFiles)) return [];
  return servedNodesOf(servingReach(mg, [signature]), touchesFiles);
}

/** One line naming the node, its op and what it does, with its path in the model. */
export function describeFileAccess(n: ServedNode): string {
  return `${n.op} '${n.name}'${n.fn ? ` in function '${n.fn}'` : ''} ${fileAccessOf(n.op)} (${formatPath(n.path)})`;
}
