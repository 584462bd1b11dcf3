// model-size-limit: the service refuses a model directory over the machine type's limit.
import { formatBytes } from '../units';
import { Issue, MODEL, fileAt } from './finding';
import { Rule } from './rule';
import { RuleContext } from './ruleContext';
import { SizeReport } from './sizeReport';

export const modelSizeLimit: Rule = {
  id: 'model-size-limit',
  defaultSeverity: 'error',
  description: 'The model directory is over the size limit of the chosen machine type (MLS1 500 MB, N1 10 GB).',
  check(ctx: RuleContext): Issue[] {
    const s = ctx.sizes;
    if (s.total <= s.limit.bytes) return [];
    return [{
      message: `The model directory is ${formatBytes(s.total)}, over the ${formatBytes(s.limit.bytes)} limit ${limitName(s)}. ${remedies(s)}`,
      location: MODEL,
      related: s.contributors.filter((c) => c.kind !== 'variable').slice(0, 5)
        .map((c) => ({ location: fileAt(c.name), message: `${c.name}: ${formatBytes(c.bytes)}` })),
    }];
  },
};

export function limitName(s: SizeReport): string {
  if (s.limit.source === 'max-size') return 'set with --max-size';
  return s.limit.source === 'mls1' ? 'of MLS1 (legacy) machine types' : 'of N1 (Compute Engine) machine types';
}

function remedies(s: SizeReport): string {
  const biggest = s.contributors.slice(0, 3).map((c) => `${c.name} ${formatBytes(c.bytes)}`).join(', ');
  const parts = [`Biggest: ${biggest}.`];
  if (s.float32Bytes > 0 || s.unusedBytes > 0) {
    parts.push(`A serving copy with float16 weights would be about ${formatBytes(s.estimates.float16)}, with 8-bit weights about ${formatBytes(s.estimates.int8)}` +
      ' (savedmodel-lens shrink, or SavedModel: Export Smaller Serving Copy, writes it and proves it answers the same).');
  }
  parts.push('Leave out what prediction does not need (savedmodel-lens export-serving), use narrower types or smaller assets' +
    `${s.limit.source === 'mls1' ? ', or deploy on an N1 machine type (10 GB)' : ''}.`);
  return parts.join(' ');
}
