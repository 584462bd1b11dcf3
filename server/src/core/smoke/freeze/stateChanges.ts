// Signatures that change a variable or a table as a request runs (a counter's increment): the
// built-in runtime computes each request from the values at load, and says so.
import { FlatNode } from './flatGraph';

// Ops that change a variable or a table as a request runs (a counter's increment).
export const STATE_CHANGING = /^(Assign(Add|Sub)?(VariableOp)?|ResourceScatter\w+|ScatterAdd|ScatterUpdate|LookupTable(Insert|Remove)V2|ResourceApply\w+)$/;

/** A signature that changes state computes, built in, from the values at load every time: say so. */
export function stateChanges(nodes: readonly FlatNode[], isInit: (node: FlatNode) => boolean): string[] {
  const changing = [...new Map(nodes.filter((n) => STATE_CHANGING.test(n.op) && !isInit(n)).map((n) => [n.name, n])).values()];
  if (!changing.length) return [];
  const first = changing[0];
  return [`the signature changes state (${first.op} ${first.name}${changing.length > 1 ? ` and ${changing.length - 1} more` : ''}): the built-in runtime answers every request from the values at load, where TensorFlow carries the change to the next request`];
}

