// Custom-op executors for feature crosses (sparseCross.ts): SparseCross (TF1 and early TF2
// crossed_column), SparseCrossHashed and SparseCrossV2 (later TF2). Inputs: N sparse columns as
// indices, values and shapes, then the dense columns; the V2 forms add scalar inputs at the end.
import * as tf from '@tensorflow/tfjs-core';
import { GraphNode, OpExecutor } from '@tensorflow/tfjs-converter';
import { CrossColumn, Crossed, crossHashed, crossStrings } from './sparseCross';
import { boolAttr, numberAttr, rawIntAttr, rawStringAttr } from './nodeAttrs';

// feature_column's default hash key.
const DEFAULT_HASH_KEY = 0xdecafcaffen;

interface Columns {
  readonly columns: CrossColumn[];
  readonly batch: number;
  /** Inputs after the columns (the V2 forms' scalars). */
  readonly rest: tf.Tensor[];
}

async function values(t: tf.Tensor): Promise<Array<Uint8Array | number>> {
  return t.dtype === 'string' ? [...await t.bytes() as Uint8Array[]] : Array.from(await t.data() as ArrayLike<number>);
}

async function readColumns(node: GraphNode, extra: number): Promise<Columns> {
  const n = numberAttr(node.attrs.N, 0);
  const dense = node.inputs.slice(3 * n, node.inputs.length - extra);
  const batch = dense[0]?.shape[0] ?? (n ? (await node.inputs[2 * n].data())[0] : 0);
  const columns: CrossColumn[] = [];
  for (let k = 0; k < n; k++) {
    const idx = await node.inputs[k].data();
    const vals = await values(node.inputs[n + k]);
    const rows: Array<Array<Uint8Array | number>> = Array.from({ length: batch }, () => []);
    vals.forEach((v, i) => rows[idx[i * 2]]?.push(v));
    columns.push(rows);
  }
  for (const d of dense) {
    const vals = await values(d);
    const width = d.shape[1] ?? 1;
    columns.push(Array.from({ length: batch }, (_, b) => vals.slice(b * width, (b + 1) * width)));
  }
  return { columns, batch, rest: node.inputs.slice(node.inputs.length - extra) };
}

function outputs<T>(c: Crossed<T>, make: (v: T[]) => tf.Tensor): tf.Tensor[] {
  return [tf.tensor2d(c.indices, [c.values.length, 2], 'int32'), make(c.values), tf.tensor1d(c.shape, 'int32')];
}

const hashedTensor = (v: bigint[]): tf.Tensor => tf.tensor1d(v.map((x) => Number(BigInt.asIntN(32, x))), 'int32');

async function sparseCrossOp(node: GraphNode): Promise<tf.Tensor[]> {
  const { columns, batch } = await readColumns(node, 0);
  if (!boolAttr(node.attrs.hashed_output, false)) return outputs(crossStrings(columns, batch), (v) => tf.tensor1d(v, 'string'));
  const key = rawIntAttr(node, 'hash_key') ?? DEFAULT_HASH_KEY;
  return outputs(crossHashed(columns, batch, numberAttr(node.attrs.num_buckets, 0), { key }), hashedTensor);
}

/** Extra inputs: num_buckets, strong_hash, salt. */
async function sparseCrossHashedOp(node: GraphNode): Promise<tf.Tensor[]> {
  const { columns, batch, rest } = await readColumns(node, 3);
  const [buckets, strong, salt] = await Promise.all([rest[0].data(), rest[1].data(), rest[2].data()]);
  const mode = strong[0] ? { keyed: true as const, salt: [BigInt.asUintN(64, BigInt(salt[0] ?? 0)), BigInt.asUintN(64, BigInt(salt[1] ?? 0))] as const } : { keyed: true as const };
  return outputs(crossHashed(columns, batch, buckets[0], mode), hashedTensor);
}

/** Extra input: sep. */
async function sparseCrossV2Op(node: GraphNode): Promise<tf.Tensor[]> {
  const { columns, batch, rest } = await readColumns(node, 1);
  const sep = (await rest[0].bytes() as Uint8Array[])[0];
  return outputs(crossStrings(columns, batch, sep ?? rawStringAttr(node, 'sep')), (v) => tf.tensor1d(v, 'string'));
}

export const CROSS_EXECUTORS: Readonly<Record<string, OpExecutor>> = {
  SparseCross: sparseCrossOp,
  SparseCrossHashed: sparseCrossHashedOp,
  SparseCrossV2: sparseCrossV2Op,
};
