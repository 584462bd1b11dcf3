// training-op-in-serving-graph: readers, queues, losses, optimizer updates, summaries and dropout
// that running a serving signature executes. Only the serving graph counts (servingGraph.ts): a TF1
// export's training ops that no signature reaches are harmless.
import { MetaGraph } from '../savedmodel';
import { NodeTable } from '../savedmodel';
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { ServedNode, ServingReach, functionNodePath, graphNodePath, reachedBy, reachedGraphNodes, servedNodesOf } from './servingGraph';
import { trainingKind } from './trainingOps';
import { dropoutSites, isRandomOp } from './dropout';
import { anyOp } from './graphOps';
import { ElementPath } from '../elementPath';
import { groupBy, relatedNodes } from './nodeGroups';

export const trainingOpInServingGraph: Rule = {
  id: 'training-op-in-serving-graph',
  defaultSeverity: 'warning',
  description: 'Readers, queues, dropout, losses, optimizers or summaries are reachable from a serving signature.',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      if (!anyOp(mg, (op) => trainingKind(op) !== undefined || isRandomOp(op))) continue;
      const reach = ctx.reach(mg);
      const flagged = servedNodesOf(reach, (op) => trainingKind(op) !== undefined);
      for (const [op, nodes] of groupBy(flagged, (n) => n.op)) out.push(opIssue(op, nodes));
      const dropout = dropoutNodes(mg, reach);
      if (dropout.length) out.push(dropoutIssue(dropout));
    }
    return out;
  },
};

const ADVICE = 'Export a serving graph that only does inference (Keras: save the model after training, '
  + 'so serving calls it with training=False; TF1: a separate graph with a serving_input_receiver_fn).';

function opIssue(op: string, nodes: readonly ServedNode[]): Issue {
  const first = nodes[0];
  const count = nodes.length === 1 ? `'${first.name}'` : `'${first.name}' and ${nodes.length - 1} more`;
  return {
    message: `${op} (${trainingKind(op)}) is reachable from signature '${first.signature}': ${count}. ` +
      `Serving should not ${VERB[trainingKind(op) ?? 'summary']}. ${ADVICE}`,
    location: elementAt(first.path),
    related: relatedNodes(nodes.slice(1)),
  };
}

const VERB: Readonly<Record<string, string>> = {
  'file reader': 'read training files',
  'input queue': 'pull from input queues',
  loss: 'compute a loss',
  'optimizer update': 'update weights',
  summary: 'write summaries',
};

interface DropoutNode {
  readonly name: string;
  readonly signature: string;
  readonly path: ElementPath;
}

function dropoutNodes(mg: MetaGraph, reach: ServingReach): DropoutNode[] {
  const out: DropoutNode[] = [];
  const mainMembers = reachedGraphNodes(reach);
  const inUnit = (nodes: NodeTable, members: number[], signature: (i: number) => string, path: (i: number) => ElementPath): void => {
    for (const site of dropoutSites(nodes, members)) out.push({ name: nodes.name(site.random), signature: signature(site.random), path: path(site.random) });
  };
  inUnit(mg.graph, mainMembers, (i) => reachedBy(reach, i) as string, (i) => graphNodePath(mg, i));
  for (const [name, fn] of mg.functions) {
    const signature = reach.functions.get(name);
    if (signature === undefined) continue;
    const all = Array.from({ length: fn.nodes.count }, (_, k) => k);
    inUnit(fn.nodes, all, () => signature, (k) => functionNodePath(fn.path, k));
  }
  return out;
}

function dropoutIssue(nodes: readonly DropoutNode[]): Issue {
  const first = nodes[0];
  return {
    message: `Dropout is reachable from signature '${first.signature}': '${first.name}' draws a random keep mask` +
      `${nodes.length > 1 ? ` (and ${nodes.length - 1} more)` : ''}, so predictions are random and scaled. ${ADVICE}`,
    location: elementAt(first.path),
    related: relatedNodes(nodes.slice(1)),
  };
}
