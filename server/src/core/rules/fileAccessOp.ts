// file-access-op: ops that read or write the server's files or print to its log, reached by a
// serving signature (servingGraph.ts), so any request runs them. The saver's Save/Restore ops and
// init ops are run by the loader from the model's own directory and no signature reaches them, so
// they do not count; the same ops reached from a signature do.
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { ServedNode, servedNodesOf } from './servingGraph';
import { describeFileAccess, touchesFiles } from './fileAccessNodes';
import { anyOp } from './graphOps';
import { groupBy, relatedNodes } from './nodeGroups';

export const fileAccessOp: Rule = {
  id: 'file-access-op',
  defaultSeverity: 'error',
  description: 'A serving signature reaches ops that read or write files or print to the server\'s log (ReadFile, WriteFile, PrintV2...).',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      if (!anyOp(mg, touchesFiles)) continue;
      const nodes = servedNodesOf(ctx.reach(mg), touchesFiles);
      for (const [op, list] of groupBy(nodes, (n) => n.op)) out.push(issue(op, list));
    }
    return out;
  },
};

function issue(op: string, nodes: readonly ServedNode[]): Issue {
  const first = nodes[0];
  const more = nodes.length > 1 ? ` and ${nodes.length - 1} more ${op} node${nodes.length > 2 ? 's' : ''}` : '';
  return {
    message: `Signature '${first.signature}' reaches ${describeFileAccess(first)}${more}: every request would run it on the server. ` +
      'A serving graph should only compute; remove the op from the exported signature (tf.print, tf.io.read_file and ' +
      'tf.io.write_file belong in training or debugging code).',
    location: elementAt(first.path),
    related: relatedNodes(nodes.slice(1)),
  };
}
