// Load a SavedModel from a file or folder into the one typed model that the CLI, the language
// server and the rules share. A text model is parsed (keeping ranges for diagnostics) and encoded,
// so everything downstream reads the binary form.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateModel, listFiles, totalBytes, FileEntry, ModelLocation } from './modelDirectory';
import { sniffHead, sniffBinary, sniffText, sniffTextNamedPb } from './fileKind';
import { decodeSavedModel, SavedModelDoc } from './savedModel';
import { WireError, WireProblem, refusalLine, validateWire } from '../protobuf';
import type { MessageSpans, SpanRequest } from '../protobuf';
import { nodeFields, nodeSpanRequest } from './nodeTable';
import { parseText } from '../textformat';
import { encodeText } from '../textformat';
import { ParseResult } from '../textformat';
import { loadVariablesDir, VariablesState } from '../checkpoint';
import { decodePlain } from '../protobuf';
import { loadSchema } from '../protobuf';
import { PlainMessage } from '../protobuf';
import { readWholeFile } from '../readFile';
import { ModelChangedError, ModelFile } from './modelFile';

export interface LoadedModel {
  readonly location: ModelLocation;
  readonly files: readonly FileEntry[];
  readonly totalBytes: number;
  /**
   * The model in binary form: the file itself, or the encoding of the parsed text. A binary file is
   * read by positions: asking for this reads in every payload left unread (the file checked unchanged).
   */
  readonly binary: Uint8Array;
  /** Its length, without reading anything. */
  readonly binarySize: number;
  readonly doc: SavedModelDoc;
  /** For text models: the bytes and parse tree with ranges (and any syntax/schema errors). */
  readonly text: { readonly bytes: Uint8Array; readonly parse: ParseResult } | undefined;
  readonly variables: VariablesState;
  readonly fingerprint: PlainMessage | undefined;
  /** What protoc accepts but is odd in the binary form (a known field with the wrong wire type). */
  readonly wireWarnings: readonly WireProblem[];
  readonly wireWarningCount: number;
}

export type LoadFailure = {
  readonly ok: false;
  /** `unreadable`: missing or unreadable input; `not-a-savedmodel`: a file that is something else. */
  readonly kind: 'unreadable' | 'not-a-savedmodel';
  readonly reason: string;
  readonly location?: ModelLocation;
  /** Set when the file is a damaged protobuf: where, and in which element. */
  readonly wire?: WireProblem;
};
export type LoadResult = { readonly ok: true; readonly model: LoadedModel } | LoadFailure;

export function loadModel(input: string): LoadResult {
  const located = locateModel(input);
  if ('error' in located) return { ok: false, kind: 'unreadable', reason: located.error };
  let bytes: Uint8Array;
  const size = fs.statSync(located.modelFile).size;
  const head = readHead(located.modelFile);
  const early = sniffHead(head, size, path.basename(located.modelFile));
  if (early?.kind === 'other') return notSavedModel(located, early.what);
  try {
    if (located.format === 'binary') return loadBinaryFile(located, head);
    bytes = readWholeFile(located.modelFile);
  } catch (e) {
    if (e instanceof WireError) throw e;
    return { ok: false, kind: 'unreadable', reason: `${located.modelFile}: ${(e as Error).message}`, location: located };
  }
  return loadModelFromBytes(located, bytes);
}

/**
 * Load the model and use it; when a late read finds the file changed since it was loaded
 * (ModelChangedError), load it again and start over, so `use` never sees two versions mixed.
 */
export function withFreshModel<T>(input: string, use: (model: LoadedModel) => T, tries = 3): LoadFailure | { readonly ok: true; readonly value: T } {
  for (let attempt = 1; ; attempt++) {
    const loaded = loadModel(input);
    if (!loaded.ok) return loaded;
    try {
      return { ok: true, value: use(loaded.model) };
    } catch (e) {
      if (!(e instanceof ModelChangedError) || attempt >= tries) throw e;
    }
  }
}

/** A binary file by positioned reads: framing and small fields in, big payloads read when asked for. */
function loadBinaryFile(location: ModelLocation, head: Uint8Array): LoadResult {
  const textual = sniffTextNamedPb(head);
  if (textual?.kind === 'other') return notSavedModel(location, textual.what);
  const { file, verdict } = ModelFile.open(location.modelFile, loadSchema().message('tensorflow.SavedModel'), nodeSpans());
  if (verdict.error) return corrupt(location, verdict.error, file.size);
  const kind = sniffBinary(file.bytes);
  if (kind.kind === 'other') return notSavedModel(location, kind.what);
  return assemble(location, file.bytes, undefined, verdict, file, verdict.spans);
}

/** Build the model from in-memory bytes (the editor's unsaved text, or a file already read). */
export function loadModelFromBytes(location: ModelLocation, bytes: Uint8Array): LoadResult {
  const early = sniffHead(bytes.subarray(0, 4096), bytes.length, path.basename(location.modelFile));
  if (early?.kind === 'other') return notSavedModel(location, early.what);
  let binary: Uint8Array;
  let text: LoadedModel['text'];
  let wire: { warnings: readonly WireProblem[]; warningCount: number } = { warnings: [], warningCount: 0 };
  let spans: MessageSpans | undefined;
  if (location.format === 'text') {
    const kind = sniffText(bytes.subarray(0, 4096));
    if (kind.kind === 'other') return notSavedModel(location, kind.what);
    const parse = parseText(bytes, 'tensorflow.SavedModel');
    text = { bytes, parse };
    binary = encodeText(parse.root, { skipErrors: true });
  } else {
    // The one verdict on a damaged file: after this, lazy reads cannot meet a framing error.
    const textual = sniffTextNamedPb(bytes.subarray(0, 4096));
    if (textual?.kind === 'other') return notSavedModel(location, textual.what);
    const verdict = validateWire(bytes, loadSchema().message('tensorflow.SavedModel'), { spans: nodeSpans() });
    if (verdict.error) return corrupt(location, verdict.error, bytes.length);
    wire = verdict;
    spans = verdict.spans;
    const kind = sniffBinary(bytes);
    if (kind.kind === 'other') return notSavedModel(location, kind.what);
    binary = bytes;
  }
  return assemble(location, binary, text, wire, undefined, spans);
}

/** The walk records each NodeDef's span, name and op: the decoder builds node tables from them. */
function nodeSpans(): SpanRequest {
  return nodeSpanRequest(nodeFields(loadSchema().message('tensorflow.NodeDef')));
}

function assemble(
  location: ModelLocation, binary: Uint8Array, text: LoadedModel['text'],
  wire: { warnings: readonly WireProblem[]; warningCount: number }, file: ModelFile | undefined,
  spans: MessageSpans | undefined,
): LoadResult {
  let doc: SavedModelDoc;
  try {
    doc = decodeSavedModel(binary, spans);
  } catch (e) {
    // The text form's encoding, or a binary that passed the walk: a WireError here is our bug, said plainly.
    if (e instanceof WireError) return { ok: false, kind: 'not-a-savedmodel', reason: `${location.modelFile}: not a valid tensorflow.SavedModel (${e.message})`, location };
    throw e;
  }
  const files = listFiles(location.dir);
  return {
    ok: true,
    model: {
      location, files, totalBytes: totalBytes(files), doc, text,
      // Read by positions: an export that copies the bytes reads what the walk skipped, checked unchanged.
      get binary(): Uint8Array {
        return file ? file.whole() : binary;
      },
      binarySize: binary.length,
      variables: loadVariablesDir(path.join(location.dir, 'variables')),
      fingerprint: readFingerprint(location.dir),
      wireWarnings: wire.warnings,
      wireWarningCount: wire.warningCount,
    },
  };
}

function notSavedModel(location: ModelLocation, what: string): LoadFailure {
  return { ok: false, kind: 'not-a-savedmodel', reason: `${location.modelFile} is ${what}`, location };
}

/** A damaged binary file: the line export-text gives, with the offset and the element around it. */
function corrupt(location: ModelLocation, problem: WireProblem, size: number): LoadFailure {
  return { ok: false, kind: 'not-a-savedmodel', reason: refusalLine(location.modelFile, 'tensorflow.SavedModel', problem, size), location, wire: problem };
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const head = new Uint8Array(4096);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

function readFingerprint(dir: string): PlainMessage | undefined {
  const p = path.join(dir, 'fingerprint.pb');
  if (!fs.existsSync(p)) return undefined;
  try {
    const bytes = fs.readFileSync(p);
    return decodePlain(bytes, 0, bytes.length, loadSchema().message('tensorflow.FingerprintDef'));
  } catch {
    return undefined;
  }
}
