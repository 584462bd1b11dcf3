// predict-signature-missing: online prediction calls a PREDICT signature.
import { elementAt, Issue } from './finding';
import { PREDICT } from './methods';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { formatTags } from './servingMetaGraphs';

export const predictSignatureMissing: Rule = {
  id: 'predict-signature-missing',
  defaultSeverity: 'error',
  description: `The serving meta graph has no signature with method ${PREDICT}.`,
  check(ctx: RuleContext): Issue[] {
    return ctx.serving.candidates.filter((mg) => !mg.clientSignatures.some((s) => s.method === PREDICT)).map((mg) => {
      const sigs = mg.clientSignatures.map((s) => `${s.key} [${s.method || 'no method'}]`);
      return {
        message: `Meta graph ${formatTags(mg)} has no signature with method ${PREDICT} ` +
          `(${sigs.length ? `it has ${sigs.join(', ')}` : 'it has no signatures'}). ` +
          'Add a PREDICT signature: tf.saved_model.save(..., signatures=...) in TF2, signature_def_utils.predict_signature_def in TF1.',
        location: elementAt(mg.path),
      };
    });
  },
};
