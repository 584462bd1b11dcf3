import { parseArgs, UsageError } from './args';
import { loadModel } from '../core/savedmodel';
import { summarize, formatSummary } from '../core/savedmodel';
import { describeProblem } from '../core/protobuf';

export function showCommand(argv: readonly string[]): number {
  const args = parseArgs(argv, new Set());
  const [input] = args.positional;
  if (!input || args.positional.length > 1) throw new UsageError('usage: show <dir|file> [--json]');
  const loaded = loadModel(input);
  if (!loaded.ok) {
    process.stderr.write(`savedmodel-lens: ${loaded.reason}\n`);
    return 2;
  }
  const summary = summarize(loaded.model);
  process.stdout.write(args.flags.has('json') ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  const errors = loaded.model.text?.parse.errors ?? [];
  for (const e of errors.slice(0, 20)) process.stderr.write(`warning: ${e.message}\n`);
  // What protoc accepts but is odd (a field with the wrong wire type, kept as unknown): said, not fatal.
  for (const w of loaded.model.wireWarnings) process.stderr.write(`warning: ${loaded.model.location.modelFile}: ${describeProblem(w)}\n`);
  const more = loaded.model.wireWarningCount - loaded.model.wireWarnings.length;
  if (more > 0) process.stderr.write(`warning: ${more} more field(s) with the wrong wire type\n`);
  return 0;
}
