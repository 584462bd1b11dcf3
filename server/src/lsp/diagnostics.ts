// Findings → LSP diagnostics. Element paths become ranges in the document's tree (for a binary
// model, in its decoded text); a finding about another file of the directory sits on the first line
// and links that file as related information.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation, Range } from 'vscode-languageserver';
import { Finding, FindingLocation, Severity } from '../core/rules/finding';
import { findPathPrefix } from '../core/textformat';
import { DocumentAnalysis } from './documentAnalysis';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The rule docs shipped with the extension (docs/rules.md next to dist/). */
export function ruleDocsUri(ruleId: string): string {
  return `${pathToFileURL(path.join(__dirname, '..', 'docs', 'rules.md')).href}#${ruleId}`;
}

export function toDiagnostics(a: DocumentAnalysis): Diagnostic[] {
  return a.findings.map((f) => toDiagnostic(a, f));
}

function toDiagnostic(a: DocumentAnalysis, f: Finding): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  const range = rangeOf(a, f.location, related);
  for (const r of f.related ?? []) {
    const extra: DiagnosticRelatedInformation[] = [];
    const rr = rangeOf(a, r.location, extra);
    related.push(extra[0] ? { ...extra[0], message: r.message } : { location: { uri: a.uri, range: rr }, message: r.message });
  }
  return {
    range,
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: ruleDocsUri(f.ruleId) },
    source: 'SavedModel Lens',
    message: f.message,
    relatedInformation: related.length ? related : undefined,
  };
}

/** Where a location is in this document; other files are added to `related`. */
export function rangeOf(a: DocumentAnalysis, loc: FindingLocation, related: DiagnosticRelatedInformation[]): Range {
  const firstLine = a.lines.rangeOf(0, Math.min(a.bytes.length, a.lines.lineEnd(0)));
  switch (loc.kind) {
    case 'element': {
      const found = findPathPrefix(a.tree, loc.path);
      return found.range ? a.lines.rangeOf(found.range.start, found.range.end) : firstLine;
    }
    case 'file': {
      const file = path.join(path.dirname(a.modelFile), loc.path);
      if (path.resolve(file) === path.resolve(a.modelFile) && !a.isDecodedView) {
        return loc.range ? a.lines.rangeOf(loc.range.start, loc.range.end) : firstLine;
      }
      related.push({ location: { uri: pathToFileURL(file).href, range: Range.create(0, 0, 0, 0) }, message: loc.path });
      return firstLine;
    }
    case 'model':
      return firstLine;
  }
}
