// Models the project's writer builds for the shrink tests: a TF1 convolution trained with Adam
// (its slots, beta powers and global step in the checkpoint), and a TF2 model whose serving
// function reads resource variables captured by StatefulPartitionedCall and found through the
// object graph, with Adam's slots in its object-based checkpoint. Seeded weights.
import { PlainMessage, encodePlain, loadSchema } from '../../../server/src/core/protobuf';
import {
  DirectorySpec, VariableSpec, attrType, constNode, float32Bytes, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo,
} from '../../../server/src/core/savedmodel/modelBuilder';

const F = attrType('DT_FLOAT');

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function weights(name: string, shape: number[], random: () => number, scale: number): VariableSpec {
  const n = shape.reduce((a, b) => a * b, 1);
  return { name, dtype: 'float32', shape, data: float32Bytes(Array.from({ length: n }, () => random() * scale)) };
}

function variableNodes(name: string, shape: number[]): PlainMessage[] {
  return [nodeDef(name, 'VariableV2', [], { dtype: F, shape: { shape: shapeProto(shape) } }), nodeDef(`${name}/read`, 'Identity', [name], { T: F })];
}

/** x [-1, 8, 8, 3] → Conv2D 3×3×3×32 + bias, Relu, mean over the image, Dense 32×10, Softmax. */
export function convWithAdam(seed = 7): DirectorySpec {
  const random = seeded(seed);
  const vars = [
    weights('conv/kernel', [3, 3, 3, 32], random, 0.5),
    weights('conv/bias', [32], random, 0.1),
    weights('dense/kernel', [32, 10], random, 0.8),
    weights('dense/bias', [10], random, 0.1),
  ];
  const slots = vars.flatMap((v) => [
    { ...v, name: `${v.name}/Adam`, data: float32Bytes(new Array<number>(v.data.length / 4).fill(0.01)) },
    { ...v, name: `${v.name}/Adam_1`, data: float32Bytes(new Array<number>(v.data.length / 4).fill(0.001)) },
  ]);
  const training: VariableSpec[] = [
    { name: 'beta1_power', dtype: 'float32', shape: [], data: float32Bytes([0.9]) },
    { name: 'beta2_power', dtype: 'float32', shape: [], data: float32Bytes([0.999]) },
    { name: 'global_step', dtype: 'int64', shape: [], data: new Uint8Array(8) },
  ];
  const ints = (v: number[]): PlainMessage => ({ list: { i: v } });
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1, 8, 8, 3]),
    ...vars.flatMap((v) => variableNodes(v.name, v.shape)),
    nodeDef('conv/Conv2D', 'Conv2D', ['x', 'conv/kernel/read'], { T: F, strides: ints([1, 1, 1, 1]), padding: { s: new TextEncoder().encode('SAME') }, data_format: { s: new TextEncoder().encode('NHWC') }, dilations: ints([1, 1, 1, 1]), use_cudnn_on_gpu: { b: true } }),
    nodeDef('conv/BiasAdd', 'BiasAdd', ['conv/Conv2D', 'conv/bias/read'], { T: F }),
    nodeDef('conv/Relu', 'Relu', ['conv/BiasAdd'], { T: F }),
    constNode('pool/axes', 'DT_INT32', [2], new Uint8Array(new Int32Array([1, 2]).buffer)),
    nodeDef('pool/Mean', 'Mean', ['conv/Relu', 'pool/axes'], { T: F, Tidx: attrType('DT_INT32'), keep_dims: { b: false } }),
    nodeDef('dense/MatMul', 'MatMul', ['pool/Mean', 'dense/kernel/read'], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }),
    nodeDef('dense/BiasAdd', 'BiasAdd', ['dense/MatMul', 'dense/bias/read'], { T: F }),
    nodeDef('probabilities', 'Softmax', ['dense/BiasAdd'], { T: F }),
  ];
  const io = {
    inputs: { images: tensorInfo('x:0', 'DT_FLOAT', [-1, 8, 8, 3]) },
    outputs: { probabilities: tensorInfo('probabilities:0', 'DT_FLOAT', [-1, 10]), logits: tensorInfo('dense/BiasAdd:0', 'DT_FLOAT', [-1, 10]) },
  };
  return { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true })]), variables: [...vars, ...slots, ...training] };
}

const KEY = (path: string): string => `${path}/.ATTRIBUTES/VARIABLE_VALUE`;

/** TF2: serving_default calls __inference_serve(x, kernel, bias) = softmax(x·kernel + bias); kernel 64×32. */
export function tf2Dense(seed = 3): DirectorySpec {
  const random = seeded(seed);
  const kernel = weights(KEY('dense/kernel'), [64, 32], random, 0.4);
  const bias = weights(KEY('dense/bias'), [32], random, 0.1);
  const fn = {
    signature: {
      name: '__inference_serve_10',
      input_arg: [{ name: 'x', type: 'DT_FLOAT' }, { name: 'kernel', type: 'DT_RESOURCE' }, { name: 'bias', type: 'DT_RESOURCE' }],
      output_arg: [{ name: 'identity', type: 'DT_FLOAT' }],
      is_stateful: true,
    },
    node_def: [
      nodeDef('k', 'ReadVariableOp', ['kernel'], { dtype: F }),
      nodeDef('b', 'ReadVariableOp', ['bias'], { dtype: F }),
      nodeDef('mm', 'MatMul', ['x', 'k:value:0'], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }),
      nodeDef('add', 'BiasAdd', ['mm:product:0', 'b:value:0'], { T: F }),
      nodeDef('sm', 'Softmax', ['add:output:0'], { T: F }),
      nodeDef('identity', 'Identity', ['sm:softmax:0'], { T: F }),
    ],
    ret: { identity: 'identity:output:0' },
  };
  const handle = (name: string, shape: number[]): PlainMessage =>
    nodeDef(name, 'VarHandleOp', [], { dtype: F, shape: { shape: shapeProto(shape) }, shared_name: { s: new TextEncoder().encode(`${name}_handle_7`) }, container: { s: new Uint8Array(0) } });
  const nodes = [
    placeholder('serving_default_x', 'DT_FLOAT', [-1, 64]),
    handle('kernel', [64, 32]),
    handle('bias', [32]),
    nodeDef('StatefulPartitionedCall', 'StatefulPartitionedCall', ['serving_default_x', 'kernel', 'bias'], {
      f: { func: { name: '__inference_serve_10' } }, Tin: { list: { type: ['DT_FLOAT', 'DT_RESOURCE', 'DT_RESOURCE'] } }, Tout: { list: { type: ['DT_FLOAT'] } },
      config: { s: new Uint8Array(0) }, config_proto: { s: new Uint8Array(0) }, executor_type: { s: new Uint8Array(0) },
    }),
  ];
  const mg = metaGraph({
    tags: ['serve'],
    nodes,
    functions: [fn],
    signatures: { serving_default: { inputs: { x: tensorInfo('serving_default_x:0', 'DT_FLOAT', [-1, 64]) }, outputs: { output_0: tensorInfo('StatefulPartitionedCall:0', 'DT_FLOAT', [-1, 32]) } } },
  });
  const variable = (name: string, shape: number[]): PlainMessage => ({ variable: { dtype: 'DT_FLOAT', shape: shapeProto(shape), name, trainable: true } });
  mg.object_graph_def = {
    nodes: [
      { children: [{ node_id: 1, local_name: 'dense' }], user_object: { identifier: '_generic_user_object' } },
      { children: [{ node_id: 2, local_name: 'kernel' }, { node_id: 3, local_name: 'bias' }], user_object: { identifier: '_generic_user_object' } },
      variable('kernel', [64, 32]),
      variable('bias', [32]),
    ],
    concrete_functions: { __inference_serve_10: { bound_inputs: [2, 3] } },
  };
  const slot = (v: VariableSpec, which: 'm' | 'v'): VariableSpec => ({ ...v, name: v.name.replace('/.ATTRIBUTES', `/.OPTIMIZER_SLOT/optimizer/${which}/.ATTRIBUTES`) });
  const trackable = {
    nodes: [
      { children: [{ node_id: 1, local_name: 'dense' }] },
      { children: [{ node_id: 2, local_name: 'kernel' }, { node_id: 3, local_name: 'bias' }] },
      { attributes: [{ name: 'VARIABLE_VALUE', full_name: 'dense/kernel', checkpoint_key: kernel.name }] },
      { attributes: [{ name: 'VARIABLE_VALUE', full_name: 'dense/bias', checkpoint_key: bias.name }] },
    ],
  };
  const graphBytes = encodePlain(trackable, loadSchema().message('tensorflow.TrackableObjectGraph'));
  const objectGraph = { name: '_CHECKPOINTABLE_OBJECT_GRAPH', dtype: 'string', shape: [], data: new Uint8Array(0), strings: [graphBytes] };
  return {
    model: savedModel([mg]),
    variables: [kernel, bias, slot(kernel, 'm'), slot(kernel, 'v'), slot(bias, 'm'), slot(bias, 'v'), objectGraph],
  };
}

/** TF1 vocabulary lookup: ids = table.lookup(words), the table filled from assets/vocab.txt by the init op. */
export function vocabularyTable(words: readonly string[]): DirectorySpec {
  const S = attrType('DT_STRING');
  const I = attrType('DT_INT64');
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  const nodes = [
    placeholder('words', 'DT_STRING', [-1]),
    nodeDef('vocab/table', 'HashTableV2', [], { key_dtype: S, value_dtype: I, shared_name: { s: bytes('hash_table_vocab') }, container: { s: new Uint8Array(0) }, use_node_name_sharing: { b: false } }),
    nodeDef('vocab/asset_path', 'Const', [], { dtype: S, value: { tensor: { dtype: 'DT_STRING', tensor_shape: {}, string_val: [bytes('vocab.txt')] } } }),
    nodeDef('vocab/init', 'InitializeTableFromTextFileV2', ['vocab/table', 'vocab/asset_path'], {
      key_index: { i: -2 }, value_index: { i: -1 }, vocab_size: { i: -1 }, delimiter: { s: bytes('\t') }, offset: { i: 0 },
    }),
    nodeDef('init_all_tables', 'NoOp', ['^vocab/init']),
    constNode('vocab/default', 'DT_INT64', [], new Uint8Array(new BigInt64Array([-1n]).buffer)),
    nodeDef('ids', 'LookupTableFindV2', ['vocab/table', 'words', 'vocab/default'], { Tin: S, Tout: I }),
  ];
  const mg = metaGraph({
    tags: ['serve'],
    nodes,
    signatures: { serving_default: { inputs: { words: tensorInfo('words:0', 'DT_STRING', [-1]) }, outputs: { ids: tensorInfo('ids:0', 'DT_INT64', [-1]) } } },
    collections: { legacy_init_op: { node_list: { value: ['init_all_tables'] } }, table_initializer: { node_list: { value: ['vocab/init'] } } },
    assetFiles: [{ tensorName: 'vocab/asset_path:0', filename: 'vocab.txt' }],
  });
  return { model: savedModel([mg]), assets: { 'vocab.txt': `${words.join('\n')}\n` } };
}
