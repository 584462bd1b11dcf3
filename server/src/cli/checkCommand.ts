// savedmodel-lens check: every reason the prediction service would reject a model or serve it
// badly, as text, JSON (docs/check-json.md) or SARIF. Exit 0 without errors, 1 with errors, 2 when
// the model could not be read.
import { parseArgs, option, UsageError, ParsedArgs } from './args';
import { checkPath, exitCodeOf } from '../core/check/checkModel';
import { locationResolver } from '../core/check/resolveLocation';
import { formatCheckText } from '../core/check/checkText';
import { checkJson } from '../core/check/checkJson';
import { checkSarif } from '../core/check/checkSarif';
import { CheckOptions, isMachineType } from '../core/rules/checkOptions';
import { RuleConfig } from '../core/rules/runRules';
import { findRule, RULES } from '../core/rules/index';
import { isSeveritySetting, SeveritySetting } from '../core/rules/finding';
import { parseByteSize } from './byteSize';

const USAGE = 'usage: check <dir|file> [--machine-type mls1|n1] [--max-size BYTES] [--format text|json|sarif] [--rule ID=off|info|warning|error]... [--verify-data]';
const VALUED = new Set(['machine-type', 'max-size', 'format', 'rule']);
type Format = 'text' | 'json' | 'sarif';

export function checkCommand(argv: readonly string[]): number {
  const args = parseArgs(argv, VALUED);
  const [input] = args.positional;
  if (!input || args.positional.length > 1) throw new UsageError(USAGE);
  const format = formatOf(args);
  const options = { ...checkOptions(args), verifyData: args.flags.has('verify-data') };
  const outcome = checkPath(input, { rules: ruleConfig(args.options.get('rule') ?? []), options });
  const resolve = locationResolver(outcome.kind === 'checked' ? outcome.model.location : outcome.kind === 'not-a-savedmodel' ? outcome.location : undefined, outcome.kind === 'checked' ? outcome.model : undefined);
  if (format === 'json') process.stdout.write(`${JSON.stringify(checkJson(outcome, resolve), null, 2)}\n`);
  else if (format === 'sarif') process.stdout.write(`${JSON.stringify(checkSarif(outcome, resolve), null, 2)}\n`);
  else if (outcome.kind === 'unreadable') process.stderr.write(`savedmodel-lens: ${outcome.reason}\n`);
  else process.stdout.write(formatCheckText(outcome, resolve));
  return exitCodeOf(outcome);
}

function formatOf(args: ParsedArgs): Format {
  const f = option(args, 'format') ?? 'text';
  if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${f}'`);
  return f;
}

export function checkOptions(args: ParsedArgs): CheckOptions {
  const machine = option(args, 'machine-type') ?? 'mls1';
  if (!isMachineType(machine)) throw new UsageError(`--machine-type must be mls1 or n1, not '${machine}'`);
  const max = option(args, 'max-size');
  if (max === undefined) return { machineType: machine };
  const bytes = parseByteSize(max);
  if (bytes === undefined) throw new UsageError(`--max-size must be a size in bytes (e.g. 500000000, 500MB, 2GiB), not '${max}'`);
  return { machineType: machine, maxSizeBytes: bytes };
}

/** `--rule id=severity`, repeatable; ids and severities are checked so a typo is not silently ignored. */
export function ruleConfig(specs: readonly string[]): RuleConfig {
  const out: Record<string, SeveritySetting> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const id = eq < 0 ? spec : spec.slice(0, eq);
    const severity = eq < 0 ? '' : spec.slice(eq + 1);
    if (!findRule(id)) throw new UsageError(`--rule: unknown rule '${id}' (rules: ${RULES.map((r) => r.id).join(', ')})`);
    if (!isSeveritySetting(severity)) throw new UsageError(`--rule ${id}: severity must be off, info, warning or error, not '${severity}'`);
    out[id] = severity;
  }
  return out;
}
