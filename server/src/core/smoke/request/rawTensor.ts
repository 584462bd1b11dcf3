// A constant's or a variable's value as TensorFlow stores it: the dtype, shape and little-endian
// bytes (or byte strings for DT_STRING). Read from a Const node's TensorProto (tensor_content or
// the typed *_val fields) and from the variables checkpoint, without going through JS numbers, so
// large weights stay typed buffers.
import { PlainMessage, PlainValue, list, msg, msgList, num, str } from '../../protobuf';
import { BundleEntry, CheckpointIndex, findEntry, readEntryBytes } from '../../checkpoint';
import { decodeStringTensor } from '../../checkpoint';
import { dtypeByteSize } from '../../dtype';
import { elementCount } from './hostTensor';

export interface RawTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Fixed-size dtypes: little-endian bytes, elementCount × element size. */
  readonly data?: Uint8Array;
  /** DT_STRING: one byte string per element. */
  readonly strings?: readonly Uint8Array[];
}

export class ValueError extends Error {}

/** The value of a TensorProto (a Const node's `value` attr). */
export function tensorProtoValue(tp: PlainMessage): RawTensor {
  const dtype = str(tp.dtype, 'DT_INVALID');
  const shape = msgList(msg(tp.tensor_shape).dim).map((d) => num(d.size));
  const n = elementCount(shape);
  if (dtype === 'DT_STRING') return { dtype, shape, strings: fill(list(tp.string_val).filter((v): v is Uint8Array => v instanceof Uint8Array), n, new Uint8Array(0)) };
  const size = dtypeByteSize(dtype);
  if (size === undefined) throw new ValueError(`constants of dtype ${dtype} are not supported`);
  const content = tp.tensor_content;
  if (content instanceof Uint8Array && content.length > 0) {
    if (content.length !== n * size) throw new ValueError(`tensor_content has ${content.length} bytes; ${dtype} [${shape.join(', ')}] needs ${n * size}`);
    return { dtype, shape, data: content };
  }
  return { dtype, shape, data: fromFields(tp, dtype, n, size) };
}

/** TensorFlow's rule: fewer values than elements repeat the last one; none means zeros. */
function fill<T>(values: T[], n: number, zero: T): T[] {
  if (values.length >= n) return values.slice(0, n);
  const last = values.length ? values[values.length - 1] : zero;
  return [...values, ...Array<T>(n - values.length).fill(last)];
}

function fromFields(tp: PlainMessage, dtype: string, n: number, size: number): Uint8Array {
  const out = new Uint8Array(n * size);
  const view = new DataView(out.buffer);
  const field = FIELD_OF[dtype];
  if (!field) throw new ValueError(`constants of dtype ${dtype} are not supported`);
  const values = fill(list(tp[field]), n, 0 as PlainValue);
  for (let i = 0; i < n; i++) writeElement(view, i * size, dtype, values[i]);
  return out;
}

const FIELD_OF: Record<string, string> = {
  DT_FLOAT: 'float_val', DT_DOUBLE: 'double_val', DT_INT32: 'int_val', DT_INT16: 'int_val', DT_INT8: 'int_val',
  DT_UINT8: 'int_val', DT_UINT16: 'int_val', DT_INT64: 'int64_val', DT_UINT32: 'uint32_val', DT_UINT64: 'uint64_val',
  DT_BOOL: 'bool_val', DT_HALF: 'half_val', DT_BFLOAT16: 'half_val',
};

function writeElement(view: DataView, at: number, dtype: string, v: PlainValue): void {
  const n = typeof v === 'boolean' ? Number(v) : typeof v === 'bigint' ? v : num(v);
  switch (dtype) {
    case 'DT_FLOAT': view.setFloat32(at, Number(n), true); return;
    case 'DT_DOUBLE': view.setFloat64(at, Number(n), true); return;
    case 'DT_INT64': view.setBigInt64(at, BigInt(n), true); return;
    case 'DT_UINT64': view.setBigUint64(at, BigInt(n), true); return;
    case 'DT_INT32': case 'DT_UINT32': view.setInt32(at, Number(n), true); return;
    case 'DT_INT16': case 'DT_UINT16': case 'DT_HALF': case 'DT_BFLOAT16': view.setInt16(at, Number(n), true); return;
    default: view.setUint8(at, Number(n) & 0xff);
  }
}

/** A variable's value from the checkpoint (checksum checked by readTensorBytes). */
export function checkpointValue(variablesDir: string, index: CheckpointIndex, key: string): RawTensor {
  return entryValue(variablesDir, index, findEntry(index, key));
}

/** An entry's value (a slice's entry is found by its key bytes, not its name). */
export function entryValue(variablesDir: string, index: CheckpointIndex, entry: BundleEntry): RawTensor {
  const key = entry.name;
  const bytes = readEntryBytes(variablesDir, index, entry);
  if (entry.dtype === 'DT_STRING') {
    const strings = decodeStringTensor(bytes, elementCount(entry.shape), index.header.endianness === 'BIG', key).strings;
    return { dtype: entry.dtype, shape: entry.shape, strings };
  }
  if (index.header.endianness === 'BIG') throw new ValueError(`checkpoint is big-endian; only little-endian checkpoints are read`);
  return { dtype: entry.dtype, shape: entry.shape, data: bytes };
}
