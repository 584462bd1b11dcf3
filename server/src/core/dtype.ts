// TensorFlow DataType helpers: the enum's names come from the schema (types.proto), so a dtype
// added there is known everywhere without touching this file; short names and element sizes
// follow tf.dtypes.
import { EnumInfo, loadSchema } from './protobuf';

/** A count of bytes; branded so sizes cannot be mixed up with element counts or offsets by accident. */
export type Bytes = number & { readonly __unit: 'bytes' };

/** The key of a tensor in a checkpoint (for variables, e.g. `dense/kernel/.ATTRIBUTES/VARIABLE_VALUE`). */
export type TensorName = string;

export function bytes(n: number): Bytes {
  return n as Bytes;
}

let cachedEnum: EnumInfo | undefined;

/** The tensorflow.DataType enum, as the schema has it. */
export function dataTypeEnum(): EnumInfo {
  if (cachedEnum) return cachedEnum;
  const info = loadSchema().message('tensorflow.TensorProto').byName.get('dtype')?.enumInfo;
  if (!info) throw new Error('schema has no tensorflow.TensorProto.dtype enum');
  cachedEnum = info;
  return info;
}

/** `DT_FLOAT` for 1; undefined for numbers the enum does not define. */
export function dtypeName(value: number): string | undefined {
  return dataTypeEnum().nameOf.get(value);
}

/** The enum name, or `DataType(<n>)` for numbers the enum does not define (newer TensorFlow, corruption). */
export function dtypeLabel(value: number): string {
  return dtypeName(value) ?? `DataType(${value})`;
}

// Where tf.dtypes' names are not simply the enum name lowercased.
const SHORT_OF: Record<string, string> = { FLOAT: 'float32', DOUBLE: 'float64', HALF: 'float16' };
const LONG_OF: Record<string, string> = { float32: 'FLOAT', float64: 'DOUBLE', float16: 'HALF', float: 'FLOAT', double: 'DOUBLE', half: 'HALF' };

/** The tf.dtypes name: `float32`, `int64`, `string`, `float32_ref`... */
export function dtypeShortName(dtype: number | string): string {
  const name = typeof dtype === 'number' ? dtypeLabel(dtype) : dtype;
  const m = /^DT_([A-Z0-9_]+?)(_REF)?$/.exec(name);
  if (!m) return name;
  const base = SHORT_OF[m[1]] ?? m[1].toLowerCase();
  return m[2] ? `${base}_ref` : base;
}

/** Enum number for `DT_FLOAT`, `float32`, `float`, `int64`, `float32_ref`...; undefined if unknown. */
export function dtypeValue(name: string): number | undefined {
  const values = dataTypeEnum().valueOf;
  const direct = values.get(name);
  if (direct !== undefined) return direct;
  const m = /^([a-z0-9_]+?)(_ref)?$/.exec(name);
  if (!m) return undefined;
  const base = LONG_OF[m[1]] ?? m[1].toUpperCase();
  return values.get(`DT_${base}${m[2] ? '_REF' : ''}`);
}

// Bytes per element in a tensor's buffer (and so in a checkpoint's data shard). Sub-byte integers
// (int4, int2...) take one byte each in TensorFlow's buffers.
const SIZE_OF: Record<string, number> = {
  FLOAT: 4, DOUBLE: 8, INT32: 4, UINT8: 1, INT16: 2, INT8: 1, COMPLEX64: 8, INT64: 8, BOOL: 1,
  QINT8: 1, QUINT8: 1, QINT32: 4, BFLOAT16: 2, QINT16: 2, QUINT16: 2, UINT16: 2, COMPLEX128: 16,
  HALF: 2, UINT32: 4, UINT64: 8, FLOAT8_E5M2: 1, FLOAT8_E4M3FN: 1, FLOAT8_E4M3FNUZ: 1,
  FLOAT8_E4M3B11FNUZ: 1, FLOAT8_E5M2FNUZ: 1, INT4: 1, UINT4: 1, INT2: 1, UINT2: 1,
};

/** Bytes per element; undefined for variable-size types (string, variant, resource) and unknown ones. */
export function dtypeByteSize(dtype: number | string): Bytes | undefined {
  const value = typeof dtype === 'number' ? dtype : dtypeValue(dtype);
  if (value === undefined) return undefined;
  const name = dtypeName(value);
  const m = name ? /^DT_([A-Z0-9_]+?)(_REF)?$/.exec(name) : null;
  const size = m ? SIZE_OF[m[1]] : undefined;
  return size === undefined ? undefined : bytes(size);
}
