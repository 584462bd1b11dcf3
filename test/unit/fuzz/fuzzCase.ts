// One fuzz case through the CLI (check, show, the exports; on some cases smoke and shrink too),
// judged: no exception escapes, exit codes 0/1/2 only, no run over
// 10 s, and protoc as the referee of binary model files: when `protoc --decode` refuses one,
// neither show nor check may call it fine (exit 0), and export-text must refuse it too. For data
// shards the referee is the bytes themselves: check --verify-data reports variables-corrupt exactly
// when some entry's bytes differ from the original's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { protocDecode } from '../../helpers/protoc';
import { loadVariablesDir } from '../../../server/src/core/checkpoint/checkpointIndex';
import { CliRun, runCli } from './cliRun';
import { WrittenCase, describeCase } from './fuzzCases';

export const HANG_MS = 10_000;
/** The findings that say "this file is corrupt" (helper A's verdict, and the loader's). */
export const CORRUPT_RULES: ReadonlySet<string> = new Set(['not-a-savedmodel', 'corrupt-file']);

export type ProblemKind = 'escape' | 'exit-code' | 'hang' | 'protoc-disagreement' | 'protoc-false-alarm' | 'export-mismatch' | 'checksum-miss' | 'checksum-false-alarm' | 'contract';

export interface Problem {
  readonly kind: ProblemKind;
  readonly message: string;
}

export interface CaseResult {
  readonly index: number;
  readonly target: string;
  readonly kind: string;
  readonly protoc?: 'accepts' | 'refuses';
  /** command → exit code */
  readonly codes: Readonly<Record<string, number>>;
  readonly slowestMs: number;
  readonly problems: readonly Problem[];
}

export interface CaseOptions {
  readonly smoke: boolean;
  /** Called before each command, so a watchdog knows what is running. */
  readonly onCommand?: (command: string) => void;
}

const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

export async function runCase(c: WrittenCase, opts: CaseOptions): Promise<CaseResult> {
  const problems: Problem[] = [];
  const codes: Record<string, number> = {};
  let slowest = 0;
  const what = describeCase(c);
  const run = async (name: string, argv: string[]): Promise<CliRun> => {
    opts.onCommand?.(name);
    const r = await runCli(argv);
    codes[name] = r.code;
    slowest = Math.max(slowest, r.ms);
    if (r.escaped) problems.push({ kind: 'escape', message: `${what}: ${name} threw ${r.escaped.split('\n').slice(0, 4).join(' | ')}` });
    else if (STACK_LINE.test(r.stderr) || STACK_LINE.test(r.stdout)) problems.push({ kind: 'escape', message: `${what}: ${name} printed a stack trace: ${r.stderr.slice(0, 300)}` });
    if (![0, 1, 2].includes(r.code)) problems.push({ kind: 'exit-code', message: `${what}: ${name} exited ${r.code}` });
    if (r.ms > HANG_MS) problems.push({ kind: 'hang', message: `${what}: ${name} ran ${Math.round(r.ms)} ms` });
    return r;
  };
  const check = await run('check', ['check', c.dir, '--format', 'json']);
  const checkRules = rulesOf(check, what, problems);
  const show = await run('show', ['show', c.dir]);
  let protoc: CaseResult['protoc'];
  if (c.target === 'pb') {
    // Exports write standard output straight to fd 1: into a file instead, so nothing leaks.
    const exported = await run('export-text', ['export-text', path.join(c.dir, 'saved_model.pb'), '-o', path.join(c.dir, 'exported.pbtxt'), '--force']);
    opts.onCommand?.('protoc');
    const referee = protocDecode(c.bytes);
    protoc = referee.ok ? 'accepts' : 'refuses';
    if (protoc === 'refuses') {
      if (check.code === 0) problems.push({ kind: 'protoc-disagreement', message: `${what}: protoc refuses it, check exits 0` });
      else if (check.code === 1 && ![...checkRules].some((r) => CORRUPT_RULES.has(r))) {
        problems.push({ kind: 'protoc-disagreement', message: `${what}: protoc refuses it, check finds only ${[...checkRules].join(', ')}` });
      }
      if (show.code === 0) problems.push({ kind: 'protoc-disagreement', message: `${what}: protoc refuses it, show exits 0` });
      if (exported.code === 0) problems.push({ kind: 'protoc-disagreement', message: `${what}: protoc refuses it, export-text exits 0` });
    } else if (exported.code !== 0) {
      problems.push({ kind: 'protoc-false-alarm', message: `${what}: protoc decodes it, export-text exits ${exported.code}: ${exported.stderr.trim().slice(0, 200)}` });
    } else if (!fs.readFileSync(path.join(c.dir, 'exported.pbtxt')).equals(referee.stdout)) {
      problems.push({ kind: 'export-mismatch', message: `${what}: export-text's text differs from protoc --decode's` });
    }
  }
  if (c.target === 'pbtxt') await run('export-binary', ['export-binary', path.join(c.dir, 'saved_model.pbtxt'), '-o', path.join(c.dir, 'exported.pb'), '--force']);
  if (c.target === 'index' || c.target === 'shard') {
    const verified = await run('check --verify-data', ['check', c.dir, '--verify-data', '--format', 'json']);
    if (c.target === 'shard') judgeShard(c, rulesOf(verified, what, problems), problems);
  }
  if (opts.smoke) {
    await run('smoke', ['smoke', c.dir, '--runtime', 'builtin', '--device', 'cpu', '--runs', '1', '--warmup', '0', '--json']);
    // shrink reads every served weight (checksums verified) and runs both models.
    const shrunk = `${c.dir}-shrunk`;
    await run('shrink', ['shrink', c.dir, shrunk, '--force']);
    fs.rmSync(shrunk, { recursive: true, force: true });
  }
  return { index: c.index, target: c.target, kind: c.kind, ...(protoc ? { protoc } : {}), codes, slowestMs: slowest, problems };
}

/** The rule ids of a `check --format json` answer (empty when the input could not be read). */
function rulesOf(r: CliRun, what: string, problems: Problem[]): Set<string> {
  if (r.code === 2 || r.escaped) return new Set();
  try {
    const json = JSON.parse(r.stdout) as { findings?: Array<{ ruleId?: string; rule?: string }> };
    return new Set((json.findings ?? []).map((f) => f.ruleId ?? f.rule ?? '?'));
  } catch {
    problems.push({ kind: 'contract', message: `${what}: check --format json printed no JSON: ${r.stdout.slice(0, 200)}` });
    return new Set();
  }
}

/** Whether some entry's bytes in the mutated shard differ from the original's (or are cut off). */
function entryDamaged(c: WrittenCase): boolean | undefined {
  const state = loadVariablesDir(path.join(c.source, 'variables'));
  if (state.kind !== 'v2') return undefined;
  const before = fs.readFileSync(path.join(c.source, c.file));
  const shardName = path.basename(c.file);
  return state.index.entries.some((e) => {
    if (e.slices > 0 || !shardName.startsWith(`variables.data-${String(e.shardId).padStart(5, '0')}-`)) return false;
    const end = e.offset + e.size;
    if (end > c.bytes.length) return true;
    return Buffer.compare(before.subarray(e.offset, end), c.bytes.subarray(e.offset, end)) !== 0;
  });
}

function judgeShard(c: WrittenCase, rules: ReadonlySet<string>, problems: Problem[]): void {
  const damaged = entryDamaged(c);
  if (damaged === undefined) return;
  const reported = rules.has('variables-corrupt');
  if (damaged && !reported) problems.push({ kind: 'checksum-miss', message: `${describeCase(c)}: an entry's bytes changed, check --verify-data reports no variables-corrupt` });
  if (!damaged && reported) problems.push({ kind: 'checksum-false-alarm', message: `${describeCase(c)}: no entry's bytes changed, yet variables-corrupt` });
}
