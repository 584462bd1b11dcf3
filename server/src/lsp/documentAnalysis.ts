// What the server knows about one open document: its text with a line index, the parse tree that
// ranges come from, the SavedModel with its directory around it, and the rule findings. Built once
// per document version; every feature (diagnostics, hover, symbols...) reads from it.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LineIndex } from '../core/textformat';
import { parseText } from '../core/textformat';
import { TextMessage, TextError } from '../core/textformat';
import type { PrintedText } from '../core/textprint';
import { loadModel, loadModelFromBytes, LoadResult } from '../core/savedmodel';
import { locateModel } from '../core/savedmodel';
import { runRules, loadFailureFindings, RuleConfig } from '../core/rules/runRules';
import { Finding } from '../core/rules/finding';
import { CheckOptions } from '../core/rules/checkOptions';
import { DECODED_SCHEME } from '../protocol';

export interface DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  /** The document's text as UTF-8 bytes: every range in the core is a byte offset into these. */
  readonly bytes: Uint8Array;
  readonly lines: LineIndex;
  /** The text's tree (for a decoded .pb view: the tree of the decoded text). */
  readonly tree: TextMessage;
  readonly parseErrors: readonly TextError[];
  readonly load: LoadResult;
  readonly findings: readonly Finding[];
  /** The model file on disk (the .pbtxt itself, or the binary .pb behind a decoded view). */
  readonly modelFile: string;
  readonly isDecodedView: boolean;
  /** `printed`: the tree the printer recorded while writing the decoded text; `parsed`: the text was parsed. */
  readonly treeSource: 'printed' | 'parsed';
}

export interface AnalysisConfig {
  readonly rules: RuleConfig;
  readonly options: CheckOptions;
}

/** The file on disk a document stands for; undefined for documents that are not files. */
export function modelFileOf(uri: string): string | undefined {
  const u = URI.parse(uri);
  if (u.scheme === 'file' || u.scheme === DECODED_SCHEME) return u.fsPath;
  return undefined;
}

/**
 * Whether a document is a SavedModel the server should judge: saved_model.pbtxt, a decoded view,
 * any pbtxt when the user says so, or a text that declares itself one (its first field is a
 * SavedModel field, or a `# proto-message: SavedModel` header). Other .pbtxt/.textproto files
 * (label maps, pipeline configs) get no SavedModel diagnostics.
 */
export function isSavedModelDocument(uri: string, text: string, treatAllPbtxt: boolean): boolean {
  const u = URI.parse(uri);
  if (treatAllPbtxt || u.scheme === DECODED_SCHEME || path.basename(u.path) === 'saved_model.pbtxt') return true;
  const head = text.slice(0, 4096);
  return /^#\s*proto-message:\s*(tensorflow\.)?SavedModel\b/m.test(head) ||
    /^(?:\s*#[^\n]*\n)*\s*(saved_model_schema_version|meta_graphs)\s*[:{<]/.test(head);
}

// Texts this server has parsed for documents: tests see through it that a decoded view opened with
// the text the server printed is not parsed again (protocol.ts, analysisInfoRequest).
let textParses = 0;

export function textParseCount(): number {
  return textParses;
}

export function analyze(uri: string, version: number, text: string, config: AnalysisConfig): DocumentAnalysis {
  const modelFile = modelFileOf(uri) ?? path.resolve('untitled.pbtxt');
  const isDecodedView = URI.parse(uri).scheme === DECODED_SCHEME;
  const bytes = Buffer.from(text, 'utf8');
  const load = isDecodedView ? loadModel(modelFile) : loadText(modelFile, bytes);
  // For a .pbtxt the model's own parse is the document's; a decoded view parses the decoded text.
  const own = !isDecodedView && load.ok && load.model.text ? load.model.text.parse : undefined;
  const parse = own ?? parseText(bytes);
  textParses++;
  return { ...judged(load, config), uri, version, bytes, lines: new LineIndex(bytes), tree: parse.root, parseErrors: parse.errors, modelFile, isDecodedView, treeSource: 'parsed' };
}

/**
 * A decoded view's analysis from its print: the tree the printer recorded (parsed only when the
 * text has unknown fields), the model from the very bytes that were printed.
 */
export function analyzePrinted(uri: string, version: number, pb: Uint8Array, printed: PrintedText, config: AnalysisConfig): DocumentAnalysis {
  const modelFile = modelFileOf(uri) ?? path.resolve('saved_model.pb');
  const located = locateModel(modelFile);
  const load = 'error' in located ? loadModel(modelFile) : loadModelFromBytes(located, pb);
  let tree = printed.root;
  let parseErrors: readonly TextError[] = [];
  if (!tree) {
    const parse = parseText(printed.bytes);
    textParses++;
    tree = parse.root;
    parseErrors = parse.errors;
  }
  const bytes = printed.bytes;
  return {
    ...judged(load, config), uri, version, bytes, lines: new LineIndex(bytes), tree, parseErrors, modelFile,
    isDecodedView: true, treeSource: printed.root ? 'printed' : 'parsed',
  };
}

function judged(load: LoadResult, config: AnalysisConfig): { load: LoadResult; findings: readonly Finding[] } {
  const findings = load.ok ? runRules(load.model, config.rules, config.options) : loadFailureFindings(load, config.rules);
  return { load, findings };
}

function loadText(modelFile: string, bytes: Uint8Array): LoadResult {
  const located = locateModel(path.dirname(modelFile));
  // The editor's text wins over the file on disk; the directory gives variables, assets, sizes.
  const location = 'error' in located || located.modelFile !== modelFile
    ? { dir: path.dirname(modelFile), modelFile, format: 'text' as const }
    : { ...located, format: 'text' as const };
  return loadModelFromBytes(location, bytes);
}
