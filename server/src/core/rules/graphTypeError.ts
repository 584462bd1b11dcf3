// graph-type-error: what TensorFlow's graph importer refuses before anything runs (unknown ops,
// missing required attrs, input counts or dtypes that disagree with the OpDefs, inputs or
// colocations naming missing nodes), and signature tensors that do not exist with their dtype.
// The check itself is graphcheck/; ops TensorFlow registers itself need no OpDef in the model.
import { checkMetaGraph } from '../graphcheck';
import { elementAt, Issue } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { isStandardOp } from './customOp';

export const graphTypeError: Rule = {
  id: 'graph-type-error',
  defaultSeverity: 'error',
  description: 'The graph does not type-check: unknown ops, missing attrs, wrong input counts or dtypes, inputs naming missing nodes.',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.model.doc.metaGraphs) {
      const problems = checkMetaGraph(ctx.model.doc, mg, { registered: isStandardOp });
      for (const p of problems) out.push({ message: `${p.message}. TensorFlow refuses to load a graph that does not type-check.`, location: elementAt(p.path) });
    }
    return out;
  },
};
