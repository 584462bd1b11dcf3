// legacy-v1-checkpoint: variables in the V1 (TensorSlice) format of 2016. TensorFlow still restores
// it, but the layout the service documents is variables.index plus data shards, and tools that read
// checkpoints (this one included) cannot list its tensors or size them.
import * as path from 'node:path';
import { Issue, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

export const legacyV1Checkpoint: Rule = {
  id: 'legacy-v1-checkpoint',
  defaultSeverity: 'info',
  description: 'The variables are a legacy V1 (TensorSlice) checkpoint.',
  check(ctx: RuleContext): Issue[] {
    const v = ctx.model.variables;
    if (v.kind !== 'v1') return [];
    const rel = path.relative(ctx.model.location.dir, v.path).split(path.sep).join('/');
    return [{
      message: `${v.message}. Load and save the model with a current TensorFlow to get variables/variables.index and data shards.`,
      location: fileAt(rel),
    }];
  },
};
