// Small reads of the text tree that the editor features share: a field's values, a string value, a
// map entry's key and value, the message an element path names, the message around an offset.
import { ElementPath, PathSegment } from '../core/elementPath';
import { mapKeyText } from '../core/textformat';
import { TextField, TextMessage, TextValue } from '../core/textformat';

/** Every value of field `name`, across all its occurrences, in text order. */
export function valuesOf(msg: TextMessage, name: string): TextValue[] {
  const out: TextValue[] = [];
  for (const f of msg.fields) if (f.info.name === name) out.push(...f.values);
  return out;
}

/** The message values of field `name`. */
export function messagesOf(msg: TextMessage, name: string): TextMessage[] {
  return valuesOf(msg, name).filter((v): v is TextMessage => v.kind === 'message');
}

/** The value a singular field ends up with: its last one. */
export function lastValue(msg: TextMessage, name: string): TextValue | undefined {
  let last: TextValue | undefined;
  for (const f of msg.fields) if (f.info.name === name && f.values.length) last = f.values[f.values.length - 1];
  return last;
}

export function lastMessage(msg: TextMessage, name: string): TextMessage | undefined {
  const v = lastValue(msg, name);
  return v?.kind === 'message' ? v : undefined;
}

/** A string value's text (undefined for other values and for bytes that are not UTF-8). */
export function stringOf(v: TextValue | undefined): string | undefined {
  return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
}

/** A map entry's key as element paths write it. */
export function entryKey(entry: TextMessage): string {
  const v = lastValue(entry, 'key');
  return v?.kind === 'scalar' ? mapKeyText(v.value) : '';
}

/** A map entry's value when it is a message. */
export function entryMessage(entry: TextMessage): TextMessage | undefined {
  return lastMessage(entry, 'value');
}

/** The range to show for a value: the whole `name { ... }` when written alone, else the value itself. */
export function elementRange(occ: TextField, value: TextValue): { start: number; end: number } {
  return occ.values.length === 1 ? { start: occ.nameStart, end: Math.max(occ.end, value.end) } : { start: value.start, end: value.end };
}

/** The message an element path names, with the same addressing as textPaths.findPath. */
export function messageAtPath(root: TextMessage, path: ElementPath): TextMessage | undefined {
  let msg: TextMessage | undefined = root;
  for (const seg of path) {
    if (!msg) return undefined;
    msg = step(msg, seg);
  }
  return msg;
}

function step(msg: TextMessage, seg: PathSegment): TextMessage | undefined {
  if ('key' in seg) {
    const entry = messagesOf(msg, seg.field).filter((e) => e.type.isMapEntry && entryKey(e) === seg.key).pop();
    return entry ? entryMessage(entry) : undefined;
  }
  if ('index' in seg) {
    const v = valuesOf(msg, seg.field)[seg.index];
    return v?.kind === 'message' ? v : undefined;
  }
  return lastMessage(msg, seg.field);
}

/**
 * The deepest message whose text contains `offset`: after its opening brace and before its closing
 * one; a message left open at the end of the text contains the end too.
 */
export function messageAt(root: TextMessage, offset: number, bytes: Uint8Array): TextMessage {
  let msg = root;
  for (;;) {
    const inner = childContaining(msg, offset, bytes);
    if (!inner) return msg;
    msg = inner;
  }
}

function childContaining(msg: TextMessage, offset: number, bytes: Uint8Array): TextMessage | undefined {
  // Occurrences are in text order and do not overlap: only the last one starting before offset can hold it.
  const fields = msg.fields;
  let lo = 0;
  let hi = fields.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (fields[mid].nameStart < offset) {
      k = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (k < 0) return undefined;
  for (const v of fields[k].values) {
    if (v.kind === 'message' && v.start < offset && (offset < v.end || (offset === v.end && !isClosed(v, bytes)))) return v;
  }
  return undefined;
}

function isClosed(msg: TextMessage, bytes: Uint8Array): boolean {
  const last = bytes[msg.end - 1];
  return msg.end > msg.start + 1 && (last === 0x7d || last === 0x3e);
}

/** The blanks that start the line containing `offset`. */
export function indentAt(bytes: Uint8Array, offset: number): string {
  let s = offset;
  while (s > 0 && bytes[s - 1] !== 10 && bytes[s - 1] !== 13) s--;
  let e = s;
  while (e < bytes.length && (bytes[e] === 32 || bytes[e] === 9)) e++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + s, e - s).toString('latin1');
}

/** Whether only blanks precede `offset` on its line. */
export function startsLine(bytes: Uint8Array, offset: number): boolean {
  let p = offset - 1;
  while (p >= 0 && (bytes[p] === 32 || bytes[p] === 9)) p--;
  return p < 0 || bytes[p] === 10 || bytes[p] === 13;
}
