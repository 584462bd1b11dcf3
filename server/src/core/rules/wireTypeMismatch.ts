// wire-type-mismatch: a field of the schema stored with another wire type (a varint written as
// fixed32, say). protoc's parser, and so TensorFlow's loader, accepts the file and keeps such a
// field as an unknown field: the model loads, but without that value. Not an error, as protoc
// accepts it; worth a warning, since what the file meant to say is silently dropped.
import { describeProblem } from '../protobuf';
import { Issue, elementAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

export const wireTypeMismatch: Rule = {
  id: 'wire-type-mismatch',
  defaultSeverity: 'warning',
  description: 'A field is stored with another wire type than the schema\'s: TensorFlow loads the model without its value.',
  check(ctx: RuleContext): Issue[] {
    const { wireWarnings, wireWarningCount } = ctx.model;
    const more = wireWarningCount - wireWarnings.length;
    return wireWarnings.map((w, i) => ({
      message: `${describeProblem(w)}; TensorFlow loads the model without this value${i === wireWarnings.length - 1 && more > 0 ? ` (and ${more} more such field${more > 1 ? 's' : ''})` : ''}.`,
      location: elementAt(w.path),
    }));
  },
};
