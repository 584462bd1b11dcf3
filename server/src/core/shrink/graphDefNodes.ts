// The frozen serving graph as GraphDef NodeDefs, with float32 weights stored at lower precision:
// float16 as a DT_HALF Const and a Cast back to float32 under the weight's own name; 8-bit as a
// DT_UINT8 Const, Cast, Mul by the scale and AddV2 of the offset, the last under the weight's name.
// Consumers read the same tensor name either way. Colocation attrs (`_class`) are dropped: they
// name nodes of the training graph that the copy does not have.
import { PlainMessage, msg, str } from '../protobuf';
import { constNode } from '../savedmodel';
import { FlatNode, RawTensor, refIndex, refNode, tensorProtoValue } from '../smoke';
import { ServingGraph } from './servingFreeze';
import { HALF_MAX, toHalfBytes } from './halfFloat';
import { allFinite, quantize } from './quantize';
import { MIN_CONVERTED_BYTES, WeightMode } from './weightMode';

export interface WeightStats {
  /** float32 constants at least MIN_CONVERTED_BYTES, and their bytes. */
  readonly floatTensors: number;
  readonly floatBytes: number;
  /** Those stored at lower precision, and the bytes they take now (scales and offsets included). */
  readonly converted: number;
  readonly convertedBytes: number;
  /** float32 tensors kept as they are because a value is not finite or beyond float16's range. */
  readonly keptNonFinite: readonly string[];
  /** Bytes of every constant's values in the copy. */
  readonly constantBytes: number;
}

export interface GraphDefNodes {
  readonly nodes: PlainMessage[];
  readonly stats: WeightStats;
}

export function graphDefNodes(g: ServingGraph, mode: WeightMode): GraphDefNodes {
  const names = new Set(g.nodes.map((n) => n.name));
  const unique = (base: string): string => {
    let name = base;
    for (let k = 1; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const out: PlainMessage[] = [];
  const s = { floatTensors: 0, floatBytes: 0, converted: 0, convertedBytes: 0, keptNonFinite: [] as string[], constantBytes: 0 };
  for (const n of g.nodes) {
    if (n.op !== 'Const') {
      out.push(nodeDef(n));
      continue;
    }
    const value = g.variableValues.get(n.name) ?? (isBigFloat(n) ? tensorProtoValue(msg(msg(n.attrs.value).tensor)) : undefined);
    if (!value) {
      out.push(nodeDef(n));
      s.constantBytes += tensorBytes(n);
      continue;
    }
    // A table's keys and values are data, not weights: they stay exact.
    const big = value.dtype === 'DT_FLOAT' && value.data !== undefined && value.data.length >= MIN_CONVERTED_BYTES && !n.name.includes('/shrink_init/');
    if (big) {
      s.floatTensors++;
      s.floatBytes += (value.data as Uint8Array).length;
    }
    const data = value.data as Uint8Array;
    if (!big || mode === 'keep') {
      out.push(constOf(n.name, value));
    } else if (!allFinite(data, mode === 'float16' ? HALF_MAX : Infinity)) {
      s.keptNonFinite.push(n.name);
      out.push(constOf(n.name, value));
    } else {
      const written = mode === 'float16' ? halfNodes(n.name, value, unique) : int8Nodes(n.name, value, unique);
      out.push(...written.nodes);
      s.converted++;
      s.convertedBytes += written.bytes;
      s.constantBytes += written.bytes;
      continue;
    }
    s.constantBytes += valueBytes(value);
  }
  return { nodes: out, stats: s };
}

/** A graph Const of float32 values worth converting (decoded only then). */
function isBigFloat(n: FlatNode): boolean {
  return str(msg(n.attrs.dtype).type) === 'DT_FLOAT' && tensorBytes(n) >= MIN_CONVERTED_BYTES;
}

function tensorBytes(n: FlatNode): number {
  const t = msg(msg(n.attrs.value).tensor);
  const content = t.tensor_content;
  if (content instanceof Uint8Array && content.length) return content.length;
  const dims = Array.isArray(msg(t.tensor_shape).dim) ? (msg(t.tensor_shape).dim as PlainMessage[]).map((d) => Number(d.size ?? 0)) : [];
  return str(msg(n.attrs.dtype).type) === 'DT_FLOAT' ? dims.reduce((a, b) => a * b, 1) * 4 : 0;
}

function valueBytes(v: RawTensor): number {
  return v.data ? v.data.length : (v.strings ?? []).reduce((s, x) => s + x.length, 0);
}

function nodeDef(n: FlatNode): PlainMessage {
  const attr: PlainMessage = {};
  for (const [k, v] of Object.entries(n.attrs)) if (k !== '_class') attr[k] = v;
  return { name: n.name, op: n.op, input: n.inputs.map(inputName), attr };
}

/** `node:0` is written `node`, as TensorFlow writes it. */
function inputName(ref: string): string {
  return refIndex(ref) === 0 ? refNode(ref) : ref;
}

function constOf(name: string, v: RawTensor): PlainMessage {
  if (v.dtype === 'DT_STRING') {
    const shape = { dim: v.shape.map((size) => ({ size })) };
    return { name, op: 'Const', input: [], attr: { dtype: { type: v.dtype }, value: { tensor: { dtype: v.dtype, tensor_shape: shape, string_val: [...(v.strings ?? [])] } } } };
  }
  return constNode(name, v.dtype, v.shape, v.data ?? new Uint8Array(0));
}

interface Written {
  readonly nodes: PlainMessage[];
  readonly bytes: number;
}

const F = { type: 'DT_FLOAT' };

function halfNodes(name: string, v: RawTensor, unique: (base: string) => string): Written {
  const half = toHalfBytes(v.data as Uint8Array);
  const stored = unique(`${name}/float16`);
  return {
    nodes: [
      constNode(stored, 'DT_HALF', v.shape, half),
      { name, op: 'Cast', input: [stored], attr: { SrcT: { type: 'DT_HALF' }, DstT: F, Truncate: { b: false } } },
    ],
    bytes: half.length,
  };
}

function int8Nodes(name: string, v: RawTensor, unique: (base: string) => string): Written {
  const q = quantize(v.data as Uint8Array, v.shape);
  const dims = q.channels > 1 ? [q.channels] : [];
  const [stored, cast, scale, scaled, offset] = ['uint8', 'dequantize', 'scale', 'scaled', 'offset'].map((s) => unique(`${name}/${s}`));
  const floats = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer.slice(0));
  return {
    nodes: [
      constNode(stored, 'DT_UINT8', v.shape, q.q),
      { name: cast, op: 'Cast', input: [stored], attr: { SrcT: { type: 'DT_UINT8' }, DstT: F, Truncate: { b: false } } },
      constNode(scale, 'DT_FLOAT', dims, floats(q.scale)),
      { name: scaled, op: 'Mul', input: [cast, scale], attr: { T: F } },
      constNode(offset, 'DT_FLOAT', dims, floats(q.offset)),
      { name, op: 'AddV2', input: [scaled, offset], attr: { T: F } },
    ],
    bytes: q.q.length + q.scale.byteLength + q.offset.byteLength,
  };
}
