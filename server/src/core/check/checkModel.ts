// `check` as a function: load the model at a path, run the rules, size it up. The CLI formats the
// outcome; export-serving re-checks its copy with it.
import { loadModel, LoadedModel } from '../savedmodel';
import { ModelLocation } from '../savedmodel';
import { Finding, Severity } from '../rules/finding';
import { CheckOptions, DEFAULT_OPTIONS } from '../rules/checkOptions';
import { RuleConfig, loadFailureFindings, runRules } from '../rules/runRules';
import { SizeReport, sizeReport } from '../rules/sizeReport';

export type CheckOutcome =
  /** Nothing to judge: a missing path, or a folder with no model in it. */
  | { readonly kind: 'unreadable'; readonly input: string; readonly reason: string }
  /** A model file that is something else: judged by the not-a-savedmodel finding alone. */
  | { readonly kind: 'not-a-savedmodel'; readonly input: string; readonly location: ModelLocation | undefined; readonly findings: readonly Finding[] }
  | { readonly kind: 'checked'; readonly input: string; readonly model: LoadedModel; readonly findings: readonly Finding[]; readonly size: SizeReport };

export interface CheckSettings {
  readonly rules?: RuleConfig;
  readonly options?: CheckOptions;
}

export function checkPath(input: string, settings: CheckSettings = {}): CheckOutcome {
  const loaded = loadModel(input);
  if (!loaded.ok) {
    if (loaded.kind === 'unreadable') return { kind: 'unreadable', input, reason: loaded.reason };
    return { kind: 'not-a-savedmodel', input, location: loaded.location, findings: loadFailureFindings(loaded, settings.rules) };
  }
  return checkLoaded(input, loaded.model, settings);
}

export function checkLoaded(input: string, model: LoadedModel, settings: CheckSettings = {}): CheckOutcome {
  const options = settings.options ?? DEFAULT_OPTIONS;
  return { kind: 'checked', input, model, findings: runRules(model, settings.rules, options), size: sizeReport(model, options) };
}

export type SeverityCounts = Readonly<Record<Severity, number>>;

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** The CLI's exit status: 2 nothing could be read, 1 errors found, 0 otherwise. */
export function exitCodeOf(outcome: CheckOutcome): number {
  if (outcome.kind === 'unreadable') return 2;
  return countSeverities(outcome.findings).error > 0 ? 1 : 0;
}
