// The runtime's own kernels as TensorFlow.js custom ops (tfjs-converter's registerOp), registered
// in the worker before a model loads. A custom op takes precedence over tfjs-converter's own
// mapping of the same op, which is how SparseToDense, Tile, Reshape and AddN are replaced.
import { registerOp } from '@tensorflow/tfjs-converter';
import { STRING_EXECUTORS } from './stringExecutors';
import { NUMERIC_EXECUTORS } from './numericExecutors';
import { CROSS_EXECUTORS } from './crossExecutors';

export const HOST_EXECUTORS = { ...STRING_EXECUTORS, ...NUMERIC_EXECUTORS, ...CROSS_EXECUTORS };

let registered = false;

export function registerHostKernels(): void {
  if (registered) return;
  registered = true;
  for (const [op, executor] of Object.entries(HOST_EXECUTORS)) registerOp(op, executor);
}
