// A tensor's values on the host, between the request, the runtimes and the report: a flat,
// row-major list with TensorFlow's dtype name. Strings are bytes (a request's `{"b64": ...}` values
// and a model's string outputs need not be UTF-8).

export type ElementValue = number | boolean | Uint8Array;

export interface HostTensor {
  /** TensorFlow's enum name: `DT_FLOAT`, `DT_INT64`, `DT_STRING`... */
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: readonly ElementValue[];
}

/** How a dtype's values are written in JSON and computed by TensorFlow.js. */
export type DtypeKind = 'float' | 'int' | 'bool' | 'string' | 'unsupported';

const FLOATS = new Set(['DT_FLOAT', 'DT_DOUBLE', 'DT_HALF', 'DT_BFLOAT16']);
const INT_RANGES: Record<string, readonly [number, number]> = {
  DT_INT8: [-128, 127], DT_UINT8: [0, 255], DT_INT16: [-32768, 32767], DT_UINT16: [0, 65535],
  DT_INT32: [-2147483648, 2147483647], DT_UINT32: [0, 4294967295],
  DT_INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], DT_UINT64: [0, Number.MAX_SAFE_INTEGER],
};

export function dtypeKind(dtype: string): DtypeKind {
  if (FLOATS.has(dtype)) return 'float';
  if (dtype in INT_RANGES) return 'int';
  if (dtype === 'DT_BOOL') return 'bool';
  if (dtype === 'DT_STRING') return 'string';
  return 'unsupported';
}

/** The [min, max] a JSON integer may take for an integer dtype. */
export function intRange(dtype: string): readonly [number, number] | undefined {
  return INT_RANGES[dtype];
}

/** The dtype TensorFlow.js computes a TensorFlow dtype in (int64 → int32, double → float32). */
export function tfjsDtype(dtype: string): 'float32' | 'int32' | 'bool' | 'string' | undefined {
  switch (dtypeKind(dtype)) {
    case 'float': return 'float32';
    case 'int': return 'int32';
    case 'bool': return 'bool';
    case 'string': return 'string';
    default: return undefined;
  }
}

/** Dtypes TensorFlow.js holds with less range or precision than TensorFlow. */
export function narrowing(dtype: string): string | undefined {
  switch (dtype) {
    case 'DT_INT64': return 'int64 is computed as int32 (values beyond ±2^31 wrap)';
    case 'DT_UINT32': return 'uint32 is computed as int32 (values from 2^31 wrap)';
    case 'DT_UINT64': return 'uint64 is computed as int32 (values from 2^31 wrap)';
    case 'DT_DOUBLE': return 'float64 is computed as float32 (about 7 significant digits)';
    case 'DT_HALF': return 'float16 is computed as float32 (results may differ slightly from float16 arithmetic)';
    case 'DT_BFLOAT16': return 'bfloat16 is computed as float32 (results may differ slightly from bfloat16 arithmetic)';
    default: return undefined;
  }
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

export function formatDims(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
