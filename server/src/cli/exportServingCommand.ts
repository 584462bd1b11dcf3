// savedmodel-lens export-serving <dir> <out>: write a deployable copy with only what prediction
// needs, then check the copy and report its size against the limit. Exit 0 when the copy has no
// errors, 1 when it has, 2 when nothing was written.
import * as path from 'node:path';
import { parseArgs, UsageError } from './args';
import { LoadedModel, ModelChangedError, withFreshModel } from '../core/savedmodel';
import { planServingExport, writeServingExport, ServingExportError, ServingExportPlan } from '../core/export';
import { checkPath, exitCodeOf } from '../core/check/checkModel';
import { locationResolver } from '../core/check/resolveLocation';
import { formatCheckText } from '../core/check/checkText';
import { formatBytes } from '../core/units';
import { checkOptions, ruleConfig } from './checkCommand';

const USAGE = 'usage: export-serving <dir> <out> [--serve-only] [--force] [--machine-type mls1|n1] [--max-size BYTES] [--rule ID=SEVERITY]...';
const VALUED = new Set(['machine-type', 'max-size', 'rule']);

export function exportServingCommand(argv: readonly string[]): number {
  const args = parseArgs(argv, VALUED);
  if (args.positional.length !== 2) throw new UsageError(USAGE);
  const [input, out] = args.positional;
  const settings = { rules: ruleConfig(args.options.get('rule') ?? []), options: checkOptions(args) };
  const exportOptions = { serveOnly: args.flags.has('serve-only'), force: args.flags.has('force') };
  let done: ReturnType<typeof withFreshModel<{ model: LoadedModel; plan: ServingExportPlan }>>;
  try {
    // The copy reads payloads the load left unread: if the file changes meanwhile, it starts over.
    done = withFreshModel(input, (model) => {
      const plan = planServingExport(model, exportOptions);
      writeServingExport(model, plan, out, exportOptions);
      return { model, plan };
    });
  } catch (e) {
    if (e instanceof ServingExportError || e instanceof ModelChangedError) return fail(e.message);
    throw e;
  }
  if (!done.ok) return fail(done.reason);
  const { model, plan } = done.value;
  process.stdout.write(report(model.location.dir, out, plan, model.location.versions));
  // The copy's shards are verified entry by entry: a deployable copy of corrupt weights is no copy.
  const outcome = checkPath(out, { ...settings, options: { ...settings.options, verifyData: true } });
  const resolve = locationResolver(outcome.kind === 'checked' ? outcome.model.location : undefined, outcome.kind === 'checked' ? outcome.model : undefined);
  process.stdout.write(`\n${formatCheckText(outcome, resolve)}`);
  return exitCodeOf(outcome);
}

function report(source: string, out: string, plan: ServingExportPlan, versions: readonly string[] | undefined): string {
  const bytes = plan.modelBytes.length + plan.copy.reduce((s, f) => s + f.bytes, 0);
  const lines = [`Wrote ${path.resolve(out)}: saved_model.pb and ${plan.copy.length} file(s), ${formatBytes(bytes)} (from ${source})`];
  if (versions) lines.push(`  the latest version (${path.basename(source)}) of a TF Serving base path; TF Serving expects the copy in a numeric version folder`);
  if (plan.droppedMetaGraphs.length) lines.push(`  dropped meta graph(s) without the serve tag: ${plan.droppedMetaGraphs.join(', ')}`);
  if (plan.fingerprint !== 'none') lines.push(`  fingerprint.pb: ${plan.fingerprint}`);
  if (plan.leftOut.length) {
    lines.push(`  left out ${plan.leftOut.length} file(s) prediction does not need:`);
    for (const f of plan.leftOut.slice(0, 20)) lines.push(`    ${f}`);
    if (plan.leftOut.length > 20) lines.push(`    … and ${plan.leftOut.length - 20} more`);
  }
  return `${lines.join('\n')}\n`;
}

function fail(message: string): number {
  process.stderr.write(`savedmodel-lens: ${message}\n`);
  return 2;
}
