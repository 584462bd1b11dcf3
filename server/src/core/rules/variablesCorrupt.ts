// variables-corrupt: checkpoint entries TensorFlow would refuse to restore. Every check compares
// each entry's range with its shard's length (a stat per shard) and verifies the entry it reads
// anyway (the TF2 object graph); with `verifyData` (check --verify-data) every shard is read and
// every entry's size and CRC32C verified, as restore does.
import * as path from 'node:path';
import { CheckpointIndex, EntryFault, OBJECT_GRAPH_KEY, shardLengthFaults, verifyCheckpointData } from '../checkpoint';
import { Issue, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';

// A truncated shard faults every entry after the cut: name the first few, count the rest.
const NAMED_PER_SHARD = 10;

export const variablesCorrupt: Rule = {
  id: 'variables-corrupt',
  defaultSeverity: 'error',
  description: 'A variable\'s bytes in a data shard do not match its checkpoint entry (range, size or checksum).',
  check(ctx: RuleContext): Issue[] {
    const v = ctx.model.variables;
    if (v.kind !== 'v2') return [];
    const dir = path.join(ctx.model.location.dir, 'variables');
    const faults = ctx.options.verifyData ? verifyCheckpointData(dir, v.index) : readAnyway(dir, v.index);
    return perShard(faults).flatMap(issuesOf);
  },
};

/** Without --verify-data: every range against its shard's length, and the one entry check reads (the TF2 object graph). */
function readAnyway(dir: string, index: CheckpointIndex): EntryFault[] {
  const objectGraph = verifyCheckpointData(dir, index, undefined, (e) => e.name === OBJECT_GRAPH_KEY);
  return [...shardLengthFaults(dir, index).filter((f) => f.name !== OBJECT_GRAPH_KEY), ...objectGraph];
}

function perShard(faults: readonly EntryFault[]): EntryFault[][] {
  const groups = new Map<string, EntryFault[]>();
  for (const f of faults) groups.set(f.shard, [...(groups.get(f.shard) ?? []), f]);
  return [...groups.values()];
}

const FIX = 'TensorFlow refuses to restore it; copy variables/ again from where the model was exported.';

function issuesOf(faults: readonly EntryFault[]): Issue[] {
  const location = fileAt(`variables/${faults[0].shard}`);
  const out: Issue[] = faults.slice(0, NAMED_PER_SHARD).map((f) => ({
    message: `${f.name === OBJECT_GRAPH_KEY ? `The object graph entry '${f.name}'` : `Variable '${f.name}'`} in variables/${f.shard} is corrupt: ${f.message}. ${FIX}`,
    location,
  }));
  const rest = faults.length - NAMED_PER_SHARD;
  if (rest > 0) out.push({ message: `${rest} more variable${rest > 1 ? 's' : ''} in variables/${faults[0].shard} ${rest > 1 ? 'are' : 'is'} corrupt. ${FIX}`, location });
  return out;
}
