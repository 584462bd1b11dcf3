// Element counts and bytes of tensors and signature tensors, for hovers and the size report.
import { PlainMessage, msg, msgList, num, str, list } from '../protobuf';
import { dtypeByteSize } from '../dtype';
import { Shape } from './savedModel';

export function elementsOf(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * Math.max(d, 0), 1);
}

export interface TensorValueSize {
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly elements: number;
  /** Bytes the tensor holds in memory (dtype size × elements), when the dtype has a fixed size. */
  readonly bytes: number | undefined;
  /** Bytes stored in the file for its value (tensor_content, or the typed *_val lists). */
  readonly storedBytes: number;
}

/** Size facts of a TensorProto (e.g. a Const node's `value`). */
export function tensorValueSize(tensor: PlainMessage): TensorValueSize {
  const dtype = str(tensor.dtype, 'DT_INVALID');
  const dims = msgList(msg(tensor.tensor_shape).dim).map((d) => num(d.size));
  const elements = elementsOf(dims);
  const size = dtypeByteSize(dtype);
  const content = tensor.tensor_content instanceof Uint8Array ? tensor.tensor_content.length : 0;
  const valBytes = Object.entries(tensor)
    .filter(([k]) => k.endsWith('_val'))
    .reduce((s, [, v]) => s + list(v).reduce<number>((t, x) => t + (x instanceof Uint8Array ? x.length : typeof x === 'string' ? x.length : size ?? 4), 0), 0);
  return { dtype, dims, elements, bytes: size === undefined ? undefined : size * elements, storedBytes: content + valBytes };
}

/** Bytes of one example of a signature tensor: every dimension but the batch one; undefined if unknown. */
export function bytesPerExample(dtype: string, shape: Shape): number | undefined {
  const size = dtypeByteSize(dtype);
  if (size === undefined || !shape.dims) return undefined;
  const rest = shape.dims.slice(1);
  if (rest.some((d) => d < 0)) return undefined;
  return size * elementsOf(rest);
}
