// What a rule reports. Rules return Issues (what is wrong and where); runRules stamps each with the
// rule's id and its configured severity, making it a Finding that the CLI, the language server and
// SARIF output share.
import { ElementPath } from '../elementPath';

export type Severity = 'error' | 'warning' | 'info';
/** What a user may configure per rule id. */
export type SeveritySetting = Severity | 'off';

/** Public, stable, kebab-case: settings, CLI output and docs use these names. */
export type RuleId = string;

/** Byte offsets [start, end) into a file's bytes. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export type FindingLocation =
  /** An element of the SavedModel message (in saved_model.pb or .pbtxt). */
  | { readonly kind: 'element'; readonly path: ElementPath }
  /** A file of the model directory, path relative to it with `/`; range when a place in it is known. */
  | { readonly kind: 'file'; readonly path: string; readonly range?: ByteRange }
  /** The model directory as a whole. */
  | { readonly kind: 'model' };

export interface RelatedLocation {
  readonly location: FindingLocation;
  readonly message: string;
}

export interface Issue {
  readonly message: string;
  readonly location: FindingLocation;
  readonly related?: readonly RelatedLocation[];
  /** The rule's own judgement of this finding (how much is at stake), used unless the user configured the rule. */
  readonly severity?: Severity;
}

export interface Finding extends Issue {
  readonly ruleId: RuleId;
  readonly severity: Severity;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export function isSeveritySetting(s: string): s is SeveritySetting {
  return s === 'off' || (SEVERITIES as readonly string[]).includes(s);
}

export function elementAt(path: ElementPath): FindingLocation {
  return { kind: 'element', path };
}

export function fileAt(path: string, range?: ByteRange): FindingLocation {
  return range ? { kind: 'file', path, range } : { kind: 'file', path };
}

export const MODEL: FindingLocation = { kind: 'model' };
