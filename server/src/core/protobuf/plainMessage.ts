// Plain-object form of a protobuf message, for the small parts of a SavedModel that are read whole
// (signatures, meta info, object graph nodes) and for building models in tests and examples.
// Big parts (graph nodes, tensor contents) are never turned into plain objects.

/** int64 fields come back as number when exact, bigint above 2^53; writers accept either. */
export type PlainScalar = string | number | bigint | boolean | Uint8Array;
export type PlainValue = PlainScalar | PlainMessage | PlainValue[];
/** Map fields are plain objects keyed by the map key (as a string). */
export interface PlainMessage {
  [field: string]: PlainValue | undefined;
}

export function isPlainMessage(v: PlainValue | undefined): v is PlainMessage {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function str(v: PlainValue | undefined, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

export function num(v: PlainValue | undefined, fallback = 0): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return fallback;
}

export function msg(v: PlainValue | undefined): PlainMessage {
  return isPlainMessage(v) ? v : {};
}

export function list(v: PlainValue | undefined): PlainValue[] {
  return Array.isArray(v) ? v : [];
}

export function msgList(v: PlainValue | undefined): PlainMessage[] {
  return list(v).filter(isPlainMessage);
}

export function entries(v: PlainValue | undefined): Array<[string, PlainMessage]> {
  return Object.entries(msg(v)).filter((e): e is [string, PlainMessage] => isPlainMessage(e[1]));
}
