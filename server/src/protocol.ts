// Custom requests between the extension (client) and the language server, declared once here and
// imported by both sides, as vscode-eslint's customMessages.ts and rust-analyzer's lsp_ext.ts do.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** URI scheme of the read-only decoded view of a binary saved_model.pb; its path is the file's. */
export const DECODED_SCHEME = 'savedmodel-pb';

export interface DecodedTextParams {
  /** file: URI of the binary saved_model.pb. */
  uri: string;
  /** The view the text is for (default: the file's decoded view); with the query FULL_VIEW_QUERY, no node list is elided. */
  view?: string;
}
/** The query of a decoded view that shows every node (Show Full Decoded Text). */
export const FULL_VIEW_QUERY = 'full';
export type DecodedTextResult = { text: string; elided: boolean } | { error: string };
export const decodedTextRequest = new RequestType<DecodedTextParams, DecodedTextResult, void>('savedmodelLens/decodedText');

export interface AnalysisInfoParams {
  /** URI of an open document. */
  uri: string;
}
/** How the server came by an open document's analysis (for tests: the editor does not ask). */
export interface AnalysisInfo {
  /** Texts the server has parsed for documents since it started. */
  textParses: number;
  /** null when the document is not open. */
  document: {
    version: number;
    /** `printed`: the decoded view's tree was recorded while printing its text; `parsed`: the text was parsed. */
    treeSource: 'printed' | 'parsed';
  } | null;
}
export const analysisInfoRequest = new RequestType<AnalysisInfoParams, AnalysisInfo, void>('savedmodelLens/analysisInfo');

export interface ModelTreeParams {
  /** file: URI of saved_model.pb / saved_model.pbtxt. */
  uri: string;
}

/** Where selecting a tree item leads: a range in the model's text (or decoded view). */
export interface TreeTarget {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface TreeItemData {
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id, e.g. `symbol-interface`. */
  icon?: string;
  /** An element path (elementPath.ts format) the client reveals through revealRequest. */
  path?: string;
  children?: TreeItemData[];
}

export type ModelTreeResult = { root: TreeItemData } | { error: string };
export const modelTreeRequest = new RequestType<ModelTreeParams, ModelTreeResult, void>('savedmodelLens/modelTree');

export interface RevealParams {
  /** file: URI of the model file. */
  uri: string;
  path: string;
}
export const revealRequest = new RequestType<RevealParams, TreeTarget | null, void>('savedmodelLens/reveal');

export interface CheckParams {
  uri: string;
}
export interface CheckResult {
  /** Markdown report: findings grouped by file, the size report and a one-line summary. */
  markdown: string;
  errors: number;
  warnings: number;
  infos: number;
}
export const checkRequest = new RequestType<CheckParams, CheckResult | { error: string }, void>('savedmodelLens/check');

export type ExportKind = 'text' | 'binary' | 'serving';
export interface ExportParams {
  uri: string;
  kind: ExportKind;
  /** Absolute output path: a file for text/binary, a folder for serving. */
  output: string;
  /** The user confirmed overwriting an existing output. */
  overwrite: boolean;
}
export type ExportResult =
  | { ok: true; output: string; message: string }
  | { ok: false; exists: boolean; message: string };
export const exportRequest = new RequestType<ExportParams, ExportResult, void>('savedmodelLens/export');

export interface SummaryParams {
  uri: string;
}
export type SummaryResult = { text: string; totalBytes: number; limitBytes: number } | { error: string };
export const summaryRequest = new RequestType<SummaryParams, SummaryResult, void>('savedmodelLens/summary');

/** Settings the client passes at start and on change (section `savedmodelLens`). */
export interface LensSettings {
  machineType: 'mls1' | 'n1';
  maxSizeBytes: number | null;
  rules: Record<string, 'off' | 'info' | 'warning' | 'error'>;
  /** Treat every .pbtxt/.textproto as a SavedModel, not only those named saved_model.pbtxt or declaring one. */
  treatAllPbtxtAsSavedModel: boolean;
  /** Decoded views of binary models elide bytes values longer than this. */
  elideBytesOver: number;
  /** Decoded views show this many values of a repeated message field (a graph's nodes), then say how many more are elided; 0: all. */
  elideNodesOver: number;
}

export const DEFAULT_SETTINGS: LensSettings = {
  machineType: 'mls1',
  maxSizeBytes: null,
  rules: {},
  treatAllPbtxtAsSavedModel: false,
  elideBytesOver: 4096,
  elideNodesOver: 10_000,
};

export interface SignaturesParams {
  uri: string;
}
export interface SignatureChoice {
  key: string;
  method: string;
  /** `x: float32 (-1, 1)` for each input, for the quick pick. */
  inputs: string[];
}
export const signaturesRequest = new RequestType<SignaturesParams, SignatureChoice[] | { error: string }, void>('savedmodelLens/signatures');

export interface SmokeParams {
  /** file: URI of the model file or its folder. */
  uri: string;
  signature?: string;
  /** A request file in the prediction service's format; synthesized from the signature when absent. */
  instancesFile?: string;
  batch: number;
  runs: number;
  runtime: 'auto' | 'tensorflow' | 'builtin';
  device: 'gpu' | 'cpu';
  /** Python interpreter for the TensorFlow runtime. */
  python?: string;
  /** Where to save the synthesized request, so the user can edit and rerun it. */
  saveRequestTo?: string;
}
export interface SmokeResult {
  /** The readable report. */
  markdown: string;
  /** The service's answer as JSON text: `{"predictions": ...}` or `{"error": ...}`. */
  response: string;
  status: 'ok' | 'problems' | 'failed';
  /** One line: where it ran, and why not on a GPU when it did not (for the status line). */
  summary: string;
}
/** Cancellable: the client cancels the request and the run stops. */
export const smokeRequest = new RequestType<SmokeParams, SmokeResult, void>('savedmodelLens/smoke');
/** Progress of a running smoke test (one line, e.g. `warming up`). */
export const smokeProgressNotification = new NotificationType<{ message: string }>('savedmodelLens/smokeProgress');

export type ShrinkWeights = 'float16' | 'int8' | 'keep';
export interface ShrinkEstimatesParams {
  /** file: URI of the model file or its folder. */
  uri: string;
}
export interface ShrinkEstimate {
  weights: ShrinkWeights;
  /** Estimated size of the serving copy: served weights at this precision, unused entries gone. */
  bytes: number;
}
export type ShrinkEstimatesResult =
  | { estimates: ShrinkEstimate[]; currentBytes: number; limitBytes: number; limitName: string }
  | { error: string };
export const shrinkEstimatesRequest = new RequestType<ShrinkEstimatesParams, ShrinkEstimatesResult, void>('savedmodelLens/shrinkEstimates');

export interface ShrinkParams {
  uri: string;
  weights: ShrinkWeights;
  /** Absolute path of the output folder. */
  output: string;
  /** The user confirmed replacing a non-empty output folder. */
  overwrite: boolean;
}
export type ShrinkResult =
  /** Written; `proven`: answers within tolerance and no check errors of its own. */
  | { ok: true; output: string; proven: boolean; markdown: string; summary: string }
  | { ok: false; exists: boolean; message: string };
/** Cancellable: the client cancels the request and the comparison stops. */
export const shrinkRequest = new RequestType<ShrinkParams, ShrinkResult, void>('savedmodelLens/shrink');
/** Progress of a running shrink (one line, e.g. `running signature 'serving_default' on the copy`). */
export const shrinkProgressNotification = new NotificationType<{ message: string }>('savedmodelLens/shrinkProgress');
