// Element paths ↔ the parse tree: where `meta_graphs[0].signature_def["serving_default"]` is written
// in a text, and which element a cursor offset is in. Repeated fields are addressed by index
// (counting values across all occurrences of the field), map fields by key (the decimal text of an
// integer key, `true`/`false` for bool keys), singular fields by name. A path descends through a
// map entry into its value: `signature_def["x"].inputs` is the `inputs` of the entry's value.
// Paths stop at an expanded Any: its packed message has a type paths cannot name.
import type { ElementPath, PathSegment } from '../elementPath';
import type { FieldInfo } from '../protobuf';
import { ScalarValue, TextField, TextMessage, TextValue } from './textTree';

export interface ByteRange {
  start: number;
  end: number;
}

const utf8 = new TextDecoder();

/** A map key as path segments write it. */
export function mapKeyText(v: ScalarValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return utf8.decode(v);
  return String(v);
}

/** One addressed element: the value, and the range to show for it. */
interface Located {
  value: TextValue;
  range: ByteRange;
}

/**
 * The range of the element `path` names: for an element written as its own occurrence
 * (`name: value`, `node { ... }`), from the field name to the end of the value; for an element of
 * a `[a, b]` list, the value alone. Undefined when the text does not contain it (e.g. a field left
 * at its default).
 */
export function findPath(root: TextMessage, path: ElementPath): ByteRange | undefined {
  const found = findPathPrefix(root, path);
  return found.depth === path.length ? found.range : undefined;
}

/** The longest prefix of `path` present in the text: how many segments matched and where the last one is. */
export function findPathPrefix(root: TextMessage, path: ElementPath): { depth: number; range: ByteRange | undefined } {
  let msg: TextMessage | undefined = root;
  let range: ByteRange | undefined;
  let depth = 0;
  for (const seg of path) {
    const found: Located | undefined = msg ? locate(msg, seg) : undefined;
    if (!found) break;
    depth++;
    range = found.range;
    msg = descend(found.value);
  }
  return { depth, range };
}

function locate(msg: TextMessage, seg: PathSegment): Located | undefined {
  const info = msg.type.byName.get(seg.field);
  if (!info) return undefined;
  const occs = msg.fields.filter((f) => f.info === info);
  if (occs.length === 0) return undefined;
  if ('key' in seg) return locateKey(occs, seg.key);
  if ('index' in seg) return locateIndex(occs, seg.index);
  const last = occs[occs.length - 1];
  const value = last.values[last.values.length - 1];
  return value ? { value, range: { start: last.nameStart, end: last.end } } : undefined;
}

function locateIndex(occs: readonly TextField[], index: number): Located | undefined {
  let seen = 0;
  for (const occ of occs) {
    const n = occ.values.length;
    if (index < seen + n) return located(occ, occ.values[index - seen]);
    seen += n;
  }
  return undefined;
}

/** The last entry with that key: the one a map keeps. */
function locateKey(occs: readonly TextField[], key: string): Located | undefined {
  for (let k = occs.length - 1; k >= 0; k--) {
    const occ = occs[k];
    for (let i = occ.values.length - 1; i >= 0; i--) {
      const entry = occ.values[i];
      if (entry.kind === 'message' && entry.type.isMapEntry && mapKeyText(entryKey(entry)) === key) return located(occ, entry);
    }
  }
  return undefined;
}

function located(occ: TextField, value: TextValue): Located {
  const alone = occ.values.length === 1 && !(occ.end > value.end);
  return { value, range: alone ? { start: occ.nameStart, end: occ.end } : { start: value.start, end: value.end } };
}

/** The message a path continues into: a message value, or a map entry's value. */
function descend(value: TextValue): TextMessage | undefined {
  if (value.kind !== 'message') return undefined;
  if (!value.type.isMapEntry) return value;
  const v = lastOf(value, value.type.fields[1]);
  return v?.kind === 'message' ? v : undefined;
}

function lastOf(msg: TextMessage, info: FieldInfo): TextValue | undefined {
  let last: TextValue | undefined;
  for (const f of msg.fields) if (f.info === info && f.values.length) last = f.values[f.values.length - 1];
  return last;
}

function entryKey(entry: TextMessage): ScalarValue {
  const keyInfo = entry.type.fields[0];
  const v = lastOf(entry, keyInfo);
  if (v?.kind === 'scalar') return v.value;
  return keyInfo.type === 'string' ? '' : keyInfo.type === 'bool' ? false : 0;
}

/** The path of the deepest element whose text contains byte `offset` (empty: none, the root itself). */
export function pathAt(root: TextMessage, offset: number): ElementPath {
  const path: PathSegment[] = [];
  let msg: TextMessage | undefined = root;
  while (msg) {
    const k = occurrenceAt(msg.fields, offset);
    if (k < 0) break;
    const occ: TextField = msg.fields[k];
    const valueIndex = valueAt(occ.values, offset);
    const value: TextValue | undefined = valueIndex >= 0 ? occ.values[valueIndex] : undefined;
    path.push(segmentFor(msg.fields, k, valueIndex, value));
    msg = value ? inside(value, offset) : undefined;
  }
  return path;
}

/** Index of the occurrence whose [nameStart, end) contains offset, or -1 (occurrences are in text order). */
function occurrenceAt(fields: readonly TextField[], offset: number): number {
  let lo = 0;
  let hi = fields.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (fields[mid].nameStart <= offset) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best >= 0 && offset < fields[best].end ? best : -1;
}

/** Index of the value containing offset; on the field name (or between list elements), the first/previous value. */
function valueAt(values: readonly TextValue[], offset: number): number {
  let lo = 0;
  let hi = values.length - 1;
  let best = values.length ? 0 : -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid].start <= offset) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

function segmentFor(fields: readonly TextField[], k: number, valueIndex: number, value: TextValue | undefined): PathSegment {
  const occ = fields[k];
  const info = occ.info;
  if (!info.repeated) return { field: info.name };
  if (info.message?.isMapEntry && value?.kind === 'message') return { field: info.name, key: mapKeyText(entryKey(value)) };
  let index = Math.max(0, valueIndex);
  for (let j = 0; j < k; j++) if (fields[j].info === info) index += fields[j].values.length;
  return { field: info.name, index };
}

/** The message to keep descending into when offset lies inside this value. */
function inside(value: TextValue, offset: number): TextMessage | undefined {
  if (value.kind !== 'message' || offset < value.start || offset >= value.end) return undefined;
  if (!value.type.isMapEntry) return value;
  const v = lastOf(value, value.type.fields[1]);
  return v?.kind === 'message' && offset >= v.start && offset < v.end ? v : undefined;
}
