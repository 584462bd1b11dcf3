// not-a-savedmodel: a file named saved_model.pb(txt) that is something else. The loader recognises
// it (fileKind.ts) before any rule can run; this turns its verdict into a finding.
import * as path from 'node:path';
import { LoadFailure } from '../savedmodel';
import { Issue, fileAt } from './finding';
import { Rule } from './rule';

export const notASavedModel: Rule = {
  id: 'not-a-savedmodel',
  defaultSeverity: 'error',
  description: 'The file named saved_model.pb(txt) is something else.',
};

export function notASavedModelIssue(failure: LoadFailure): Issue {
  const file = failure.location ? path.basename(failure.location.modelFile) : 'saved_model.pb';
  const what = failure.location ? failure.reason.replace(failure.location.modelFile, file) : failure.reason;
  return {
    message: `${what}. The prediction service needs a SavedModel here: export one with tf.saved_model.save (TF2) or SavedModelBuilder (TF1).`,
    location: fileAt(file),
  };
}
