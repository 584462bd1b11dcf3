// Run the rules over a loaded model with the user's configuration (off/info/warning/error per id)
// and options (machine type, size limit). Findings come in rule order, each rule's in model order.
import { LoadedModel, LoadFailure } from '../savedmodel';
import { Finding, RuleId, SeveritySetting } from './finding';
import { CheckOptions, DEFAULT_OPTIONS } from './checkOptions';
import { RULES } from './index';
import { RuleInfo } from './rule';
import { RuleContext } from './ruleContext';
import { notASavedModel, notASavedModelIssue } from './notASavedModel';

/** Severity per rule id; rules not named keep their default. */
export type RuleConfig = Readonly<Record<RuleId, SeveritySetting>>;

export function severityOf(rule: RuleInfo, config: RuleConfig): SeveritySetting {
  return config[rule.id] ?? rule.defaultSeverity;
}

export function runRules(model: LoadedModel, config: RuleConfig = {}, options: CheckOptions = DEFAULT_OPTIONS): Finding[] {
  const ctx = new RuleContext(model, options);
  const out: Finding[] = [];
  for (const rule of RULES) {
    const severity = severityOf(rule, config);
    if (severity === 'off' || !rule.check) continue;
    const configured = config[rule.id] !== undefined;
    for (const issue of rule.check(ctx)) out.push({ ...issue, ruleId: rule.id, severity: configured || !issue.severity ? severity : issue.severity });
  }
  return out;
}

/** The finding for a file that is not a SavedModel (none when the rule is off). */
export function loadFailureFindings(failure: LoadFailure, config: RuleConfig = {}): Finding[] {
  const severity = severityOf(notASavedModel, config);
  if (severity === 'off' || failure.kind !== 'not-a-savedmodel') return [];
  return [{ ...notASavedModelIssue(failure), ruleId: notASavedModel.id, severity }];
}
