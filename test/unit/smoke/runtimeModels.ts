// SavedModels for the built-in runtime's mechanisms, built with the project's writer the way
// TensorFlow lays such models out: a Keras-style convolutional model saved with stripped default
// attrs, TF2 functional control flow, lookup tables and a variable set by the init op, a stateful
// read, Estimator partitioned variables. Each test computes the expected answer by hand.
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import {
  DirectorySpec, attrType, constNode, float32Bytes, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo,
} from '../../../server/src/core/savedmodel/modelBuilder';

const F = attrType('DT_FLOAT');
const I = attrType('DT_INT32');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const int32Bytes = (v: readonly number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);
const int64Bytes = (v: readonly number[]): Uint8Array => new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer);

function variable(name: string, shape: number[]): PlainMessage[] {
  return [nodeDef(name, 'VariableV2', [], { dtype: F, shape: { shape: shapeProto(shape) } }), nodeDef(`${name}/read`, 'Identity', [name], { T: F })];
}

// ---- Keras-style convolution + dense + softmax, attrs stripped ---------------------------------

export interface ConvWeights {
  /** [3][3][1][2]: height, width, in channel, out channel (HWIO), row-major. */
  readonly kernel: readonly number[];
  readonly convBias: readonly number[];
  /** [8][3]: the flattened 2×2×2 feature map → 3 classes. */
  readonly dense: readonly number[];
  readonly denseBias: readonly number[];
}

export const CONV_WEIGHTS: ConvWeights = {
  kernel: Array.from({ length: 18 }, (_, i) => ((i * 7) % 11) / 10 - 0.5),
  convBias: [0.1, -0.2],
  dense: Array.from({ length: 24 }, (_, i) => ((i * 5) % 13) / 13 - 0.4),
  denseBias: [0.05, 0, -0.05],
};

// OpDefs as TensorFlow strips them into the meta graph: only what a NodeDef may leave out matters.
const CONV2D_OPDEF = {
  name: 'Conv2D',
  input_arg: [{ name: 'input', type_attr: 'T' }, { name: 'filter', type_attr: 'T' }],
  output_arg: [{ name: 'output', type_attr: 'T' }],
  attr: [
    { name: 'T', type: 'type' },
    { name: 'strides', type: 'list(int)' },
    { name: 'use_cudnn_on_gpu', type: 'bool', default_value: { b: true } },
    { name: 'padding', type: 'string' },
    { name: 'explicit_paddings', type: 'list(int)', default_value: { list: {} } },
    { name: 'data_format', type: 'string', default_value: { s: text('NHWC') } },
    { name: 'dilations', type: 'list(int)', default_value: { list: { i: [1, 1, 1, 1] } } },
  ],
};
const MATMUL_OPDEF = {
  name: 'MatMul',
  input_arg: [{ name: 'a', type_attr: 'T' }, { name: 'b', type_attr: 'T' }],
  output_arg: [{ name: 'product', type_attr: 'T' }],
  attr: [{ name: 'transpose_a', type: 'bool', default_value: { b: false } }, { name: 'transpose_b', type: 'bool', default_value: { b: false } }, { name: 'T', type: 'type' }],
};
const BIAS_ADD_OPDEF = {
  name: 'BiasAdd',
  input_arg: [{ name: 'value', type_attr: 'T' }, { name: 'bias', type_attr: 'T' }],
  output_arg: [{ name: 'output', type_attr: 'T' }],
  attr: [{ name: 'T', type: 'type' }, { name: 'data_format', type: 'string', default_value: { s: text('NHWC') } }],
};

/**
 * x [-1, 4, 4, 1] → Conv2D 3×3 VALID (2 filters) → BiasAdd → Relu → Reshape [-1, 8] → MatMul →
 * BiasAdd → Softmax. Every attr equal to its default is left out, as `strip_default_attrs` does;
 * with `opDefs` the meta graph carries the OpDefs, without it the registry table must serve.
 */
export function kerasConvModel(opDefs: boolean, w: ConvWeights = CONV_WEIGHTS): DirectorySpec {
  const nodes = [
    placeholder('serving_default_x', 'DT_FLOAT', [-1, 4, 4, 1]),
    ...variable('conv/kernel', [3, 3, 1, 2]), ...variable('conv/bias', [2]), ...variable('dense/kernel', [8, 3]), ...variable('dense/bias', [3]),
    nodeDef('conv/Conv2D', 'Conv2D', ['serving_default_x', 'conv/kernel/read'], { T: F, strides: { list: { i: [1, 1, 1, 1] } }, padding: { s: text('VALID') } }),
    nodeDef('conv/BiasAdd', 'BiasAdd', ['conv/Conv2D', 'conv/bias/read'], { T: F }),
    nodeDef('conv/Relu', 'Relu', ['conv/BiasAdd'], { T: F }),
    constNode('flatten/shape', 'DT_INT32', [2], int32Bytes([-1, 8])),
    nodeDef('flatten/Reshape', 'Reshape', ['conv/Relu', 'flatten/shape'], { T: F }),
    nodeDef('dense/MatMul', 'MatMul', ['flatten/Reshape', 'dense/kernel/read'], { T: F }),
    nodeDef('dense/BiasAdd', 'BiasAdd', ['dense/MatMul', 'dense/bias/read'], { T: F }),
    nodeDef('dense/Softmax', 'Softmax', ['dense/BiasAdd'], { T: F }),
  ];
  const io = { inputs: { x: tensorInfo('serving_default_x:0', 'DT_FLOAT', [-1, 4, 4, 1]) }, outputs: { probabilities: tensorInfo('dense/Softmax:0', 'DT_FLOAT', [-1, 3]) } };
  const mg = metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true });
  const info = mg.meta_info_def as PlainMessage;
  info.stripped_default_attrs = true;
  if (opDefs) info.stripped_op_list = { op: [CONV2D_OPDEF, MATMUL_OPDEF, BIAS_ADD_OPDEF] };
  const v = (name: string, shape: number[], values: readonly number[]): { name: string; dtype: string; shape: number[]; data: Uint8Array } => ({ name, dtype: 'float32', shape, data: float32Bytes(values) });
  return {
    model: savedModel([mg]),
    variables: [v('conv/kernel', [3, 3, 1, 2], w.kernel), v('conv/bias', [2], w.convBias), v('dense/kernel', [8, 3], w.dense), v('dense/bias', [3], w.denseBias)],
  };
}

// ---- TF2 functional control flow ----------------------------------------------------------------

const fn = (name: string, inputs: Array<[string, string]>, outputs: Array<[string, string]>, nodes: PlainMessage[], ret: Record<string, string>): PlainMessage => ({
  signature: { name, input_arg: inputs.map(([n, type]) => ({ name: n, type })), output_arg: outputs.map(([n, type]) => ({ name: n, type })) },
  node_def: nodes,
  ret,
});

/**
 * A loop and a branch as TF2 writes them: `acc = x; for i in range(3): acc = acc * w + 1` with w a
 * resource variable passed into the loop (StatelessWhile), and `x * 2 if c else -x` (StatelessIf).
 */
export function controlFlowModel(w: number): DirectorySpec {
  const cond = fn('while_cond', [['i', 'DT_INT32'], ['acc', 'DT_FLOAT'], ['w', 'DT_RESOURCE']], [['z', 'DT_BOOL']], [
    constNode('limit', 'DT_INT32', [], int32Bytes([3])),
    nodeDef('less', 'Less', ['i', 'limit:output:0'], { T: I }),
  ], { z: 'less:z:0' });
  const body = fn('while_body', [['i', 'DT_INT32'], ['acc', 'DT_FLOAT'], ['w', 'DT_RESOURCE']], [['i_next', 'DT_INT32'], ['acc_next', 'DT_FLOAT'], ['w_out', 'DT_RESOURCE']], [
    constNode('one_i', 'DT_INT32', [], int32Bytes([1])),
    nodeDef('add_i', 'AddV2', ['i', 'one_i:output:0'], { T: I }),
    nodeDef('read', 'ReadVariableOp', ['w'], { dtype: F }),
    nodeDef('mul', 'Mul', ['acc', 'read:value:0'], { T: F }),
    constNode('one_f', 'DT_FLOAT', [], float32Bytes([1])),
    nodeDef('add', 'AddV2', ['mul:z:0', 'one_f:output:0'], { T: F }),
  ], { i_next: 'add_i:z:0', acc_next: 'add:z:0', w_out: 'w' });
  const double = fn('then_double', [['v', 'DT_FLOAT']], [['out', 'DT_FLOAT']], [
    constNode('two', 'DT_FLOAT', [], float32Bytes([2])),
    nodeDef('m', 'Mul', ['v', 'two:output:0'], { T: F }),
  ], { out: 'm:z:0' });
  const negate = fn('else_negate', [['v', 'DT_FLOAT']], [['out', 'DT_FLOAT']], [nodeDef('n', 'Neg', ['v'], { T: F })], { out: 'n:y:0' });
  const types = (...t: string[]): PlainMessage => ({ list: { type: t } });
  const nodes = [
    placeholder('serving_default_x', 'DT_FLOAT', [-1]),
    placeholder('serving_default_c', 'DT_BOOL', []),
    nodeDef('w', 'VarHandleOp', [], { dtype: F, shape: { shape: shapeProto([]) }, shared_name: { s: text('w') } }),
    constNode('i0', 'DT_INT32', [], int32Bytes([0])),
    nodeDef('loop', 'StatelessWhile', ['i0', 'serving_default_x', 'w'], { T: types('DT_INT32', 'DT_FLOAT', 'DT_RESOURCE'), cond: { func: { name: 'while_cond' } }, body: { func: { name: 'while_body' } } }),
    nodeDef('branch', 'StatelessIf', ['serving_default_c', 'serving_default_x'], { Tcond: attrType('DT_BOOL'), Tin: types('DT_FLOAT'), Tout: types('DT_FLOAT'), then_branch: { func: { name: 'then_double' } }, else_branch: { func: { name: 'else_negate' } } }),
  ];
  const io = {
    inputs: { x: tensorInfo('serving_default_x:0', 'DT_FLOAT', [-1]), c: tensorInfo('serving_default_c:0', 'DT_BOOL', []) },
    outputs: { looped: tensorInfo('loop:1', 'DT_FLOAT', [-1]), branched: tensorInfo('branch:0', 'DT_FLOAT', [-1]) },
  };
  const mg = metaGraph({ tags: ['serve'], nodes, functions: [cond, body, double, negate], signatures: { serving_default: io } });
  return { model: savedModel([mg]), variables: [{ name: 'w', dtype: 'float32', shape: [], data: float32Bytes([w]) }] };
}

// ---- lookup tables and a variable set by the init op ---------------------------------------------

export const FRUITS = 'apple\t10\nbanana\t20\ncherry\t30\n';

/**
 * Three things TensorFlow's loader does before serving: `__saved_model_init_op` imports constant
 * keys/values into a (mutable) table (LookupTableImportV2) and assigns an asset's path to a string variable;
 * the TF1 `legacy_init_op` collection fills a second table from a tab-separated asset
 * (InitializeTableFromTextFileV2, key column 0, value column 1).
 */
export function initOpModel(): DirectorySpec {
  const S = attrType('DT_STRING');
  const L = attrType('DT_INT64');
  const table = (name: string, shared: string, op = 'HashTableV2'): PlainMessage => nodeDef(name, op, [], { key_dtype: S, value_dtype: L, shared_name: { s: text(shared) } });
  const strings = (name: string, values: string[]): PlainMessage => nodeDef(name, 'Const', [], { dtype: S, value: { tensor: { dtype: 'DT_STRING', tensor_shape: shapeProto([values.length]), string_val: values.map(text) } } });
  const nodes = [
    placeholder('words', 'DT_STRING', [-1]),
    placeholder('asset_path', 'DT_STRING', []),
    table('colors', 'colors_table', 'MutableHashTableV2'),
    strings('colors/keys', ['red', 'green', 'blue']),
    constNode('colors/values', 'DT_INT64', [3], int64Bytes([1, 2, 3])),
    nodeDef('colors/import', 'LookupTableImportV2', ['colors', 'colors/keys', 'colors/values'], { Tin: S, Tout: L }),
    table('fruits', 'fruits_table'),
    nodeDef('fruits/init', 'InitializeTableFromTextFileV2', ['fruits', 'asset_path'], { key_index: { i: 0 }, value_index: { i: 1 } }),
    nodeDef('path_var', 'VarHandleOp', [], { dtype: S, shape: { shape: shapeProto([]) }, shared_name: { s: text('path_var') } }),
    nodeDef('path_var/assign', 'AssignVariableOp', ['path_var', 'asset_path'], { dtype: S }),
    nodeDef('init_all', 'NoOp', ['^colors/import', '^path_var/assign']),
    nodeDef('legacy_init', 'NoOp', ['^fruits/init']),
    constNode('default', 'DT_INT64', [], int64Bytes([-1])),
    nodeDef('colors/find', 'LookupTableFindV2', ['colors', 'words', 'default'], { Tin: S, Tout: L }),
    nodeDef('fruits/find', 'LookupTableFindV2', ['fruits', 'words', 'default'], { Tin: S, Tout: L }),
    nodeDef('path_var/read', 'ReadVariableOp', ['path_var'], { dtype: S }),
  ];
  const io = {
    inputs: { words: tensorInfo('words:0', 'DT_STRING', [-1]) },
    outputs: { color: tensorInfo('colors/find:0', 'DT_INT64', [-1]), fruit: tensorInfo('fruits/find:0', 'DT_INT64', [-1]), vocabulary: tensorInfo('path_var/read:0', 'DT_STRING', []) },
  };
  const init = { inputs: {}, outputs: { __saved_model_init_op: tensorInfo('init_all', 'DT_INVALID', undefined) } };
  const mg = metaGraph({
    tags: ['serve'], nodes, signatures: { serving_default: io, __saved_model_init_op: init },
    assetFiles: [{ tensorName: 'asset_path:0', filename: 'fruits.txt' }],
    collections: { legacy_init_op: { node_list: { value: ['legacy_init'] } } },
  });
  return { model: savedModel([mg]), assets: { 'fruits.txt': FRUITS } };
}

// ---- a stateful read, and an input the outputs do not need ---------------------------------------

/** `get_counter`: the output is the variable's value as it is; the input `x` feeds nothing it needs. */
export function counterModel(count: number): DirectorySpec {
  const nodes = [placeholder('x', 'DT_FLOAT', [-1]), ...variable('counter', [])];
  const io = { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1]) }, outputs: { count: tensorInfo('counter/read:0', 'DT_FLOAT', []) } };
  const mg = metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true });
  return { model: savedModel([mg]), variables: [{ name: 'counter', dtype: 'float32', shape: [], data: float32Bytes([count]) }] };
}

// ---- Estimator partitioned variables ---------------------------------------------------------------

/**
 * y = x · concat(part_0, part_1) + bias: the kernel [3, 2] is partitioned along axis 0 into
 * `kernel/part_0` (rows 0-1) and `kernel/part_1` (row 2), as an Estimator's partitioner does; the
 * checkpoint stores `kernel` once with its two slices. `bias` is read whole by the graph but saved
 * in two slices, which must be assembled.
 */
export function partitionedModel(kernel: readonly number[], bias: readonly number[]): DirectorySpec {
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1, 3]),
    ...variable('dnn/kernel/part_0', [2, 2]), ...variable('dnn/kernel/part_1', [1, 2]), ...variable('dnn/bias', [2]),
    constNode('dnn/axis', 'DT_INT32', [], int32Bytes([0])),
    nodeDef('dnn/kernel', 'ConcatV2', ['dnn/kernel/part_0/read', 'dnn/kernel/part_1/read', 'dnn/axis'], { T: F, N: { i: 2 }, Tidx: I }),
    nodeDef('dnn/MatMul', 'MatMul', ['x', 'dnn/kernel'], { T: F }),
    nodeDef('dnn/y', 'BiasAdd', ['dnn/MatMul', 'dnn/bias/read'], { T: F }),
  ];
  const io = { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 3]) }, outputs: { y: tensorInfo('dnn/y:0', 'DT_FLOAT', [-1, 2]) } };
  const mg = metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true });
  return {
    model: savedModel([mg]),
    variables: [
      {
        name: 'dnn/kernel', dtype: 'float32', shape: [3, 2], data: new Uint8Array(0),
        slices: [
          { extent: [{ start: 0, length: 2 }, { start: 0 }], data: float32Bytes(kernel.slice(0, 4)) },
          { extent: [{ start: 2, length: 1 }, { start: 0 }], data: float32Bytes(kernel.slice(4, 6)) },
        ],
      },
      {
        name: 'dnn/bias', dtype: 'float32', shape: [2], data: new Uint8Array(0),
        slices: [{ extent: [{ start: 0, length: 1 }], data: float32Bytes([bias[0]]) }, { extent: [{ start: 1, length: 1 }], data: float32Bytes([bias[1]]) }],
      },
    ],
  };
}

// ---- a TF1 while loop (Enter / Merge / Switch / NextIteration / Exit) --------------------------------

/** `while x < limit: x = x * factor`, as tf.while_loop wrote it before TF2: a cycle closed at Merge. */
export function tf1WhileModel(limit: number, factor: number): DirectorySpec {
  const frame = { frame_name: { s: text('while/while_context') }, is_constant: { b: false }, parallel_iterations: { i: 10 } };
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1]),
    nodeDef('while/Enter', 'Enter', ['x'], { T: F, ...frame }),
    nodeDef('while/Merge', 'Merge', ['while/Enter', 'while/NextIteration'], { T: F, N: { i: 2 } }),
    constNode('while/limit', 'DT_FLOAT', [], float32Bytes([limit])),
    nodeDef('while/Less', 'Less', ['while/Merge', 'while/limit'], { T: F }),
    constNode('while/all_axes', 'DT_INT32', [1], int32Bytes([0])),
    nodeDef('while/All', 'All', ['while/Less', 'while/all_axes'], { Tidx: I }),
    nodeDef('while/LoopCond', 'LoopCond', ['while/All']),
    nodeDef('while/Switch', 'Switch', ['while/Merge', 'while/LoopCond'], { T: F }),
    nodeDef('while/Identity', 'Identity', ['while/Switch:1'], { T: F }),
    constNode('while/factor', 'DT_FLOAT', [], float32Bytes([factor])),
    nodeDef('while/mul', 'Mul', ['while/Identity', 'while/factor'], { T: F }),
    nodeDef('while/NextIteration', 'NextIteration', ['while/mul'], { T: F }),
    nodeDef('while/Exit', 'Exit', ['while/Switch'], { T: F }),
  ];
  const io = { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1]) }, outputs: { y: tensorInfo('while/Exit:0', 'DT_FLOAT', [-1]) } };
  return { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io } })]) };
}

/**
 * An embedding lookup inside a branch: StatelessIf passes the variable `emb` [3, 2] into its
 * functions, where ResourceGather reads rows of it (then) or ReadVariableOp sums it (else).
 */
export function gatherInBranchModel(emb: readonly number[]): DirectorySpec {
  const types = (...t: string[]): PlainMessage => ({ list: { type: t } });
  const gather = fn('then_gather', [['table', 'DT_RESOURCE'], ['ids', 'DT_INT32']], [['rows', 'DT_FLOAT']], [
    nodeDef('g', 'ResourceGather', ['table', 'ids'], { dtype: F, Tindices: I }),
  ], { rows: 'g:output:0' });
  const sum = fn('else_sum', [['table', 'DT_RESOURCE'], ['ids', 'DT_INT32']], [['rows', 'DT_FLOAT']], [
    nodeDef('read', 'ReadVariableOp', ['table'], { dtype: F }),
    constNode('axis', 'DT_INT32', [1], int32Bytes([0])),
    nodeDef('total', 'Sum', ['read:value:0', 'axis:output:0'], { T: F, Tidx: I, keep_dims: { b: true } }),
  ], { rows: 'total:output:0' });
  const nodes = [
    placeholder('ids', 'DT_INT32', [-1]),
    placeholder('c', 'DT_BOOL', []),
    nodeDef('emb', 'VarHandleOp', [], { dtype: F, shape: { shape: shapeProto([3, 2]) }, shared_name: { s: text('emb') } }),
    nodeDef('branch', 'StatelessIf', ['c', 'emb', 'ids'], { Tcond: attrType('DT_BOOL'), Tin: types('DT_RESOURCE', 'DT_INT32'), Tout: types('DT_FLOAT'), then_branch: { func: { name: 'then_gather' } }, else_branch: { func: { name: 'else_sum' } } }),
  ];
  const io = { inputs: { ids: tensorInfo('ids:0', 'DT_INT32', [-1]), c: tensorInfo('c:0', 'DT_BOOL', []) }, outputs: { rows: tensorInfo('branch:0', 'DT_FLOAT', [-1, 2]) } };
  const mg = metaGraph({ tags: ['serve'], nodes, functions: [gather, sum], signatures: { serving_default: io } });
  return { model: savedModel([mg]), variables: [{ name: 'emb', dtype: 'float32', shape: [3, 2], data: float32Bytes(emb) }] };
}
