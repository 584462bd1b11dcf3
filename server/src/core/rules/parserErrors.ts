// syntax-error / schema-error: what the text parser reports for a saved_model.pbtxt (text that is
// not protobuf text format; fields or values the SavedModel schema does not have). protoc, and so
// TensorFlow, rejects such a file.
import { TextErrorCode } from '../textformat';
import { Issue, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

function parserRule(code: TextErrorCode, description: string): Rule {
  return {
    id: code,
    defaultSeverity: 'error',
    description,
    check(ctx: RuleContext): Issue[] {
      const text = ctx.model.text;
      if (!text) return [];
      return text.parse.errors.filter((e) => e.code === code).map((e) => ({
        message: e.suggestions?.length ? `${e.message} (did you mean ${e.suggestions.map((s) => `'${s}'`).join(', ')}?)` : e.message,
        location: fileAt(ctx.modelFileName, { start: e.start, end: e.end }),
      }));
    },
  };
}

export const syntaxError = parserRule('syntax-error', 'The .pbtxt is not valid protobuf text format.');
export const schemaError = parserRule('schema-error', 'The .pbtxt names a field or value the SavedModel schema does not have.');
