// JSON values as the prediction service's requests and responses carry them.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"b64": "..."}`: how the service's JSON carries binary string values. */
export function isB64(v: JsonValue | undefined): v is { b64: string } {
  return isJsonObject(v) && Object.keys(v).length === 1 && typeof v.b64 === 'string';
}

/** A short, readable rendering of a value for error messages. */
export function preview(v: JsonValue | undefined): string {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
