// not-a-savedmodel: a file named saved_model.pb(txt) that is something else, or a binary one that
// protoc would refuse (damaged: the wire walk says where, validateWire.ts). The loader recognises it
// before any rule can run; this turns its verdict into a finding, and no other rule runs.
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
  // A damaged file (protoc refuses it too) needs a fresh copy, not a different export.
  const fix = failure.wire
    ? 'TensorFlow cannot load it either: the file was cut short or altered after it was written. Copy it again from its source, or export the model again.'
    : 'The prediction service needs a SavedModel here: export one with tf.saved_model.save (TF2) or SavedModelBuilder (TF1).';
  return {
    message: `${what}. ${fix}`,
    location: fileAt(file),
  };
}
