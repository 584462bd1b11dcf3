// The TensorFlow ops TensorFlow.js can execute: the op tables tfjs-converter maps graphs with.
// Reading the tables (plain data) does not load TensorFlow.js itself, so the check runs in the
// caller's process before any worker starts.
import { json as arithmetic } from '@tensorflow/tfjs-converter/dist/operations/op_list/arithmetic';
import { json as basicMath } from '@tensorflow/tfjs-converter/dist/operations/op_list/basic_math';
import { json as control } from '@tensorflow/tfjs-converter/dist/operations/op_list/control';
import { json as convolution } from '@tensorflow/tfjs-converter/dist/operations/op_list/convolution';
import { json as creation } from '@tensorflow/tfjs-converter/dist/operations/op_list/creation';
import { json as dynamic } from '@tensorflow/tfjs-converter/dist/operations/op_list/dynamic';
import { json as evaluation } from '@tensorflow/tfjs-converter/dist/operations/op_list/evaluation';
import { json as graph } from '@tensorflow/tfjs-converter/dist/operations/op_list/graph';
import { json as hashTable } from '@tensorflow/tfjs-converter/dist/operations/op_list/hash_table';
import { json as image } from '@tensorflow/tfjs-converter/dist/operations/op_list/image';
import { json as logical } from '@tensorflow/tfjs-converter/dist/operations/op_list/logical';
import { json as matrices } from '@tensorflow/tfjs-converter/dist/operations/op_list/matrices';
import { json as normalization } from '@tensorflow/tfjs-converter/dist/operations/op_list/normalization';
import { json as ragged } from '@tensorflow/tfjs-converter/dist/operations/op_list/ragged';
import { json as reduction } from '@tensorflow/tfjs-converter/dist/operations/op_list/reduction';
import { json as sliceJoin } from '@tensorflow/tfjs-converter/dist/operations/op_list/slice_join';
import { json as sparse } from '@tensorflow/tfjs-converter/dist/operations/op_list/sparse';
import { json as spectral } from '@tensorflow/tfjs-converter/dist/operations/op_list/spectral';
import { json as stringOps } from '@tensorflow/tfjs-converter/dist/operations/op_list/string';
import { json as transformation } from '@tensorflow/tfjs-converter/dist/operations/op_list/transformation';
import { HOST_KERNEL_OPS } from '../kernels';

const TABLES = [arithmetic, basicMath, control, convolution, creation, dynamic, evaluation, graph, hashTable, image,
  logical, matrices, normalization, ragged, reduction, sliceJoin, sparse, spectral, stringOps, transformation];

let supported: ReadonlySet<string> | undefined;

export function tfjsSupportedOps(): ReadonlySet<string> {
  // Plus the ops the runtime's own kernels compute (kernels/).
  supported ??= new Set([...TABLES.flatMap((t) => t.map((m) => m.tfOpName)), ...HOST_KERNEL_OPS]);
  return supported;
}
