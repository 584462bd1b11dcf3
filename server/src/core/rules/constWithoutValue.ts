// const-without-value: TensorFlow's loader checks every node, of the graph and (in TF 2) of its
// functions, before it creates the session (ValidateSavedTensors in cc/saved_model/loader.cc), and
// refuses the whole model when a Const has no `value` attr ("a constant tensor but no value has
// been provided"), or when a `value` tensor's shape has no known size (a -1 dimension, or unknown
// rank). Only Const and HostConst carry a tensor `value`, so only their attrs are decoded: a
// 300k-node graph is not decoded node by node.
import { NodeTable } from '../savedmodel';
import { list, msg, num, PlainMessage } from '../protobuf';
import { ElementPath } from '../elementPath';
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { functionNodePath, graphNodePath } from './servingGraph';

const VALUE_OPS = new Set(['Const', 'HostConst']);

export const constWithoutValue: Rule = {
  id: 'const-without-value',
  defaultSeverity: 'error',
  description: 'A Const node without a value, or with a value of unknown size: TensorFlow refuses to load the model.',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      checkNodes(mg.graph, (i) => graphNodePath(mg, i), out);
      for (const fn of mg.functions.values()) checkNodes(fn.nodes, (k) => functionNodePath(fn.path, k), out);
    }
    return out;
  },
};

function checkNodes(nodes: NodeTable, pathOf: (i: number) => ElementPath, out: Issue[]): void {
  nodes.ops.forEach((op, i) => {
    if (!VALUE_OPS.has(op)) return;
    const problem = valueProblem(op, nodes.attrSizes(i)); // shapes only: no tensor bytes read
    if (problem) out.push({ message: `Node '${nodes.name(i)}' (${op}) ${problem}: TensorFlow refuses to load the model.`, location: elementAt(pathOf(i)) });
  });
}

/** What the loader would say about this node's `value`, or undefined when it passes. */
function valueProblem(op: string, attrs: PlainMessage): string | undefined {
  const value = attrs.value as PlainMessage | undefined;
  if (!value) return op === 'Const' ? 'is a constant but has no `value` attr' : undefined;
  if (value.tensor === undefined) return undefined;
  const shape = msg(msg(value.tensor).tensor_shape);
  if (shape.unknown_rank === true) return 'holds a tensor of unknown rank';
  const dims = list(shape.dim).map((d) => num(msg(d).size));
  return dims.some((d) => d < 0) ? `holds a tensor of unknown size (shape [${dims.join(', ')}])` : undefined;
}
