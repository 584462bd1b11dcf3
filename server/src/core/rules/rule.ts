// A rule: a stable public id, a default severity, a one-line description (the docs and SARIF say
// more), and a pure check over the model. Findings made outside the rules (the loader's
// not-a-savedmodel) have an entry without a check, so they are configured and documented alike.
import { Issue, RuleId, Severity } from './finding';
import { RuleContext } from './ruleContext';

export interface RuleInfo {
  readonly id: RuleId;
  readonly defaultSeverity: Severity;
  readonly description: string;
}

export interface Rule extends RuleInfo {
  readonly check?: (ctx: RuleContext) => Issue[];
}
