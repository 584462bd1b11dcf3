// The human form of a check: findings grouped by file (line:column in text files, element paths
// in binary ones), the size report, then a one-line summary.
import * as path from 'node:path';
import { formatBytes } from '../units';
import { Finding } from '../rules/finding';
import { SizeReport } from '../rules/sizeReport';
import { limitName } from '../rules/modelSizeLimit';
import { CheckOutcome, countSeverities } from './checkModel';
import { LocationResolver, ResolvedLocation } from './resolveLocation';
import { groupBy } from '../rules/nodeGroups';

const MODEL_DIRECTORY = '(model directory)';
const MAX_RELATED = 3;

export function formatCheckText(outcome: CheckOutcome, resolve: LocationResolver): string {
  if (outcome.kind === 'unreadable') return `${outcome.input}: ${outcome.reason}\n`;
  const out: string[] = [header(outcome)];
  const located = outcome.findings.map((f) => ({ f, at: resolve(f.location) }));
  for (const [file, list] of groupBy(located, (x) => x.at.file ?? MODEL_DIRECTORY)) {
    out.push('', file);
    for (const { f, at } of list) out.push(...findingLines(f, at, resolve));
  }
  if (outcome.kind === 'checked') out.push('', ...sizeLines(outcome.size));
  out.push('', summaryLine(outcome));
  return `${out.join('\n')}\n`;
}

function header(outcome: Exclude<CheckOutcome, { kind: 'unreadable' }>): string {
  if (outcome.kind === 'not-a-savedmodel') return `Checked ${outcome.location?.modelFile ?? outcome.input}: not a SavedModel`;
  const loc = outcome.model.location;
  const versions = loc.versions ? `; versions ${loc.versions.join(', ')}, checking the latest` : '';
  return `Checked ${loc.modelFile} (${loc.format === 'text' ? 'text' : 'binary'} SavedModel${versions})`;
}

function where(at: ResolvedLocation): string {
  if (at.range) return `${at.range.start.line}:${at.range.start.column}`;
  return at.element ?? '';
}

function findingLines(f: Finding, at: ResolvedLocation, resolve: LocationResolver): string[] {
  const place = where(at);
  const lines = [`  ${place ? `${place}  ` : ''}${f.severity}  ${f.message}  [${f.ruleId}]`];
  const related = f.related ?? [];
  for (const r of related.slice(0, MAX_RELATED)) {
    const rat = resolve(r.location);
    const rplace = where(rat);
    const file = rat.file && rat.file !== at.file ? `${rat.file} ` : '';
    lines.push(`      ${file}${rplace}${rplace || file ? ': ' : ''}${r.message}`);
  }
  if (related.length > MAX_RELATED) lines.push(`      … and ${related.length - MAX_RELATED} more`);
  return lines;
}

export function sizeLines(s: SizeReport): string[] {
  const percent = s.limit.bytes > 0 ? ` (${percentText((100 * s.total) / s.limit.bytes)})` : '';
  const lines = [
    `Size: ${formatBytes(s.total)} of the ${formatBytes(s.limit.bytes)} limit ${limitName(s)}${percent}${s.total > s.limit.bytes ? ': OVER THE LIMIT' : ''}`,
    `  model file ${formatBytes(s.parts.modelFile)}, variables ${formatBytes(s.parts.variables)}, assets ${formatBytes(s.parts.assets)}, other ${formatBytes(s.parts.other)}`,
  ];
  if (s.contributors.length) {
    lines.push('  biggest:');
    for (const c of s.contributors.slice(0, 5)) lines.push(`    ${formatBytes(c.bytes).padStart(9)}  ${c.kind} ${c.name}${c.dtype ? ` (${c.dtype})` : ''}`);
  }
  if (s.float32Bytes > 0) {
    lines.push(`  float32 weights ${formatBytes(s.float32Bytes)}: as float16 the model would weigh ${formatBytes(s.estimates.float16)}, with 8-bit weights ${formatBytes(s.estimates.int8)}`);
  } else if (!s.variablesKnown) {
    lines.push('  (the variables could not be listed, so no estimate for narrower weights)');
  }
  return lines;
}

function percentText(p: number): string {
  if (p > 0 && p < 0.01) return '<0.01%';
  return `${p.toFixed(p < 1 ? 2 : p < 10 ? 1 : 0)}%`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;
}

export function summaryLine(outcome: Exclude<CheckOutcome, { kind: 'unreadable' }>): string {
  const c = countSeverities(outcome.findings);
  const counts = `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'info')}`;
  const dir = outcome.kind === 'checked' ? outcome.model.location.dir : outcome.location ? path.dirname(outcome.location.modelFile) : outcome.input;
  const verdict = c.error ? 'not ready to serve' : 'no blocking problems found';
  return `${counts}: ${verdict} (${dir})`;
}
