// A V1 (pre-2017, TensorSlice) checkpoint: one LevelDB table whose values are
// tensorflow.SavedTensorSlices messages. The entry under the empty key holds `meta` (each tensor's
// name, full shape and dtype); every other entry holds one slice's `data` (SavedSlice: name,
// slice extent, TensorProto). The field numbers are those of saved_tensor_slice.proto.
import * as fs from 'node:fs';
import { PlainMessage, decodePlain, fieldsOf, loadSchema, msgList, num } from '../protobuf';
import { readTable } from './leveldbTable';
import { CheckpointError } from './checkpointError';

export interface V1Tensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  /** The value as a TensorProto, its shape set from the meta entry. */
  readonly tensor: PlainMessage;
}

const META = 1; // SavedTensorSlices.meta
const DATA = 2; // SavedTensorSlices.data
const META_TENSOR = 1; // SavedTensorSliceMeta.tensor
const SLICE_META = { name: 1, shape: 2, type: 3, slice: 4 }; // SavedSliceMeta
const SLICE = { name: 1, slice: 2, data: 3 }; // SavedSlice

/**
 * Every tensor of a V1 checkpoint stored as one full slice, from all its shards
 * (`variables-00000-of-00002`, ...) when it has several. Throws CheckpointError otherwise.
 */
export function readV1Checkpoint(file: string): Map<string, V1Tensor> {
  const sharded = /^(.*)-(\d{5})-of-(\d{5})$/.exec(file);
  if (!sharded) return readV1File(file);
  const count = Number(sharded[3]);
  const out = new Map<string, V1Tensor>();
  for (let i = 0; i < count; i++) {
    for (const [k, v] of readV1File(`${sharded[1]}-${String(i).padStart(5, '0')}-of-${sharded[3]}`)) out.set(k, v);
  }
  return out;
}

function readV1File(file: string): Map<string, V1Tensor> {
  let entries;
  try {
    entries = readTable(new Uint8Array(fs.readFileSync(file)));
  } catch (e) {
    throw new CheckpointError(`${file}: not a readable V1 checkpoint table: ${(e as Error).message}`);
  }
  const meta = entries.find((e) => e.key.length === 0);
  if (!meta) throw new CheckpointError(`${file}: no meta entry (empty key)`);
  const described = readMeta(meta.value);
  const out = new Map<string, V1Tensor>();
  for (const e of entries) {
    if (e.key.length === 0) continue;
    const slice = readSlice(e.value);
    const m = described.get(slice.name);
    if (!m) throw new CheckpointError(`${file}: slice of ${slice.name}, which the meta entry does not describe`);
    if (m.slices !== 1 || slice.extents.some((x) => x.length !== undefined)) {
      throw new CheckpointError(`${file}: ${slice.name} is saved in ${m.slices} partial slice(s); only whole tensors are read from V1 checkpoints`);
    }
    out.set(slice.name, { name: slice.name, dtype: m.dtype, shape: m.shape, tensor: { ...slice.tensor, dtype: m.dtype, tensor_shape: { dim: m.shape.map((size) => ({ size })) } } });
  }
  return out;
}

interface SliceMeta {
  readonly dtype: string;
  readonly shape: number[];
  readonly slices: number;
}

function readMeta(value: Uint8Array): Map<string, SliceMeta> {
  const schema = loadSchema();
  const out = new Map<string, SliceMeta>();
  for (const f of fieldsOf(value, 0, value.length)) {
    if (f.number !== META || f.wireType !== 2) continue;
    for (const t of fieldsOf(value, f.start, f.end)) {
      if (t.number !== META_TENSOR || t.wireType !== 2) continue;
      let name = '';
      let shape: number[] = [];
      let dtype = 0;
      let slices = 0;
      for (const g of fieldsOf(value, t.start, t.end)) {
        if (g.number === SLICE_META.name) name = new TextDecoder().decode(value.subarray(g.start, g.end));
        else if (g.number === SLICE_META.shape) shape = msgList(decodePlain(value, g.start, g.end, schema.message('tensorflow.TensorShapeProto')).dim).map((d) => num(d.size));
        else if (g.number === SLICE_META.type) dtype = varint(value, g.start);
        else if (g.number === SLICE_META.slice) slices++;
      }
      const dtypeName = schema.message('tensorflow.TensorProto').byName.get('dtype')?.enumInfo?.nameOf.get(dtype) ?? `DataType(${dtype})`;
      out.set(name, { dtype: dtypeName, shape, slices });
    }
  }
  return out;
}

interface Slice {
  readonly name: string;
  readonly extents: Array<{ start: number; length?: number }>;
  readonly tensor: PlainMessage;
}

function readSlice(value: Uint8Array): Slice {
  const schema = loadSchema();
  for (const f of fieldsOf(value, 0, value.length)) {
    if (f.number !== DATA || f.wireType !== 2) continue;
    let name = '';
    let extents: Slice['extents'] = [];
    let tensor: PlainMessage = {};
    for (const g of fieldsOf(value, f.start, f.end)) {
      if (g.number === SLICE.name) name = new TextDecoder().decode(value.subarray(g.start, g.end));
      else if (g.number === SLICE.slice) {
        extents = msgList(decodePlain(value, g.start, g.end, schema.message('tensorflow.TensorSliceProto')).extent)
          .map((x) => ({ start: num(x.start), ...(x.length !== undefined ? { length: num(x.length) } : {}) }));
      } else if (g.number === SLICE.data) tensor = decodePlain(value, g.start, g.end, schema.message('tensorflow.TensorProto'));
    }
    return { name, extents, tensor };
  }
  throw new CheckpointError("a V1 checkpoint entry holds no slice data");
}

function varint(buf: Uint8Array, at: number): number {
  let v = 0;
  let shift = 0;
  for (let i = at; i < buf.length; i++) {
    v += (buf[i] & 0x7f) * 2 ** shift;
    if (buf[i] < 0x80) break;
    shift += 7;
  }
  return v;
}
