// What a file named saved_model.pb / saved_model.pbtxt really is. Files in the wild are often
// something else (a bare GraphDef, a label map, an HTML page saved from a browser, a truncated
// upload); users get one line naming it instead of a decoder error.
import { WireReader, RawField, WireError } from '../protobuf';

export type FileKind =
  | { kind: 'binary-savedmodel' }
  | { kind: 'text-savedmodel' }
  | { kind: 'other'; what: string };

const MAX_PROTO_BYTES = 2 ** 31 - 1;

export function sniffHead(head: Uint8Array, size: number, name: string): FileKind | undefined {
  if (size === 0) return { kind: 'other', what: 'an empty file' };
  // A text model may be larger than 2 GiB while its binary form is not; only binary files hit the limit.
  if (size > MAX_PROTO_BYTES && !name.endsWith('.pbtxt')) {
    return { kind: 'other', what: `a ${(size / 2 ** 30).toFixed(1)} GiB file: over protobuf's 2 GiB message limit, so TensorFlow cannot load it either` };
  }
  const text = asciiPrefix(head);
  if (/^\s*(<!doctype html|<html|<head|<\?xml)/i.test(text)) return { kind: 'other', what: 'an HTML/XML page (perhaps saved from a browser instead of downloaded)' };
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'other', what: 'a gzip archive: extract it first' };
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return { kind: 'other', what: 'a zip archive: extract it first' };
  if (text.startsWith('version https://git-lfs')) return { kind: 'other', what: 'a Git LFS pointer, not the file itself: run `git lfs pull`' };
  if (/^\s*\{\s*"/.test(text)) return { kind: 'other', what: 'a JSON file' };
  if (name.endsWith('.pbtxt') && !looksLikeText(head)) return { kind: 'other', what: 'binary data named .pbtxt (a binary SavedModel should be named saved_model.pb)' };
  return undefined;
}

/** Classify a whole text file named .pbtxt (or a .pb that is really text). */
export function sniffText(head: Uint8Array): FileKind {
  const text = stripComments(asciiPrefix(head));
  if (/^item\s*[{<]/.test(text)) return { kind: 'other', what: 'an object-detection label map (StringIntLabelMap), not a SavedModel' };
  if (/^node\s*[{<]/.test(text) || /^(versions|library)\s*[{<]/.test(text)) return { kind: 'other', what: 'a text GraphDef (a bare graph), not a SavedModel: export it with tf.saved_model.save' };
  if (/^(meta_graph_def|meta_info_def|graph_def)\s*[{<]/.test(text)) return { kind: 'other', what: 'a text MetaGraphDef, not a SavedModel' };
  return { kind: 'text-savedmodel' };
}

/** Classify a binary file named .pb by its top-level fields. */
export function sniffBinary(bytes: Uint8Array): FileKind {
  const text = sniffTextNamedPb(bytes.subarray(0, 4096));
  if (text) return text;
  const top = topLevelFields(bytes);
  if (top instanceof WireError) {
    // A length or value running past the end of the file is what a cut-off download looks like.
    const cut = /truncated|runs past the end/.test(top.message) ? `; the file (${bytes.length} bytes) ends too early: probably truncated` : '';
    return { kind: 'other', what: `not a valid protobuf message (${top.message}${cut})` };
  }
  const has = (n: number, wt: number): boolean => top.some((f) => f.number === n && f.wireType === wt);
  if (top.length && has(1, 2) && !has(2, 2) && isGraphNode(bytes, top.find((f) => f.number === 1) as RawField)) {
    return { kind: 'other', what: 'a GraphDef (a bare graph), not a SavedModel: export it with tf.saved_model.save or SavedModelBuilder' };
  }
  if (has(1, 2) && isLabelMapItem(bytes, top.find((f) => f.number === 1) as RawField)) {
    return { kind: 'other', what: 'an object-detection label map (StringIntLabelMap), not a SavedModel' };
  }
  const unknown = top.filter((f) => !((f.number === 1 && f.wireType === 0) || (f.number === 2 && f.wireType === 2)));
  if (top.length === 0) return { kind: 'other', what: 'a protobuf message with no fields' };
  if (unknown.length === top.length) return { kind: 'other', what: 'a protobuf message of another type (none of its fields are SavedModel fields)' };
  return { kind: 'binary-savedmodel' };
}

/** A text SavedModel saved as .pb: told from its first 4 KiB, before any wire walk calls it damaged. */
export function sniffTextNamedPb(head: Uint8Array): FileKind | undefined {
  if (looksLikeText(head) && /^\s*(#|saved_model_schema_version|meta_graphs)/.test(asciiPrefix(head))) {
    return { kind: 'other', what: 'a text-format SavedModel named .pb: rename it to saved_model.pbtxt' };
  }
  return undefined;
}

function topLevelFields(bytes: Uint8Array): RawField[] | WireError {
  const out: RawField[] = [];
  const r = new WireReader(bytes, 0, bytes.length);
  try {
    while (!r.atEnd()) {
      const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
      r.next(f);
      out.push(f);
    }
    return out;
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
}

/** A NodeDef has name (1) and op (2) as strings; a MetaGraphDef's field 1 is a message of messages. */
function isGraphNode(bytes: Uint8Array, f: RawField): boolean {
  const fields = topLevelFields(bytes.subarray(f.start, f.end));
  if (fields instanceof WireError) return false;
  const one = fields.find((x) => x.number === 1);
  const two = fields.find((x) => x.number === 2);
  return !!one && !!two && one.wireType === 2 && two.wireType === 2 &&
    looksLikeText(bytes.subarray(f.start + one.start, f.start + one.end)) && looksLikeText(bytes.subarray(f.start + two.start, f.start + two.end));
}

/** StringIntLabelMapItem: name (1, string), id (2, varint), display_name (3, string). */
function isLabelMapItem(bytes: Uint8Array, f: RawField): boolean {
  const fields = topLevelFields(bytes.subarray(f.start, f.end));
  if (fields instanceof WireError) return false;
  return fields.some((x) => x.number === 2 && x.wireType === 0) && fields.every((x) => x.number <= 5);
}

function asciiPrefix(bytes: Uint8Array): string {
  let s = '';
  const n = Math.min(bytes.length, 512);
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (; i < n; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function stripComments(text: string): string {
  return text.replace(/^(\s*#[^\n]*\n)*/, '').trimStart();
}

/** No NUL and mostly printable: what a text file looks like. */
export function looksLikeText(bytes: Uint8Array): boolean {
  let bad = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20)) bad++;
  }
  return bad <= bytes.length / 100;
}
