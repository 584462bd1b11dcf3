// Quick fixes where the fix is certain: add the `serve` tag (one meta graph only), set a serving
// method name, make the batch dimension -1. Each edit is found from the finding's element path in
// the tree. A decoded binary model is read-only and gets none.
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { ElementPath } from '../core/elementPath';
import { TextMessage } from '../core/textformat';
import { CLASSIFY, DEFAULT_SIGNATURE_KEY, PREDICT, REGRESS } from '../core/rules/methods';
import { SERVE_TAG } from '../core/rules/servingMetaGraphs';
import { URI } from 'vscode-uri';
import { DocumentAnalysis, modelFileOf } from './documentAnalysis';
import { rangeOf } from './diagnostics';
import { insertField, INDENT_STEP } from './fieldInsertion';
import { entryKey, entryMessage, lastMessage, lastValue, messageAtPath, messagesOf, stringOf } from './treeQuery';

interface Fix {
  title: string;
  edits: TextEdit[];
}

type Fixer = (a: DocumentAnalysis, path: ElementPath) => Fix | undefined;

const FIXERS: Readonly<Record<string, Fixer>> = {
  'serve-tag-missing': addServeTag,
  'predict-signature-missing': setPredictOnDefault,
  'invalid-method-name': setMeantMethod,
  'batch-dimension-fixed': unknownBatchDimension,
};

// Field numbers where the fixes insert (protoc prints fields in number order).
const META_INFO_DEF = 1;
const TAGS = 4;
const METHOD_NAME = 3;
const DIM_SIZE = 1;

export function codeActions(a: DocumentAnalysis, params: CodeActionParams): CodeAction[] {
  if (!wantsQuickFixes(params.context.only)) return [];
  const out: CodeAction[] = shrinkActions(a, params.context.diagnostics);
  if (a.isDecodedView) return out;
  for (const d of params.context.diagnostics) {
    const fixer = typeof d.code === 'string' ? FIXERS[d.code] : undefined;
    const path = fixer ? findingPath(a, d) : undefined;
    const fix = fixer && path ? fixer(a, path) : undefined;
    if (fix) {
      out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [a.uri]: fix.edits } } });
    }
  }
  return out;
}

// Too big, or carrying weights serving never reads: Shrink writes the smaller serving copy. It
// writes a new folder, so it is offered on decoded (read-only) views too.
const SHRINK_RULES: ReadonlySet<string> = new Set(['model-size-limit', 'unused-weights']);
export const SHRINK_COMMAND = 'savedmodelLens.exportSmallerServingCopy';

function shrinkActions(a: DocumentAnalysis, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const file = modelFileOf(a.uri);
  if (!file) return [];
  return diagnostics.filter((d) => typeof d.code === 'string' && SHRINK_RULES.has(d.code)).map((d) => ({
    title: 'Export a smaller serving copy (Shrink)…',
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    command: { title: 'Export Smaller Serving Copy…', command: SHRINK_COMMAND, arguments: [URI.file(file).toString()] },
  }));
}

function wantsQuickFixes(only: string[] | undefined): boolean {
  return !only || only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty || CodeActionKind.QuickFix.startsWith(`${k}.`));
}

/** The element path of the finding this diagnostic was made from (same rule, same range). */
function findingPath(a: DocumentAnalysis, d: Diagnostic): ElementPath | undefined {
  for (const f of a.findings) {
    if (f.ruleId !== d.code || f.location.kind !== 'element') continue;
    if (sameRange(rangeOf(a, f.location, []), d.range)) return f.location.path;
  }
  return undefined;
}

function sameRange(x: Range, y: Range): boolean {
  return x.start.line === y.start.line && x.start.character === y.start.character && x.end.line === y.end.line && x.end.character === y.end.character;
}

function replace(a: DocumentAnalysis, v: { start: number; end: number }, newText: string): TextEdit {
  return { range: a.lines.rangeOf(v.start, v.end), newText };
}

/** With one meta graph it is the one to serve; with several, which one is the user's call. */
function addServeTag(a: DocumentAnalysis, path: ElementPath): Fix | undefined {
  const metaGraphs = messagesOf(a.tree, 'meta_graphs');
  const mg = path.length ? messageAtPath(a.tree, path.slice(0, 1)) : undefined;
  if (!mg || metaGraphs.length !== 1) return undefined;
  const tag = `tags: "${SERVE_TAG}"`;
  const info = lastMessage(mg, 'meta_info_def');
  const edit = info
    ? insertField(a, info, TAGS, () => tag)
    : insertField(a, mg, META_INFO_DEF, (indent) => (indent === undefined ? `meta_info_def { ${tag} }` : `meta_info_def {\n${indent}${INDENT_STEP}${tag}\n${indent}}`));
  return { title: `Add the "${SERVE_TAG}" tag to the meta graph`, edits: [edit] };
}

/** The signature the service calls by default: serving_default, or the only one there is. */
function setPredictOnDefault(a: DocumentAnalysis, path: ElementPath): Fix | undefined {
  const mg = messageAtPath(a.tree, path);
  if (!mg) return undefined;
  const entries = messagesOf(mg, 'signature_def').filter((e) => !entryKey(e).startsWith('__'));
  const keys = new Set(entries.map(entryKey));
  const key = keys.has(DEFAULT_SIGNATURE_KEY) ? DEFAULT_SIGNATURE_KEY : keys.size === 1 ? [...keys][0] : undefined;
  const entry = key === undefined ? undefined : entries.filter((e) => entryKey(e) === key).pop();
  const def = entry ? entryMessage(entry) : undefined;
  return def && key !== undefined ? setMethod(a, def, key, PREDICT) : undefined;
}

// Method names seen in old or hand-written exports and the method they meant (as the
// invalid-method-name rule suggests); any other name gets PREDICT, the rule's default advice.
const MEANT: Readonly<Record<string, string>> = {
  predict: PREDICT, prediction: PREDICT, classify: CLASSIFY, classification: CLASSIFY, regress: REGRESS, regression: REGRESS,
};

function setMeantMethod(a: DocumentAnalysis, path: ElementPath): Fix | undefined {
  const sigPath = path.slice(0, -1);
  const last = sigPath[sigPath.length - 1];
  const def = messageAtPath(a.tree, sigPath);
  if (!def || !last || !('key' in last)) return undefined;
  const current = stringOf(lastValue(def, 'method_name')) ?? '';
  return setMethod(a, def, last.key, MEANT[current.toLowerCase().replace(/^.*\//, '')] ?? PREDICT);
}

function setMethod(a: DocumentAnalysis, def: TextMessage, key: string, method: string): Fix {
  const v = lastValue(def, 'method_name');
  const text = `"${method}"`;
  const edit = v ? replace(a, v, text) : insertField(a, def, METHOD_NAME, () => `method_name: ${text}`);
  return { title: `Set the method of signature '${key}' to ${method}`, edits: [edit] };
}

/** A rank-0 tensor has no batch dimension to free: adding one changes the model, so no fix. */
function unknownBatchDimension(a: DocumentAnalysis, path: ElementPath): Fix | undefined {
  const shape = messageAtPath(a.tree, path);
  const first = shape ? messagesOf(shape, 'dim')[0] : undefined;
  if (!first) return undefined;
  const size = lastValue(first, 'size');
  const edit = size ? replace(a, size, '-1') : insertField(a, first, DIM_SIZE, () => 'size: -1');
  return { title: 'Make the batch dimension unknown (-1)', edits: [edit] };
}
