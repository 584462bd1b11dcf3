// Variable values from the model's checkpoint, for the freeze: a V2 bundle (including Estimator
// partitioned variables, `…/part_k`, whose values are slices of one checkpoint entry), or a V1
// (TensorSlice) table. Opened on first use: a signature without variables never needs it.
import * as path from 'node:path';
import { CheckpointError, CheckpointIndex, SliceExtent, findEntry, readV1Checkpoint, tensorSliceKey } from '../../checkpoint';
import { FlatNode, FreezeError } from './flatGraph';
import { RawTensor, ValueError, checkpointValue, entryValue, tensorProtoValue } from '../request/rawTensor';
import { VariableKeys, variableKeys } from './variableKeys';
import { SmokeModel } from '../smokeModel';
import { dtypeByteSize } from '../../dtype';
import { elementCount } from '../request/hostTensor';

export interface CheckpointReader {
  /** The variable's stored value; undefined when the checkpoint has none. Throws FreezeError when unreadable. */
  valueOf(node: FlatNode): RawTensor | undefined;
  /** As valueOf, but undefined instead of an error (for the init phase's look-ups). */
  quiet(node: FlatNode): RawTensor | undefined;
  /** How many partitioned-variable parts were read from slices. */
  partsAssembled(): number;
  format(): 'v1' | 'v2' | 'none';
}

export function checkpointReader(model: SmokeModel, topLevel: readonly FlatNode[]): CheckpointReader {
  const v = model.variables;
  let parts = 0;
  let read: ((node: FlatNode) => RawTensor | undefined) | undefined;
  const open = (): ((node: FlatNode) => RawTensor | undefined) => {
    if (v.kind === 'v2') {
      const keys = variableKeys(model.metaGraph, topLevel, model.variablesDir, v.index);
      return (node) => v2Value(model, v.index, v.missingShards, keys, node, () => parts++);
    }
    if (v.kind === 'v1') {
      const tensors = readV1Checkpoint(v.path);
      return (node) => {
        const t = tensors.get(node.name) ?? tensors.get(sharedName(node));
        return t ? tensorProtoValue(t.tensor) : undefined;
      };
    }
    throw new FreezeError(noCheckpoint(v.kind === 'none' ? undefined : v.message));
  };
  const valueOf = (node: FlatNode): RawTensor | undefined => {
    try {
      read ??= open();
      return read(node);
    } catch (e) {
      if (e instanceof CheckpointError) throw new FreezeError(`variable ${node.name}: ${e.message}`);
      throw e;
    }
  };
  return {
    valueOf,
    quiet(node) {
      try {
        return valueOf(node);
      } catch {
        return undefined;
      }
    },
    partsAssembled: () => parts,
    format: () => (v.kind === 'v1' ? 'v1' : v.kind === 'v2' ? 'v2' : 'none'),
  };
}

/** A graph-only export (no variables/) or an unreadable checkpoint, in one line. */
function noCheckpoint(message: string | undefined): string {
  if (message === undefined) return 'graph-only export: the signature reads variables, and the model has no variables/ folder to read them from';
  return `the signature reads variables, but they cannot be loaded: ${message}`;
}

function sharedName(node: FlatNode): string {
  const s = (node.attrs.shared_name as { s?: unknown } | undefined)?.s;
  return s instanceof Uint8Array ? new TextDecoder().decode(s) : '';
}

function v2Value(model: SmokeModel, index: CheckpointIndex, missing: readonly string[], keys: VariableKeys, node: FlatNode, countPart: () => void): RawTensor | undefined {
  const key = keys.keyOf(node);
  if (key !== undefined) {
    const entry = findEntry(index, key);
    if (entry.slices > 0) return assemble(model.variablesDir, index, key, entry.dtype, entry.shape, entry.sliceExtents ?? []);
    const shard = missing.find((m) => m.endsWith(`-${String(entry.shardId).padStart(5, '0')}-of-${String(index.header.numShards).padStart(5, '0')}`));
    if (shard) throw new FreezeError(`variable ${node.name} is stored in ${shard}, which is missing from ${path.basename(model.variablesDir)}/ (a missing variable shard)`);
    return checkpointValue(model.variablesDir, index, key);
  }
  const part = /^(.*)\/part_(\d+)$/.exec(node.name);
  if (!part) return undefined;
  const full = index.entries.find((e) => e.name === part[1] && e.slices > 0);
  if (!full) return undefined;
  const ordered = [...(full.sliceExtents ?? [])].sort(byStarts);
  const extent = ordered[Number(part[2])];
  if (!extent) throw new FreezeError(`variable ${node.name}: the checkpoint stores ${part[1]} in ${ordered.length} slice(s); there is no part ${part[2]}`);
  countPart();
  return sliceValue(model.variablesDir, index, part[1], extent);
}

function byStarts(a: readonly SliceExtent[], b: readonly SliceExtent[]): number {
  for (let d = 0; d < Math.min(a.length, b.length); d++) if (a[d].start !== b[d].start) return a[d].start - b[d].start;
  return 0;
}

/** One slice's value, read from the entry TensorFlow keys by the tensor's name and the extent. */
function sliceValue(dir: string, index: CheckpointIndex, name: string, extent: readonly SliceExtent[]): RawTensor {
  // Slice keys are binary: match the key's bytes, which the index keeps for them.
  const key = tensorSliceKey(name, extent);
  const entry = index.entries.find((e) => e.key !== undefined && sameBytes(e.key, key));
  if (!entry) throw new FreezeError(`the checkpoint has no slice of ${name} at [${extent.map((x) => `${x.start}:${x.length ?? '*'}`).join(', ')}]`);
  return entryValue(dir, index, entry);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The whole variable from its slices (a variable saved partitioned, read whole by the graph). */
function assemble(dir: string, index: CheckpointIndex, name: string, dtype: string, shape: readonly number[], slices: readonly SliceExtent[][]): RawTensor {
  const size = dtypeByteSize(dtype);
  if (size === undefined) throw new ValueError(`${name}: assembling ${dtype} slices is not supported`);
  const out = new Uint8Array(elementCount(shape) * size);
  for (const extent of slices) {
    const part = sliceValue(dir, index, name, extent);
    copySlice(out, part.data ?? new Uint8Array(0), shape, extent, size);
  }
  return { dtype, shape: [...shape], data: out };
}

/** Copy a slice's row-major elements into the full tensor's. */
function copySlice(out: Uint8Array, data: Uint8Array, shape: readonly number[], extent: readonly SliceExtent[], size: number): void {
  const starts = shape.map((_, d) => extent[d]?.start ?? 0);
  const lengths = shape.map((n, d) => extent[d]?.length ?? n);
  const count = elementCount(lengths);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let at = 0;
    for (let d = 0; d < shape.length; d++) at = at * shape[d] + starts[d] + index[d];
    out.set(data.subarray(i * size, (i + 1) * size), at * size);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < lengths[d]) break;
      index[d] = 0;
    }
  }
}
