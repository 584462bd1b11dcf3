// The shrink report as text (CLI) and markdown (the editor): the size table before and after per
// part against the limit, the weights converted, the answer table and the copy's check.
import { formatBytes } from '../units';
import { ShrinkReport } from './shrinkModel';
import { OutputDiff } from './answerDiff';
import { PartSizes } from './partSizes';

const VERDICT: Record<ShrinkReport['verdict'], string> = {
  ok: 'the copy answers as the source does, within tolerance, and checks without errors',
  'over-tolerance': 'the copy\'s answers differ from the source\'s beyond the tolerance (see the table)',
  'not-compared': 'the answers could not be compared for every signature (see why below)',
  'check-errors': 'the copy has check errors the source does not have',
};

interface Table {
  readonly head: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export function sizeTable(r: ShrinkReport): Table {
  const row = (name: string, k: keyof PartSizes): string[] => [name, formatBytes(r.before[k]), formatBytes(r.after[k])];
  const pct = (n: number): string => `${((100 * n) / r.limit.bytes).toFixed(n < r.limit.bytes / 100 ? 3 : 1)}%`;
  return {
    head: ['part', 'before', 'after'],
    rows: [
      row('graph (saved_model.pb)', 'graphFile'),
      ['  of which weights in the graph', '', formatBytes(r.weightStats.constantBytes)],
      row('variables/', 'variables'),
      row('assets', 'assets'),
      row('other files', 'other'),
      row('total', 'total'),
      [`limit ${formatBytes(r.limit.bytes)} (${r.limit.source})`, pct(r.before.total), pct(r.after.total)],
    ],
  };
}

export function answerTable(r: ShrinkReport): Table {
  const rows: string[][] = [];
  for (const a of r.answers) {
    if (!a.compared) {
      rows.push([a.signature, '—', '—', '—', '—', '', 'not compared']);
      continue;
    }
    for (const o of a.outputs) rows.push(answerRow(o));
  }
  return { head: ['signature', 'output', 'max abs diff', 'max rel diff', 'allowed', 'top class', 'verdict'], rows };
}

function answerRow(o: OutputDiff): string[] {
  const top = o.topClass ? `${o.topClass.agree}/${o.topClass.rows}` : '';
  const verdict = o.mismatch ?? (o.withinTolerance ? 'ok' : 'OVER');
  return [o.signature, o.output, num(o.maxAbs), num(o.maxRel), num(o.allowed), top, verdict];
}

function num(v: number): string {
  return Number.isNaN(v) ? '—' : v === 0 ? '0' : v.toPrecision(3);
}

function weightsLine(r: ShrinkReport): string {
  const w = r.weightStats;
  if (r.weights === 'keep') return `weights kept as they are (${w.floatTensors} float32 tensor(s) of at least 1 KiB, ${formatBytes(w.floatBytes)})`;
  const kept = w.keptNonFinite.length ? `; kept as float32 (non-finite or out of float16 range): ${w.keptNonFinite.slice(0, 5).join(', ')}` : '';
  return `weights as ${r.weights}: ${w.converted} of ${w.floatTensors} float32 tensor(s) of at least 1 KiB, ${formatBytes(w.floatBytes)} → ${formatBytes(w.convertedBytes)}${kept}`;
}

export function formatShrinkText(r: ShrinkReport): string {
  const lines = [
    `Wrote ${r.out}: a serving-only copy of ${r.source}`,
    `  signatures: ${r.signatures.join(', ')}`,
    `  ${weightsLine(r)}`,
    '',
    'Size',
    ...textTable(sizeTable(r)),
    '',
    `Answers (built-in runtime, same request; tolerance ${r.tolerance} of each output's range)`,
    ...textTable(answerTable(r)),
    ...requestLines(r),
    '',
    `Check of the copy: ${r.check.errors} error(s)${inheritedText(r)}, ${r.check.warnings} warning(s), ${r.check.infos} info`,
    ...r.check.errorMessages.map((m) => `  ${m}`),
    '',
    `${r.verdict === 'ok' ? 'OK' : 'NOT OK'}: ${VERDICT[r.verdict]}`,
  ];
  return `${lines.join('\n')}\n`;
}

function inheritedText(r: ShrinkReport): string {
  return r.check.inheritedErrors ? ` (${r.check.inheritedErrors} the source has too)` : '';
}

function requestLines(r: ShrinkReport): string[] {
  const requests = [...new Set(r.answers.flatMap((a) => (a.compared ? [a.request] : [])))];
  const why = r.answers.flatMap((a) => (a.compared ? [] : [`  not compared, ${a.signature}: ${a.reason}`]));
  return [...(requests.length ? [`  request: ${requests.join('; ')}`] : []), ...why];
}

function textTable(t: Table): string[] {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd();
  return [line(t.head), ...t.rows.map(line)];
}

export function formatShrinkMarkdown(r: ShrinkReport): string {
  const md = (t: Table): string[] => [`| ${t.head.join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)];
  return [
    `# Smaller serving copy: ${r.verdict === 'ok' ? 'OK' : 'NOT OK'}`,
    '',
    `${VERDICT[r.verdict]}.`,
    '',
    `- source: \`${r.source}\``,
    `- copy: \`${r.out}\``,
    `- signatures: ${r.signatures.map((s) => `\`${s}\``).join(', ')}`,
    `- ${weightsLine(r)}`,
    '',
    '## Size',
    '',
    ...md(sizeTable(r)),
    '',
    `## Answers (tolerance ${r.tolerance} of each output's range)`,
    '',
    ...md(answerTable(r)),
    '',
    ...requestLines(r).map((l) => `-${l.trimStart().replace(/^request/, ' request')}`),
    '',
    `## Check of the copy`,
    '',
    `${r.check.errors} error(s)${inheritedText(r)}, ${r.check.warnings} warning(s), ${r.check.infos} info.`,
    ...r.check.errorMessages.map((m) => `- ${m}`),
    '',
  ].join('\n');
}
