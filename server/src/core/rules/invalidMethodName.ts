// invalid-method-name: the service knows three signature methods.
import { elementAt, Issue } from './finding';
import { CLASSIFY, PREDICT, REGRESS, SERVING_METHODS } from './methods';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

// Names seen in old or hand-written exports, and the method they meant.
const MEANT: Readonly<Record<string, string>> = {
  predict: PREDICT, prediction: PREDICT, classify: CLASSIFY, classification: CLASSIFY, regress: REGRESS, regression: REGRESS,
};

export const invalidMethodName: Rule = {
  id: 'invalid-method-name',
  defaultSeverity: 'error',
  description: 'A signature\'s method is not predict, classify or regress.',
  check(ctx: RuleContext): Issue[] {
    const out: Issue[] = [];
    for (const mg of ctx.serving.candidates) {
      for (const sig of mg.clientSignatures) {
        if (SERVING_METHODS.includes(sig.method)) continue;
        const meant = MEANT[sig.method.toLowerCase().replace(/^.*\//, '')];
        const what = sig.method ? `method name '${sig.method}'` : 'no method name';
        out.push({
          message: `Signature '${sig.key}' has ${what}; the service accepts ${SERVING_METHODS.join(', ')}. ` +
            (meant ? `Use ${meant}.` : `Use ${PREDICT} unless the signature follows the classify or regress API.`),
          location: elementAt([...sig.path, { field: 'method_name' }]),
        });
      }
    }
    return out;
  },
};
