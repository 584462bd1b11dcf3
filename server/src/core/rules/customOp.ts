// custom-op: op types outside TensorFlow's standard set (standardOps.ts) cannot be loaded by the
// managed service. Every op of a meta graph's main graph must be known to load it at all; inside
// library functions only the functions a serving signature calls matter, as functions are
// instantiated when called. Ops named after a library function are calls, and ops starting with
// `_` are TensorFlow's internal ops (fused kernels and the like), so neither is custom.
import { MetaGraph } from '../savedmodel';
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { ServingReach, functionNodePath, graphNodePath, reachedBy } from './servingGraph';
import { STANDARD_OPS } from './standardOps';
import { groupBy, relatedNodes } from './nodeGroups';
import { ElementPath } from '../elementPath';
import { anyOp } from './graphOps';

let standard: ReadonlySet<string> | undefined;

export function isStandardOp(op: string): boolean {
  standard ??= new Set(STANDARD_OPS);
  return standard.has(op) || op.startsWith('_');
}

// Where well-known custom ops come from, so the message can say what to install or avoid.
const ORIGINS: ReadonlyArray<[RegExp, string]> = [
  [/^TRTEngineOp$|^CreateTRTResourceHandle$|^InitializeTRTResource$/, 'TensorRT (TF-TRT)'],
  [/^SimpleML/, 'TensorFlow Decision Forests'],
  [/^TFText>|Tokenize|Tokenizer|Sentencepiece|Wordpiece|^NormalizeUTF8|^CaseFoldUTF8|^RegexSplitWithOffsets|^ConstrainedSequence|^MaxSpanningTree|^NgramsStringJoin/, 'TensorFlow Text'],
  [/^(Addons>|Addons)/, 'TensorFlow Addons'],
  [/^IO>/, 'TensorFlow I/O'],
];

interface CustomNode {
  readonly op: string;
  readonly name: string;
  readonly path: ElementPath;
  /** Signature that reaches it; undefined for main-graph nodes no signature uses. */
  readonly signature: string | undefined;
}

export const customOp: Rule = {
  id: 'custom-op',
  defaultSeverity: 'warning',
  description: 'Op types outside TensorFlow\'s standard set (TF-Text, TF-DF, TensorRT...).',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      if (!anyOp(mg, (op) => !isStandardOp(op) && !mg.functions.has(op))) continue;
      const nodes = customNodes(mg, ctx.reach(mg));
      for (const [op, list] of groupBy(nodes, (n) => n.op)) out.push(issue(op, list));
    }
    return out;
  },
};

function customNodes(mg: MetaGraph, reach: ServingReach): CustomNode[] {
  const out: CustomNode[] = [];
  const custom = (op: string): boolean => !isStandardOp(op) && !mg.functions.has(op);
  mg.graph.ops.forEach((op, i) => {
    if (custom(op)) out.push({ op, name: mg.graph.name(i), path: graphNodePath(mg, i), signature: reachedBy(reach, i) });
  });
  for (const [name, fn] of mg.functions) {
    const signature = reach.functions.get(name);
    if (signature === undefined) continue;
    fn.nodes.ops.forEach((op, k) => {
      if (custom(op)) out.push({ op, name: fn.nodes.name(k), path: functionNodePath(fn.path, k), signature });
    });
  }
  return out;
}

function issue(op: string, nodes: readonly CustomNode[]): Issue {
  const used = nodes.find((n) => n.signature !== undefined);
  const first = used ?? nodes[0];
  const origin = ORIGINS.find(([re]) => re.test(op))?.[1];
  const where = used ? `used by signature '${used.signature}'` : 'not used by any signature, but TensorFlow must know it to load the graph';
  return {
    message: `Op type '${op}' is not a standard TensorFlow op (${nodes.length} node${nodes.length > 1 ? 's' : ''}, ${where})` +
      `${origin ? `; it comes from ${origin}` : ''}. The managed prediction service cannot load models with custom ops: ` +
      'use a custom serving container that links the op library, or rebuild the model from standard ops.',
    location: elementAt(first.path),
    related: relatedNodes(nodes.filter((n) => n !== first)),
  };
}
