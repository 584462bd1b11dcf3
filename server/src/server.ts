// The language server: LSP wiring only. Everything it answers comes from the core (server/src/core)
// through one DocumentAnalysis per open document version.
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, InitializeResult,
  DidChangeWatchedFilesNotification, CodeActionKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { analyze, DocumentAnalysis, AnalysisConfig, isSavedModelDocument } from './lsp/documentAnalysis';
import { toDiagnostics } from './lsp/diagnostics';
import { hover } from './lsp/hover';
import { documentSymbols } from './lsp/symbols';
import { foldingRanges } from './lsp/folding';
import { definition, references } from './lsp/navigation';
import { completion } from './lsp/completion';
import { codeActions } from './lsp/codeActions';
import { modelTree, reveal } from './lsp/modelTree';
import { Scheduler } from './lsp/scheduler';
import { customRequests, forgetClosedAnalyses } from './lsp/customRequests';
import { DecodedViews } from './lsp/decodedViews';
import { smokeRequests } from './lsp/smokeRequests';
import { shrinkRequests } from './lsp/shrinkRequests';
import { DEFAULT_SETTINGS, LensSettings } from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const analyses = new Map<string, DocumentAnalysis>();
let settings: LensSettings = DEFAULT_SETTINGS;

function config(): AnalysisConfig {
  return {
    rules: settings.rules,
    options: { machineType: settings.machineType, ...(settings.maxSizeBytes ? { maxSizeBytes: settings.maxSizeBytes } : {}) },
  };
}

/** The analysis of the document's current version, computing it now if the debounce has not yet. */
function current(uri: string): DocumentAnalysis | undefined {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const known = analyses.get(uri);
  if (known && known.version === doc.version) return known;
  return runAnalysis(doc);
}

function runAnalysis(doc: TextDocument): DocumentAnalysis | undefined {
  if (!isSavedModelDocument(doc.uri, doc.getText(), settings.treatAllPbtxtAsSavedModel)) {
    analyses.delete(doc.uri);
    void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    return undefined;
  }
  try {
    // A decoded view opened with the text just printed for it: its analysis is ready, tree included.
    const a = views.take(doc.uri, doc.version, doc.getText()) ?? analyze(doc.uri, doc.version, doc.getText(), config());
    analyses.set(doc.uri, a);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: toDiagnostics(a) });
    return a;
  } catch (e) {
    // The server must outlive any input: report the failure on the document instead of crashing.
    connection.console.error(`analysis of ${doc.uri} failed: ${(e as Error).stack ?? String(e)}`);
    void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [{
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `SavedModel Lens could not analyze this file: ${(e as Error).message}`,
      source: 'SavedModel Lens',
    }] });
    return undefined;
  }
}

const views = new DecodedViews(
  config,
  (a) => void connection.sendDiagnostics({ uri: a.uri, diagnostics: toDiagnostics(a) }),
  (uri) => documents.get(uri) !== undefined,
  (uri) => void connection.sendDiagnostics({ uri, diagnostics: [] }),
  (message) => connection.console.error(message),
);

// Documents to analyze again although their version was analyzed: settings or the directory changed.
const outdated = new Set<string>();

const scheduler = new Scheduler((uri) => {
  const doc = documents.get(uri);
  // A request may have analyzed this version already (current): once is enough.
  if (doc && (outdated.delete(uri) || analyses.get(uri)?.version !== doc.version)) runAnalysis(doc);
});

connection.onInitialize((params): InitializeResult => {
  const init = params.initializationOptions as Partial<LensSettings> | undefined;
  settings = { ...DEFAULT_SETTINGS, ...(init ?? {}) };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      // Only after `field:`; field names complete on request (typing) without popping up on every space.
      completionProvider: { triggerCharacters: [':'] },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'savedmodel-lens', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  // Re-check open models when their directory changes (variables, assets, extra files).
  void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
});

connection.onDidChangeConfiguration((change) => {
  const s = (change.settings as { savedmodelLens?: Partial<LensSettings> } | undefined)?.savedmodelLens;
  if (s) settings = { ...DEFAULT_SETTINGS, ...s };
  forgetClosedAnalyses();
  views.forgetAll();
  for (const doc of documents.all()) {
    outdated.add(doc.uri);
    scheduler.schedule(doc.uri, 0);
  }
});

connection.onDidChangeWatchedFiles((params) => {
  const changed = params.changes.map((c) => URI.parse(c.uri).fsPath);
  for (const a of analyses.values()) {
    const dir = path.dirname(a.modelFile) + path.sep;
    if (!changed.some((f) => f.startsWith(dir))) continue;
    outdated.add(a.uri);
    scheduler.schedule(a.uri, 100);
  }
});

documents.onDidOpen((e) => scheduler.schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => scheduler.schedule(e.document.uri, 300));
documents.onDidClose((e) => {
  scheduler.cancel(e.document.uri);
  outdated.delete(e.document.uri);
  views.forget(e.document.uri);
  analyses.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

const withAnalysis = <T>(uri: string, fn: (a: DocumentAnalysis) => T, fallback: T): T => {
  const a = current(uri);
  return a ? fn(a) : fallback;
};

connection.onHover((p) => withAnalysis(p.textDocument.uri, (a) => hover(a, p.position, config().options), null));
connection.onDocumentSymbol((p) => withAnalysis(p.textDocument.uri, documentSymbols, []));
connection.onFoldingRanges((p) => withAnalysis(p.textDocument.uri, foldingRanges, []));
connection.onDefinition((p) => withAnalysis(p.textDocument.uri, (a) => definition(a, p.position), []));
connection.onReferences((p) => withAnalysis(p.textDocument.uri, (a) => references(a, p.position, p.context.includeDeclaration), []));
connection.onCompletion((p) => withAnalysis(p.textDocument.uri, (a) => completion(a, p.position), []));
connection.onCodeAction((p) => withAnalysis(p.textDocument.uri, (a) => codeActions(a, p), []));

customRequests(connection, {
  analysisFor: (uri) => analyses.get(uri) ?? current(uri),
  settings: () => settings,
  config,
  modelTree: (a) => modelTree(a, config().options),
  reveal,
  openAnalysis: (uri) => (documents.get(uri) ? current(uri) : undefined),
  views,
});

smokeRequests(connection);
shrinkRequests(connection, () => config().options);

documents.listen(connection);
connection.listen();
