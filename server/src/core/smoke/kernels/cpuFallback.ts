// Kernels a backend lacks, run with the cpu backend's: the inputs are read back to the host
// (asynchronously, as webgpu needs in Node), the cpu kernel computes, the outputs become tensors
// of the active backend. The webgpu backend has no kernel for TF Transform's sparse and string
// ops (SparseReshape, SparseFillEmptyRows, Unique); the cpu backend has them all.
import * as tf from '@tensorflow/tfjs-core';

type Inputs = Record<string, tf.Tensor>;
type Attrs = tf.NamedAttrMap;

/**
 * Run `kernel` on the active backend when it has it, else on the cpu backend. `syncReads`: the
 * active backend's kernel reads its inputs synchronously, which webgpu cannot do in Node.
 */
export async function runKernelAnywhere(kernel: string, inputs: Inputs, attrs: Attrs, syncReads = false): Promise<tf.Tensor[]> {
  const active = tf.getBackend();
  if (tf.getKernel(kernel, active) && !(syncReads && active === 'webgpu')) return asList(tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor | tf.Tensor[]);
  const cpu = tf.engine().findBackend('cpu');
  const config = tf.getKernel(kernel, 'cpu');
  if (!cpu || !config) throw new Error(`no ${kernel} kernel for backend ${tf.getBackend()}, nor for cpu`);
  const infos: Record<string, tf.TensorInfo> = {};
  for (const [name, t] of Object.entries(inputs)) {
    const values = t.dtype === 'string' ? await t.bytes() as Uint8Array[] : await t.data();
    infos[name] = { dataId: cpu.write(values, t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
  }
  const written = Object.values(infos);
  try {
    const out = asList(config.kernelFunc({ inputs: infos, backend: cpu, attrs }) as tf.TensorInfo | tf.TensorInfo[]);
    const tensors = out.map((o) => tf.tensor(cpu.readSync(o.dataId) as tf.TypedArray | Uint8Array[], o.shape, o.dtype));
    for (const o of out) cpu.disposeData(o.dataId);
    return tensors;
  } finally {
    for (const i of written) cpu.disposeData(i.dataId);
  }
}

function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}
