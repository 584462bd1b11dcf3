// batch-dimension-fixed: the service stacks instances along the outer dimension of every input and
// output, so it must be unknown (-1). A fixed size, or a scalar with no batch dimension at all,
// fails batch prediction ("Outer dimension for outputs must be unknown"). Unknown rank is allowed.
import { elementAt, Issue } from './finding';
import { TensorSpec, formatShape } from '../savedmodel';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

export const batchDimensionFixed: Rule = {
  id: 'batch-dimension-fixed',
  defaultSeverity: 'warning',
  description: 'An input or output has a fixed outer dimension, or no batch dimension (rank 0).',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      for (const sig of mg.clientSignatures) {
        for (const [side, specs] of [['input', sig.inputs], ['output', sig.outputs]] as const) {
          for (const t of specs) {
            const problem = batchProblem(t);
            if (!problem) continue;
            out.push({
              message: `Signature '${sig.key}' ${side} '${t.key}' has shape ${formatShape(t.shape)}: ${problem}. ` +
                'The service batches instances along the outer dimension, which must be unknown: export with shape [None, ...].',
              location: elementAt([...t.path, { field: 'tensor_shape' }]),
            });
          }
        }
      }
    }
    return out;
  },
};

function batchProblem(t: TensorSpec): string | undefined {
  const dims = t.shape.dims;
  if (!dims) return undefined;
  if (dims.length === 0) return 'it is a scalar, with no batch dimension';
  if (dims[0] !== -1) return `its outer dimension is fixed to ${dims[0]}`;
  return undefined;
}
