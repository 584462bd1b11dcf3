// shrink: write the serving-only copy of a SavedModel and prove it. The chosen signatures are
// frozen into one GraphDef (weights as constants, at the chosen precision), written through a
// temporary folder next to `out`, then the copy is checked (it must have no errors) and run next
// to the source in the built-in runtime on the same request. The source is only read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedModel, Signature, loadModel } from '../savedmodel';
import { ServingExportError, checkTarget, replaceFolder } from '../export';
import { checkLoaded, countSeverities } from '../check/checkModel';
import { CheckOptions, DEFAULT_OPTIONS, SizeLimit, sizeLimit } from '../rules/checkOptions';
import { SERVING_METHODS } from '../rules/methods';
import { SmokeModel, WorkerEntry, smokeModel } from '../smoke';
import { ShrinkError } from './shrinkError';
import { freezeForServing } from './servingFreeze';
import { WeightStats, graphDefNodes } from './graphDefNodes';
import { copyModelBytes } from './copyModel';
import { SignatureAnswers, compareAnswers } from './compareAnswers';
import { PartSizes, partSizes } from './partSizes';
import { WeightMode, defaultTolerance } from './weightMode';
import { tooBigForOneGraph } from './protoLimit';
import { servedWeights } from '../rules/servedWeights';
import { isStandardOp } from '../rules/customOp';
import { checkMetaGraph } from '../graphcheck';

export interface ShrinkOptions {
  readonly weights: WeightMode;
  /** Signature keys; default: every signature with a predict, classify or regress method. */
  readonly signatures?: readonly string[];
  /** Fraction of each output's range; default by weight mode. */
  readonly tolerance?: number;
  readonly force?: boolean;
  readonly instancesFile?: string;
  readonly check?: CheckOptions;
  readonly signal?: AbortSignal;
  readonly worker?: WorkerEntry;
  readonly onProgress?: (message: string) => void;
}

export type ShrinkVerdict = 'ok' | 'over-tolerance' | 'not-compared' | 'check-errors';

export interface ShrinkReport {
  readonly source: string;
  readonly out: string;
  readonly weights: WeightMode;
  readonly signatures: readonly string[];
  readonly before: PartSizes;
  readonly after: PartSizes;
  readonly limit: SizeLimit;
  readonly weightStats: WeightStats;
  readonly tolerance: number;
  readonly answers: readonly SignatureAnswers[];
  /**
   * The copy's check: counts, and the error messages. Errors of a rule the source also breaks are
   * inherited (shrink cannot add a missing PREDICT signature); only the others fail the copy.
   */
  readonly check: {
    readonly errors: number; readonly warnings: number; readonly infos: number;
    readonly errorMessages: readonly string[]; readonly inheritedErrors: number;
  };
  readonly verdict: ShrinkVerdict;
}

export async function shrinkModel(input: string, out: string, opts: ShrinkOptions): Promise<ShrinkReport> {
  const loaded = loadModel(input);
  if (!loaded.ok) throw new ShrinkError(loaded.reason);
  const source = loaded.model;
  if (source.text?.parse.errors.length) throw new ShrinkError(`${path.basename(source.location.modelFile)} has ${source.text.parse.errors.length} syntax/schema error(s); fix them first (savedmodel-lens check shows where)`);
  const model = smokeModel(source);
  if (typeof model === 'string') throw new ShrinkError(model);
  const signatures = chooseSignatures(model, opts.signatures);
  // A source TensorFlow would not load cannot be copied faithfully: say so first.
  const problems = checkMetaGraph(source.doc, model.metaGraph, { registered: isStandardOp, limit: 3 });
  if (problems.length) throw new ShrinkError(`the source does not type-check (TensorFlow would refuse it): ${problems.map((p) => p.message).join('; ')}`);
  const target = path.resolve(out);
  try {
    checkTarget(source.location.dir, target, opts.force ?? false);
  } catch (e) {
    if (e instanceof ServingExportError) throw new ShrinkError(e.message);
    throw e;
  }
  const tooBig = tooBigForOneGraph(source, opts.weights, servedWeights(source)?.keys);
  if (tooBig) throw new ShrinkError(tooBig);
  opts.onProgress?.('freezing the serving signatures');
  const frozen = freezeForServing(model, signatures);
  const written = graphDefNodes(frozen, opts.weights);
  const bytes = copyModelBytes({ doc: source.doc, metaGraph: model.metaGraph, signatures, nodes: written.nodes, tensors: frozen.tensors, initNodes: frozen.tableImports });
  const tmp = `${target}.shrink-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, 'saved_model.pb'), bytes);
    const report = await prove(source, tmp, signatures, written.stats, opts);
    if (opts.signal?.aborted) throw new ShrinkError('cancelled; nothing was written');
    replaceFolder(tmp, target);
    return { ...report, source: source.location.dir, out: target };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function chooseSignatures(model: SmokeModel, keys: readonly string[] | undefined): Signature[] {
  const all = model.metaGraph.clientSignatures;
  if (keys && keys.length) {
    return keys.map((k) => {
      const s = all.find((x) => x.key === k);
      if (!s) throw new ShrinkError(`no signature '${k}'; the model has: ${all.map((x) => x.key).join(', ') || '(none)'}`);
      return s;
    });
  }
  const serving = all.filter((s) => SERVING_METHODS.includes(s.method));
  if (!serving.length) throw new ShrinkError(`the model has no signature with a predict, classify or regress method${all.length ? ` (it has ${all.map((s) => `${s.key} [${s.method || 'no method'}]`).join(', ')}); name one with --signature` : ''}`);
  return serving;
}

async function prove(source: LoadedModel, dir: string, signatures: readonly Signature[], weightStats: WeightStats, opts: ShrinkOptions): Promise<Omit<ShrinkReport, 'source' | 'out'>> {
  const copy = loadModel(dir);
  if (!copy.ok) throw new ShrinkError(`the copy cannot be read back (a shrink defect): ${copy.reason}`);
  const options = opts.check ?? DEFAULT_OPTIONS;
  opts.onProgress?.('checking the copy');
  const outcome = checkLoaded(dir, copy.model, { options });
  const findings = outcome.kind === 'checked' ? outcome.findings : [];
  const counts = countSeverities(findings);
  const sourceCheck = checkLoaded(source.location.dir, source, { options });
  const sourceErrors = new Set(sourceCheck.kind === 'checked' ? sourceCheck.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId) : []);
  const errors = findings.filter((f) => f.severity === 'error');
  const inherited = errors.filter((f) => sourceErrors.has(f.ruleId)).length;
  const tolerance = opts.tolerance ?? defaultTolerance(opts.weights);
  const answers = await compareAnswers(source, copy.model, signatures, {
    tolerance,
    ...(opts.instancesFile !== undefined ? { instancesFile: opts.instancesFile } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.worker ? { worker: opts.worker } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return {
    weights: opts.weights,
    signatures: signatures.map((s) => s.key),
    before: partSizes(source),
    after: partSizes(copy.model),
    limit: sizeLimit(options),
    weightStats,
    tolerance,
    answers,
    check: {
      errors: counts.error, warnings: counts.warning, infos: counts.info, inheritedErrors: inherited,
      errorMessages: errors.map((f) => `${f.ruleId}${sourceErrors.has(f.ruleId) ? ' (the source has it too)' : ''}: ${f.message}`),
    },
    verdict: verdictOf(counts.error - inherited, answers),
  };
}

function verdictOf(errors: number, answers: readonly SignatureAnswers[]): ShrinkVerdict {
  if (errors) return 'check-errors';
  if (answers.some((a) => a.compared && a.outputs.some((o) => !o.withinTolerance))) return 'over-tolerance';
  if (answers.some((a) => !a.compared)) return 'not-compared';
  return 'ok';
}
