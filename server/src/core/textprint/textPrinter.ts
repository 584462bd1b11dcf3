// Binary protobuf -> text format, byte for byte what `protoc --decode=TYPE` (protobuf 3.21, C++
// TextFormat::Printer defaults) prints with our .proto files, and rejecting exactly what protoc's
// parser rejects. Findings from protoc that shape the printer (each checked by test/unit/printer):
// - known fields in field-number order, values of a repeated field in wire order, then unknown
//   fields (including known numbers with a wrong wire type) in wire order;
// - proto3 implicit presence: a default scalar is not printed even when on the wire (a float or
//   double counts as default only when all its bits are 0, so -0 prints);
// - a singular field seen twice: the last scalar wins; message occurrences are parsed as the
//   concatenation of their payloads; a oneof member clears the others (they must still parse);
// - maps: entries stay entries (duplicate keys are NOT collapsed), stably sorted by key (bytes
//   for strings, numeric for integers), each printing key and value even when absent;
// - google.protobuf.Any is printed as a plain message: protoc does not expand it;
// - unknown length-delimited values print as `N { ... }` when they parse as a field set
//   (non-empty, within TextFormat's 10-level unknown-field budget), else as an escaped string;
// - the parser limits nesting of messages and groups to 100 and rejects invalid UTF-8 in proto3
//   `string` fields (proto2 ones, graph_debug_info.proto, only get a logged warning).
//
// The printer is split by concept: messagePrinter.ts (fields and messages), printScan.ts (the
// per-depth field scan), printTables.ts (per-message tables), printWireReader.ts (the wire as
// protoc reads it), scalarPrinter.ts, mapEntryOrder.ts, unknownFieldsPrinter.ts, and
// textOutput.ts (the chunked ASCII output buffer).
import * as fs from 'node:fs';
import { isSpecialFile, temporarySibling } from '../atomicWrite';
import { MessagePrinter } from './messagePrinter';
import { layoutOf } from './printTables';
import { loadSchema } from '../protobuf';
import { CHUNK_SIZE, TextOutput } from './textOutput';
import { TreeRecorder } from './treeRecorder';
import { storedRoot, TextMessage } from '../textformat';

export interface PrintOptions {
  /** Editor view only: replace bytes values longer than this with a `# … elided` comment line, saying so. */
  elideBytesOver?: number;
  /**
   * Editor view only: of a repeated message field (a graph's nodes) print the first this many
   * values, then a `# … elided` comment line saying how many more there are. The elided values
   * are not checked as protoc would (the model's loader checks them).
   */
  elideRepeatedOver?: number;
}

/** The whole text (throws WireError on malformed input). */
export function printText(buf: Uint8Array, typeName = 'tensorflow.SavedModel', opts: PrintOptions = {}): string {
  const parts: string[] = [];
  printTextChunks(buf, typeName, (c) => parts.push(Buffer.from(c.buffer, c.byteOffset, c.length).toString('latin1')), opts);
  return parts.join('');
}

/**
 * Stream the text to onChunk. A chunk is a view valid only during the call. On malformed input
 * a WireError is thrown, possibly after some chunks: those are then not a complete text.
 */
export function printTextChunks(
  buf: Uint8Array, typeName: string, onChunk: (chunk: Uint8Array) => void, opts: PrintOptions = {},
): void {
  const root = layoutOf(loadSchema().message(typeName));
  const printer = new MessagePrinter(buf, new TextOutput(CHUNK_SIZE, onChunk), opts.elideBytesOver ?? Infinity, opts.elideRepeatedOver ?? Infinity);
  printer.printRoot(root);
}

/** A text printed together with its parse tree. */
export interface PrintedText {
  /** The whole text (ASCII). */
  readonly bytes: Buffer;
  /**
   * Its parse tree, the one parseText gives for these bytes; undefined when the text prints unknown
   * fields, which the parser reports as errors (parse the text then).
   */
  readonly root: TextMessage | undefined;
}

/** The whole text, and its parse tree recorded as it is written (throws WireError on malformed input). */
export function printTextWithTree(buf: Uint8Array, typeName = 'tensorflow.SavedModel', opts: PrintOptions = {}): PrintedText {
  const type = loadSchema().message(typeName);
  const chunks: Uint8Array[] = [];
  let length = 0;
  const tree = new TreeRecorder();
  const out = new TextOutput(CHUNK_SIZE, (c) => {
    chunks.push(c.slice());
    length += c.length;
  }, tree);
  new MessagePrinter(buf, out, opts.elideBytesOver ?? Infinity, opts.elideRepeatedOver ?? Infinity).printRoot(layoutOf(type));
  const bytes = Buffer.concat(chunks, length);
  chunks.length = 0;
  if (tree.printedUnknown) return { bytes, root: undefined };
  tree.store.setText(bytes);
  return { bytes, root: storedRoot(tree.store, type) };
}

/** Write the text to a temp file next to outPath, renamed into place once complete; removed on error. */
export function printTextToFile(buf: Uint8Array, outPath: string, typeName = 'tensorflow.SavedModel'): void {
  if (isSpecialFile(outPath)) {
    const out = fs.openSync(outPath, 'w');
    try {
      printTextChunks(buf, typeName, (chunk) => writeAll(out, chunk));
    } finally {
      fs.closeSync(out);
    }
    return;
  }
  const tmp = temporarySibling(outPath);
  const fd = fs.openSync(tmp, 'w');
  let open = true;
  try {
    printTextChunks(buf, typeName, (chunk) => writeAll(fd, chunk));
    fs.closeSync(fd);
    open = false;
    fs.renameSync(tmp, outPath);
  } catch (e) {
    if (open) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
}
