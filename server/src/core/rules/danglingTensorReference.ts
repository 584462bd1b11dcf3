// dangling-tensor-reference: a signature names `node:index` and the graph has no such node, so
// the first request fails (or the model does not load).
import { elementAt, Issue } from './finding';
import { nodeNameOf } from '../savedmodel';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { findNodes } from './graphOps';

export const danglingTensorReference: Rule = {
  id: 'dangling-tensor-reference',
  defaultSeverity: 'error',
  description: 'A signature names a tensor that the graph does not have.',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      const named = mg.signatures.flatMap((s) => [...s.inputs, ...s.outputs]).flatMap((t) => (t.name === undefined ? [] : [nodeNameOf(t.name)]));
      const found = findNodes(mg, named);
      for (const sig of mg.signatures) {
        for (const [side, specs] of [['input', sig.inputs], ['output', sig.outputs]] as const) {
          for (const t of specs) {
            if (t.name === undefined || found.has(nodeNameOf(t.name))) continue;
            out.push({
              message: `Signature '${sig.key}' ${side} '${t.key}' names tensor '${t.name}', but the graph has no node '${nodeNameOf(t.name)}'. ` +
                'Fix the tensor name, or export the signature from the graph it was built with.',
              location: elementAt([...t.path, { field: 'name' }]),
            });
          }
        }
      }
    }
    return out;
  },
};
