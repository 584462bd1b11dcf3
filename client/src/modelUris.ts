// The URIs a model goes by: the file on disk (saved_model.pb / saved_model.pbtxt) and, for a binary
// model, its read-only decoded view (scheme savedmodel-pb, same path; see protocol.ts).
import * as vscode from 'vscode';
import { DECODED_SCHEME, FULL_VIEW_QUERY } from '../../server/src/protocol';

export const MODEL_FILE_NAMES = ['saved_model.pb', 'saved_model.pbtxt'] as const;
export const MODEL_GLOB = '**/saved_model.{pb,pbtxt}';
/** Folders never searched for models. */
export const EXCLUDE_GLOB = '**/{node_modules,.git,.cache,.vscode-test}/**';

export function isBinaryModel(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.pb');
}

export function isDecodedView(uri: vscode.Uri): boolean {
  return uri.scheme === DECODED_SCHEME;
}

export function decodedViewUri(file: vscode.Uri): vscode.Uri {
  return file.with({ scheme: DECODED_SCHEME });
}

/** The decoded view that shows every node (the plain one elides long node lists). */
export function fullDecodedViewUri(file: vscode.Uri): vscode.Uri {
  return file.with({ scheme: DECODED_SCHEME, query: FULL_VIEW_QUERY });
}

/** The file on disk behind a document: the decoded view's .pb, or the document itself. */
export function modelFileOf(uri: vscode.Uri): vscode.Uri {
  return isDecodedView(uri) ? uri.with({ scheme: 'file', query: '' }) : uri;
}

/** What the editor shows for a model file: the decoded view for a .pb, the file itself otherwise. */
export function textUriOf(file: vscode.Uri): vscode.Uri {
  return file.scheme === 'file' && isBinaryModel(file) ? decodedViewUri(file) : file;
}

export function isModelFileName(uri: vscode.Uri): boolean {
  return (MODEL_FILE_NAMES as readonly string[]).includes(uri.path.slice(uri.path.lastIndexOf('/') + 1));
}
