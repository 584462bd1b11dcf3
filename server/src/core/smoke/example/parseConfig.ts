// What a ParseExample-family node asks for, read from its attrs and constant inputs: the sparse,
// dense and ragged features (keys, dtypes, dense shapes and defaults) and where each of its
// outputs sits among the node's flat outputs. The three ops differ only in where keys live:
//   ParseExampleV2      serialized, names, sparse_keys[], dense_keys[], ragged_keys[], dense_defaults...
//   ParseExample        serialized, names, sparse_keys × Nsparse, dense_keys × Ndense, dense_defaults...
//   ParseSingleExample  serialized (a scalar), dense_defaults...; keys in attrs
import { PlainMessage, PlainValue, list, msg, msgList, num } from '../../protobuf';
import { RawTensor } from '../request/rawTensor';

export const PARSE_OPS: ReadonlySet<string> = new Set(['ParseExampleV2', 'ParseExample', 'ParseSingleExample']);

/** The dtypes a tf.Example feature can hold. */
export type FeatureDtype = 'DT_FLOAT' | 'DT_INT64' | 'DT_STRING';

export interface SparseSpec {
  readonly key: string;
  readonly dtype: FeatureDtype;
}

export interface DenseSpec {
  readonly key: string;
  readonly dtype: FeatureDtype;
  /** Per example; a first dimension -1 means variable length (padded to the longest). */
  readonly shape: readonly number[];
  /** Flat default values; none means the feature is required. */
  readonly defaults: readonly (number | Uint8Array)[];
}

export interface RaggedSpec {
  readonly key: string;
  readonly dtype: FeatureDtype;
  readonly splitsDtype: 'DT_INT32' | 'DT_INT64';
}

export interface ParseConfig {
  readonly op: string;
  readonly sparse: readonly SparseSpec[];
  readonly dense: readonly DenseSpec[];
  readonly ragged: readonly RaggedSpec[];
}

/** Flat output indices of each output group, in the op's output order. */
export interface OutputLayout {
  readonly sparseIndices: number;
  readonly sparseValues: number;
  readonly sparseShapes: number;
  readonly denseValues: number;
  readonly raggedValues: number;
  readonly raggedSplits: number;
  readonly count: number;
}

export class ConfigError extends Error {}

/** A constant input's value, when the input is a constant. */
export type ConstantOf = (inputIndex: number) => RawTensor | undefined;

export function parseConfig(op: string, attrs: PlainMessage, inputCount: number, constant: ConstantOf): ParseConfig {
  const sparseTypes = types(attrs.sparse_types);
  const denseTypes = types(attrs.Tdense);
  const shapes = msgList(msg(msg(attrs.dense_shapes).list).shape).map(shapeOf);
  if (shapes.length !== denseTypes.length) throw new ConfigError(`dense_shapes has ${shapes.length} shapes for ${denseTypes.length} dense features`);
  const keys = featureKeys(op, attrs, inputCount, constant, sparseTypes.length, denseTypes.length);
  const firstDefault = inputCount - denseTypes.length;
  const dense = denseTypes.map((dtype, d) => denseSpec(keys.dense[d], dtype, shapes[d], constant(firstDefault + d)));
  const sparse = sparseTypes.map((dtype, i) => ({ key: keys.sparse[i], dtype }));
  const splitTypes = list(msg(msg(attrs.ragged_split_types).list).type);
  const ragged = types(attrs.ragged_value_types).map((dtype, i) => ({ key: keys.ragged[i], dtype, splitsDtype: splitTypes[i] === 'DT_INT32' ? 'DT_INT32' as const : 'DT_INT64' as const }));
  return { op, sparse, dense, ragged };
}

export function outputLayout(c: ParseConfig): OutputLayout {
  const s = c.sparse.length;
  const sparseIndices = 0;
  const sparseValues = s;
  const sparseShapes = 2 * s;
  const denseValues = 3 * s;
  const raggedValues = denseValues + c.dense.length;
  const raggedSplits = raggedValues + c.ragged.length;
  return { sparseIndices, sparseValues, sparseShapes, denseValues, raggedValues, raggedSplits, count: raggedSplits + c.ragged.length };
}

/** TensorFlow's dtype of each flat output. */
export function outputDtypes(c: ParseConfig): string[] {
  return [
    ...c.sparse.map(() => 'DT_INT64'), ...c.sparse.map((s) => s.dtype), ...c.sparse.map(() => 'DT_INT64'),
    ...c.dense.map((d) => d.dtype), ...c.ragged.map((r) => r.dtype), ...c.ragged.map((r) => r.splitsDtype),
  ];
}

interface Keys { sparse: string[]; dense: string[]; ragged: string[] }

function featureKeys(op: string, attrs: PlainMessage, inputCount: number, constant: ConstantOf, nSparse: number, nDense: number): Keys {
  if (op === 'ParseSingleExample') return { sparse: attrStrings(attrs.sparse_keys), dense: attrStrings(attrs.dense_keys), ragged: [] };
  if (op === 'ParseExample') {
    const at = (i: number): string => constStrings(constant(i), `key input ${i}`)[0] ?? '';
    return { sparse: range(nSparse).map((i) => at(2 + i)), dense: range(nDense).map((i) => at(2 + nSparse + i)), ragged: [] };
  }
  if (inputCount < 5) throw new ConfigError(`${op} has ${inputCount} inputs; it takes at least 5`);
  return { sparse: constStrings(constant(2), 'sparse_keys'), dense: constStrings(constant(3), 'dense_keys'), ragged: constStrings(constant(4), 'ragged_keys') };
}

function denseSpec(key: string | undefined, dtype: FeatureDtype, shape: readonly number[], value: RawTensor | undefined): DenseSpec {
  if (key === undefined) throw new ConfigError('fewer dense keys than dense features');
  if (!value) throw new ConfigError(`the default of dense feature '${key}' is not a constant`);
  return { key, dtype, shape, defaults: rawValues(value, dtype) };
}

function types(v: PlainValue | undefined): FeatureDtype[] {
  return list(msg(msg(v).list).type).map((t) => {
    if (t === 'DT_FLOAT' || t === 'DT_INT64' || t === 'DT_STRING') return t;
    throw new ConfigError(`tf.Example features are float, int64 or string, not ${String(t)}`);
  });
}

function shapeOf(s: PlainMessage): number[] {
  if (s.unknown_rank === true) throw new ConfigError('a dense feature has a shape of unknown rank');
  return msgList(s.dim).map((d) => num(d.size, 0));
}

function attrStrings(v: PlainValue | undefined): string[] {
  return list(msg(msg(v).list).s).map((s) => (s instanceof Uint8Array ? new TextDecoder().decode(s) : String(s)));
}

function constStrings(t: RawTensor | undefined, what: string): string[] {
  if (!t || t.dtype !== 'DT_STRING') throw new ConfigError(`${what} is not a constant string tensor`);
  return (t.strings ?? []).map((s) => new TextDecoder().decode(s));
}

/** A constant's values as numbers (int64 within ±2^53) or byte strings. */
export function rawValues(t: RawTensor, dtype: FeatureDtype): Array<number | Uint8Array> {
  if (t.dtype !== dtype) throw new ConfigError(`a default of dtype ${t.dtype} for a ${dtype} feature`);
  if (dtype === 'DT_STRING') return [...(t.strings ?? [])];
  const data = t.data ?? new Uint8Array(0);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const size = dtype === 'DT_FLOAT' ? 4 : 8;
  return range(data.byteLength / size).map((i) => (dtype === 'DT_FLOAT' ? view.getFloat32(i * 4, true) : Number(view.getBigInt64(i * 8, true))));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
