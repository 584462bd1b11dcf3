// serving-default-missing: requests that name no signature get `serving_default`.
import { elementAt, Issue } from './finding';
import { DEFAULT_SIGNATURE_KEY } from './methods';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { formatTags } from './servingMetaGraphs';

export const servingDefaultMissing: Rule = {
  id: 'serving-default-missing',
  defaultSeverity: 'warning',
  description: `No signature has the default key \`${DEFAULT_SIGNATURE_KEY}\`.`,
  check(ctx: RuleContext): Issue[] {
    return ctx.serving.candidates.filter((mg) => !mg.clientSignatures.some((s) => s.key === DEFAULT_SIGNATURE_KEY)).map((mg) => {
      const keys = mg.clientSignatures.map((s) => s.key);
      return {
        message: `Meta graph ${formatTags(mg)} has no '${DEFAULT_SIGNATURE_KEY}' signature` +
          `${keys.length ? ` (keys: ${keys.join(', ')}): every request must name one with signature_name` : ''}. ` +
          `Export the main signature under the key '${DEFAULT_SIGNATURE_KEY}'.`,
        location: elementAt(mg.path),
      };
    });
  },
};
