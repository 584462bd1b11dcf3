// The server side of protocol.ts: decoded views of binary models, the tree view's data, Check,
// exports and the summary. Exports never overwrite unless the client says the user confirmed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { Connection } from 'vscode-languageserver';
import {
  analysisInfoRequest, decodedTextRequest, modelTreeRequest, revealRequest, checkRequest, exportRequest, summaryRequest,
  ExportParams, ExportResult, CheckResult, LensSettings, TreeItemData, TreeTarget, DECODED_SCHEME, FULL_VIEW_QUERY,
} from '../protocol';
import { analyze, analyzePrinted, AnalysisConfig, DocumentAnalysis, textParseCount } from './documentAnalysis';
import { DecodedViews, printDecoded } from './decodedViews';
import { printTextToFile, PrintOptions } from '../core/textprint';
import { parseText } from '../core/textformat';
import { encodeText } from '../core/textformat';
import { readWholeFile } from '../core/readFile';
import { checkPath, countSeverities } from '../core/check/checkModel';
import { formatCheckText } from '../core/check/checkText';
import { locationResolver } from '../core/check/resolveLocation';
import { loadModel } from '../core/savedmodel';
import { summarize, formatSummary } from '../core/savedmodel';
import { planServingExport, writeServingExport } from '../core/export';
import { sizeLimit } from '../core/rules/checkOptions';
import { writeFileAtomic } from '../core/atomicWrite';
import { listFiles } from '../core/savedmodel';

export interface RequestContext {
  analysisFor(uri: string): DocumentAnalysis | undefined;
  settings(): LensSettings;
  config(): AnalysisConfig;
  modelTree(a: DocumentAnalysis): TreeItemData;
  reveal(a: DocumentAnalysis, path: string): TreeTarget | null;
  /** The open document's analysis only (none is made). */
  openAnalysis(uri: string): DocumentAnalysis | undefined;
  readonly views: DecodedViews;
}

export function customRequests(connection: Connection, ctx: RequestContext): void {
  connection.onRequest(decodedTextRequest, (p) => {
    const file = URI.parse(p.uri).fsPath;
    const view = p.view ?? viewUriOf(file);
    return ctx.views.decode(view, file, viewPrintOptions(ctx.settings(), URI.parse(view).query === FULL_VIEW_QUERY));
  });
  connection.onRequest(analysisInfoRequest, (p) => {
    const a = ctx.openAnalysis(p.uri);
    return { textParses: textParseCount(), document: a ? { version: a.version, treeSource: a.treeSource } : null };
  });
  connection.onRequest(modelTreeRequest, (p) => guard(() => ({ root: ctx.modelTree(analysisOfFile(ctx, p.uri)) })));
  connection.onRequest(revealRequest, (p) => ctx.reveal(analysisOfFile(ctx, p.uri), p.path));
  connection.onRequest(checkRequest, (p) => guard(() => check(URI.parse(p.uri).fsPath, ctx.config())));
  connection.onRequest(exportRequest, (p) => exportModel(p));
  connection.onRequest(summaryRequest, (p) => guard(() => summary(URI.parse(p.uri).fsPath, ctx.config())));
}

function guard<T>(fn: () => T): T | { error: string } {
  try {
    return fn();
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The decoded view's URI for a binary model, the file URI itself for a text one. */
export function viewUriOf(file: string): string {
  return file.endsWith('.pb') ? URI.file(file).with({ scheme: DECODED_SCHEME }).toString() : URI.file(file).toString();
}

// Closed models (the tree view lists every model of the workspace) are analyzed from disk once per
// modification of the file, not once per request.
const MAX_CLOSED = 8;
const closedAnalyses = new Map<string, { stamp: string; analysis: DocumentAnalysis }>();

function directoryStamp(dir: string): string {
  return listFiles(dir).map((f) => {
    const st = fs.statSync(path.join(dir, f.path), { throwIfNoEntry: false });
    return `${f.path}:${f.bytes}:${st?.mtimeMs ?? 0}`;
  }).join('|');
}

/** The open document's analysis, or one made from the file on disk. */
function analysisOfFile(ctx: RequestContext, uri: string): DocumentAnalysis {
  const file = URI.parse(uri).fsPath;
  const viewUri = viewUriOf(file);
  const open = ctx.analysisFor(viewUri) ?? ctx.analysisFor(uri);
  if (open) return open;
  // Keyed by every file of the directory (sizes and times), not only the model file: variables,
  // assets and extra files change what the tree shows.
  const stamp = directoryStamp(path.dirname(file));
  const cached = closedAnalyses.get(file);
  if (cached && cached.stamp === stamp) return cached.analysis;
  const analysis = file.endsWith('.pb') ? analyzeDecoded(viewUri, file, ctx) : analyze(viewUri, 0, fs.readFileSync(file, 'utf8'), ctx.config());
  closedAnalyses.delete(file);
  closedAnalyses.set(file, { stamp, analysis });
  // Each entry holds a whole parse tree: keep only the most recently used few.
  while (closedAnalyses.size > MAX_CLOSED) closedAnalyses.delete(closedAnalyses.keys().next().value as string);
  return analysis;
}

/** Settings changed: closed models must be judged again. */
export function forgetClosedAnalyses(): void {
  closedAnalyses.clear();
}

/** How decoded views print: big values and (unless the view is a full one) long node lists elided, as the settings say. */
function viewPrintOptions(s: LensSettings, full = false): PrintOptions {
  return { elideBytesOver: s.elideBytesOver, elideRepeatedOver: s.elideNodesOver > 0 && !full ? s.elideNodesOver : Infinity };
}

/** A closed binary model's analysis, from the tree its print recorded. */
function analyzeDecoded(viewUri: string, file: string, ctx: RequestContext): DocumentAnalysis {
  const r = printDecoded(file, viewPrintOptions(ctx.settings()));
  if ('error' in r) throw new Error(r.error);
  return analyzePrinted(viewUri, 0, r.pb, r.printed, ctx.config());
}

function check(file: string, config: AnalysisConfig): CheckResult {
  const outcome = checkPath(file, { rules: config.rules, options: config.options });
  const counts = outcome.kind === 'unreadable' ? { error: 0, warning: 0, info: 0 } : countSeverities(outcome.findings);
  const resolver = locationResolver(outcome.kind === 'checked' ? outcome.model.location : undefined, outcome.kind === 'checked' ? outcome.model : undefined);
  const text = outcome.kind === 'unreadable' ? outcome.reason : formatCheckText(outcome, resolver);
  return {
    markdown: `# Deployment check: ${path.basename(path.dirname(file))}\n\n\`\`\`text\n${text}\n\`\`\`\n`,
    errors: counts.error, warnings: counts.warning, infos: counts.info,
  };
}

function summary(file: string, config: AnalysisConfig): { text: string; totalBytes: number; limitBytes: number } | { error: string } {
  const loaded = loadModel(file);
  if (!loaded.ok) return { error: loaded.reason };
  return { text: formatSummary(summarize(loaded.model)), totalBytes: loaded.model.totalBytes, limitBytes: sizeLimit(config.options).bytes };
}

export function exportModel(p: ExportParams): ExportResult {
  const source = URI.parse(p.uri).fsPath;
  const exists = fs.existsSync(p.output) && (p.kind !== 'serving' || fs.readdirSync(p.output).length > 0);
  if (exists && !p.overwrite) return { ok: false, exists: true, message: `${p.output} exists` };
  try {
    if (p.kind === 'text') printTextToFile(readWholeFile(source), p.output);
    else if (p.kind === 'binary') writeBinary(source, p.output);
    else writeServing(source, p.output, p.overwrite);
    return { ok: true, output: p.output, message: `Exported ${path.basename(source)} to ${p.output}` };
  } catch (e) {
    return { ok: false, exists: false, message: (e as Error).message };
  }
}

function writeBinary(source: string, output: string): void {
  const parse = parseText(readWholeFile(source));
  if (parse.errors.length) throw new Error(`${path.basename(source)} has ${parse.errors.length} error(s); nothing written (see the Problems panel)`);
  writeFileAtomic(output, encodeText(parse.root));
}

function writeServing(source: string, output: string, force: boolean): void {
  const loaded = loadModel(source);
  if (!loaded.ok) throw new Error(loaded.reason);
  writeServingExport(loaded.model, planServingExport(loaded.model), output, { force });
}
