// The ParseExample ops' semantics, on the host (TensorFlow's fast parser, example_proto_fast_parsing):
// - dense features: one block of shape `dense_shape` per example; a missing feature takes the
//   default, or is an error when there is none (required); a first dimension -1 (variable length)
//   takes any multiple of the rest, padded with the default to the longest example;
// - sparse features: all values of every example, as indices [example..., position], values and
//   dense_shape [batch..., longest];
// - ragged features: values and row_splits (example e's values are values[splits[e]:splits[e+1]]);
// - a feature of another kind than the config's is an error; features the config does not name
//   are ignored; a feature with no list set counts as missing.
// Errors read as TensorFlow's do, naming the example and the feature.
import { HostTensor, elementCount } from '../request/hostTensor';
import { DenseSpec, FeatureDtype, ParseConfig, RaggedSpec, SparseSpec, outputLayout } from './parseConfig';
import { ExampleFeatures, FeatureValues, decodeExample } from './exampleProto';

export class ExampleError extends Error {}

export interface SerializedBatch {
  /** Shape of the serialized tensor: [] for one Example, [n] for a batch. */
  readonly shape: readonly number[];
  readonly values: readonly Uint8Array[];
  /** Example names (the op's `names` input), used in messages; empty when not given. */
  readonly names?: readonly string[];
}

type Element = number | Uint8Array;

/** The op's outputs, by flat output index. */
export function parseExamples(c: ParseConfig, batch: SerializedBatch): HostTensor[] {
  if (c.op === 'ParseSingleExample' && batch.shape.length !== 0) throw new ExampleError(`${c.op} takes one serialized Example (a scalar); got shape [${batch.shape.join(', ')}]`);
  if (c.op === 'ParseExample' && batch.shape.length !== 1) throw new ExampleError(`${c.op} takes a vector of serialized Examples; got shape [${batch.shape.join(', ')}]`);
  const examples = batch.values.map((bytes, e) => decodeOne(bytes, e));
  const name = (e: number): string => batch.names?.[e] || '<unknown>';
  const out: HostTensor[] = [];
  const layout = outputLayout(c);
  c.sparse.forEach((s, i) => {
    const [indices, values, shape] = sparseOutputs(s, examples, batch.shape, name);
    out[layout.sparseIndices + i] = indices;
    out[layout.sparseValues + i] = values;
    out[layout.sparseShapes + i] = shape;
  });
  c.dense.forEach((d, i) => (out[layout.denseValues + i] = denseOutput(d, examples, batch.shape, name)));
  c.ragged.forEach((r, i) => {
    const [values, splits] = raggedOutputs(r, examples, batch.shape, name);
    out[layout.raggedValues + i] = values;
    out[layout.raggedSplits + i] = splits;
  });
  return out;
}

function decodeOne(bytes: Uint8Array, e: number): ExampleFeatures {
  try {
    return decodeExample(bytes);
  } catch {
    const shown = Buffer.from(bytes.subarray(0, 40)).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    throw new ExampleError(`Could not parse example input, value: '${shown}${bytes.length > 40 ? '...' : ''}' (serialized Example ${e} is not a tf.Example)`);
  }
}

/** TensorFlow's DataTypeString. */
function typeName(dtype: FeatureDtype): string {
  return dtype === 'DT_FLOAT' ? 'float' : dtype === 'DT_INT64' ? 'int64' : 'string';
}

/** The word TensorFlow uses for a list kind in count errors. */
function listWord(dtype: FeatureDtype): string {
  return dtype === 'DT_STRING' ? 'bytes' : typeName(dtype);
}

function kindDtype(f: FeatureValues): FeatureDtype | undefined {
  return f.kind === 'bytes' ? 'DT_STRING' : f.kind === 'float' ? 'DT_FLOAT' : f.kind === 'int64' ? 'DT_INT64' : undefined;
}

/** PartialTensorShape::DebugString: `[?,2]`. */
function shapeString(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(',')}]`;
}

/** A feature's values if present (a feature with no list set is absent). */
function present(ex: ExampleFeatures, key: string): FeatureValues | undefined {
  const f = ex.get(key);
  return f && f.kind !== 'none' ? f : undefined;
}

function values(f: FeatureValues): readonly Element[] {
  return f.kind === 'none' ? [] : f.values;
}

function denseOutput(d: DenseSpec, examples: readonly ExampleFeatures[], batchShape: readonly number[], name: (e: number) => string): HostTensor {
  const varlen = d.shape.length > 0 && d.shape[0] < 0;
  const stride = elementCount(varlen ? d.shape.slice(1) : d.shape);
  const error = (e: number, suffix: string): ExampleError => new ExampleError(`Name: ${name(e)}, Key: ${d.key}, Index: ${e}.  ${suffix}`);
  const blocks = examples.map((ex, e) => {
    const f = present(ex, d.key);
    if (!f) return undefined;
    const got = kindDtype(f) as FeatureDtype;
    if (got !== d.dtype) {
      throw error(e, varlen ? `Data types don't match. Expected type: ${typeName(d.dtype)}` : `Data types don't match. Data type: ${typeName(got)} but expected type: ${typeName(d.dtype)}`);
    }
    const v = values(f);
    if (!varlen && v.length !== stride) throw error(e, `Number of ${listWord(d.dtype)} values != expected.  Values size: ${v.length} but output shape: ${shapeString(d.shape)}`);
    if (varlen && stride > 0 && v.length % stride !== 0) throw error(e, `Number of ${listWord(d.dtype)} values is not a multiple of stride length. Saw ${v.length} values but output shape is: ${shapeString(d.shape)}`);
    return v;
  });
  return varlen ? paddedDense(d, blocks, batchShape, stride) : fixedDense(d, blocks, batchShape, name);
}

function fixedDense(d: DenseSpec, blocks: ReadonlyArray<readonly Element[] | undefined>, batchShape: readonly number[], name: (e: number) => string): HostTensor {
  const out: Element[] = [];
  blocks.forEach((b, e) => {
    if (b) append(out, b);
    else if (d.defaults.length === 0) throw new ExampleError(`Name: ${name(e)}, Feature: ${d.key} (data type: ${typeName(d.dtype)}) is required but could not be found.`);
    else append(out, d.defaults);
  });
  return { dtype: d.dtype, shape: [...batchShape, ...d.shape], values: out };
}

/** Variable-length dense: each example's blocks, padded with the (scalar) default to the longest. */
function paddedDense(d: DenseSpec, blocks: ReadonlyArray<readonly Element[] | undefined>, batchShape: readonly number[], stride: number): HostTensor {
  const longest = blocks.reduce((m, b) => Math.max(m, b && stride > 0 ? b.length / stride : 0), 0);
  const pad: Element = d.defaults[0] ?? (d.dtype === 'DT_STRING' ? new Uint8Array(0) : 0);
  const out: Element[] = [];
  for (const b of blocks) {
    const v = b ?? [];
    append(out, v);
    for (let k = v.length; k < longest * stride; k++) out.push(pad);
  }
  return { dtype: d.dtype, shape: [...batchShape, longest, ...d.shape.slice(1)], values: out };
}

/** Each example's values of a sparse or ragged feature (empty when missing). */
function perExample(s: SparseSpec | RaggedSpec, examples: readonly ExampleFeatures[], name: (e: number) => string): Array<readonly Element[]> {
  return examples.map((ex, e) => {
    const f = present(ex, s.key);
    if (!f) return [];
    const got = kindDtype(f) as FeatureDtype;
    if (got !== s.dtype) throw new ExampleError(`Name: ${name(e)}, Key: ${s.key}, Index: ${e}.  Data types don't match. Expected type: ${typeName(s.dtype)}, Actual type: ${typeName(got)}`);
    return values(f);
  });
}

function sparseOutputs(s: SparseSpec, examples: readonly ExampleFeatures[], batchShape: readonly number[], name: (e: number) => string): [HostTensor, HostTensor, HostTensor] {
  const lists = perExample(s, examples, name);
  const rank = batchShape.length + 1;
  const indices: number[] = [];
  const vals: Element[] = [];
  lists.forEach((v, e) => v.forEach((x, j) => {
    indices.push(...unravel(e, batchShape), j);
    vals.push(x);
  }));
  const longest = lists.reduce((m, v) => Math.max(m, v.length), 0);
  return [
    { dtype: 'DT_INT64', shape: [vals.length, rank], values: indices },
    { dtype: s.dtype, shape: [vals.length], values: vals },
    { dtype: 'DT_INT64', shape: [rank], values: [...batchShape, longest] },
  ];
}

function raggedOutputs(r: RaggedSpec, examples: readonly ExampleFeatures[], batchShape: readonly number[], name: (e: number) => string): [HostTensor, HostTensor] {
  if (batchShape.length > 1) throw new ExampleError(`ragged feature '${r.key}': serialized Examples must be a scalar or a vector, not shape [${batchShape.join(', ')}]`);
  const lists = perExample(r, examples, name);
  const splits = [0];
  for (const v of lists) splits.push(splits[splits.length - 1] + v.length);
  const vals = lists.flat();
  return [{ dtype: r.dtype, shape: [vals.length], values: vals }, { dtype: r.splitsDtype, shape: [splits.length], values: splits }];
}

/** Push without spreading: a feature may hold more values than a call takes arguments. */
function append<T>(out: T[], values: readonly T[]): void {
  for (const v of values) out.push(v);
}

/** Row-major position e as an index into shape. */
function unravel(e: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = e % shape[k];
    e = Math.floor(e / shape[k]);
  }
  return out;
}
