// savedmodel-lens shrink <dir> <out>: the serving-only copy (frozen graph, weights at lower
// precision), proven: it type-checks, checks without errors and answers as the source does.
// Exit 0 proven, 1 written but not proven (answers over tolerance or not compared, check errors),
// 2 nothing written (the reason on stderr).
import { parseArgs, option, UsageError } from './args';
import { ShrinkError, ShrinkReport, WEIGHT_MODES, WeightMode, formatShrinkText, shrinkModel } from '../core/shrink';
import { checkOptions } from './checkCommand';

export const SHRINK_USAGE = `  shrink <dir> <out> [--weights float16|int8|keep] [--signature KEY]... [--tolerance X]
        [--instances FILE] [--force] [--json] [--machine-type mls1|n1] [--max-size BYTES]
                                                 a smaller serving-only copy: the serving signatures
                                                 frozen into one graph, float weights as float16 or
                                                 8-bit, nothing of training; proven by a type check,
                                                 check, and its answers next to the source's
                                                 (exit 0 proven, 1 not proven, 2 nothing written)`;

const VALUED = new Set(['weights', 'signature', 'tolerance', 'instances', 'machine-type', 'max-size']);

export function shrinkCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, VALUED);
  if (args.positional.length !== 2) throw new UsageError(`usage:\n${SHRINK_USAGE}`);
  const [input, out] = args.positional;
  const weights = option(args, 'weights') ?? 'float16';
  if (!(WEIGHT_MODES as readonly string[]).includes(weights)) throw new UsageError(`--weights must be ${WEIGHT_MODES.join(', ')}`);
  const tolerance = option(args, 'tolerance');
  if (tolerance !== undefined && !(Number(tolerance) >= 0)) throw new UsageError('--tolerance must be a number ≥ 0 (a fraction of each output\'s range)');
  const instances = option(args, 'instances');
  return run(input, out, args.flags.has('json'), {
    weights: weights as WeightMode,
    signatures: args.options.get('signature') ?? [],
    ...(tolerance !== undefined ? { tolerance: Number(tolerance) } : {}),
    ...(instances !== undefined ? { instancesFile: instances } : {}),
    force: args.flags.has('force'),
    check: checkOptions(args),
  });
}

async function run(input: string, out: string, json: boolean, opts: Parameters<typeof shrinkModel>[2]): Promise<number> {
  let report: ShrinkReport;
  try {
    report = await shrinkModel(input, out, opts);
  } catch (e) {
    if (!(e instanceof ShrinkError)) throw e;
    if (json) process.stdout.write(`${JSON.stringify({ written: false, error: e.message }, null, 2)}\n`);
    process.stderr.write(`savedmodel-lens shrink: nothing written: ${e.message}\n`);
    return 2;
  }
  process.stdout.write(json ? `${JSON.stringify({ written: true, ...report }, null, 2)}\n` : formatShrinkText(report));
  return report.verdict === 'ok' ? 0 : 1;
}
