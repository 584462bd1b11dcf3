// An Estimator-style SavedModel built with the project's writer: it takes serialized tf.Examples
// (`input_example_tensor`, as Estimator's serving input receiver names it) and parses them with
// ParseExampleV2 into
//   x      dense float [2], required
//   age    dense int64 [1], default 30 → Bucketize([18, 40, 65]) as a bucketized column
//   clicks sparse float → SparseToDense, summed per example
// then a linear head whose weights are a variable in the checkpoint:
//   logit = x·w + 0.5·bucket(age) + Σ clicks,   probability = sigmoid(logit),
//   class  = AsString(logit > 0 as int64)  ("1" or "0", as Estimator heads print class ids).
import { PlainMessage } from '../../../../server/src/core/protobuf/plainMessage';
import {
  DirectorySpec, attrType, constNode, float32Bytes, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo,
} from '../../../../server/src/core/savedmodel/modelBuilder';

export const WEIGHTS = [0.5, -1] as const;
export const AGE_BOUNDARIES = [18, 40, 65] as const;
export const AGE_DEFAULT = 30;

const F = attrType('DT_FLOAT');
const I64 = attrType('DT_INT64');
const S = attrType('DT_STRING');

function strings(name: string, values: string[]): PlainMessage {
  return nodeDef(name, 'Const', [], {
    dtype: S,
    value: { tensor: { dtype: 'DT_STRING', tensor_shape: shapeProto([values.length]), string_val: values.map((v) => new TextEncoder().encode(v)) } },
  });
}

const int64Bytes = (v: number[]): Uint8Array => new Uint8Array(BigInt64Array.from(v.map(BigInt)).buffer);
const int32Bytes = (v: number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);
const typeList = (types: string[]): PlainMessage => ({ list: { type: types } });

/** `reshaped`: the Examples pass through a Reshape first, so the parser is not fed by the input. */
export function estimatorModel(reshaped = false): DirectorySpec {
  const p = 'ParseExample/ParseExampleV2';
  const serialized = reshaped ? 'input_example_tensor/reshaped' : 'input_example_tensor';
  const nodes: PlainMessage[] = [
    placeholder('input_example_tensor', 'DT_STRING', [-1]),
    ...(reshaped ? [
      constNode('input_example_tensor/shape', 'DT_INT32', [1], int32Bytes([-1])),
      nodeDef(serialized, 'Reshape', ['input_example_tensor', 'input_example_tensor/shape'], { T: S, Tshape: attrType('DT_INT32') }),
    ] : []),
    strings(`${p}/names`, []),
    strings(`${p}/sparse_keys`, ['clicks']),
    strings(`${p}/dense_keys`, ['x', 'age']),
    strings(`${p}/ragged_keys`, []),
    // A required feature's default has no elements.
    constNode('ParseExample/Const', 'DT_FLOAT', [0], new Uint8Array(0)),
    constNode('ParseExample/Const_1', 'DT_INT64', [1], int64Bytes([AGE_DEFAULT])),
    nodeDef(p, 'ParseExampleV2', [serialized, `${p}/names`, `${p}/sparse_keys`, `${p}/dense_keys`, `${p}/ragged_keys`, 'ParseExample/Const', 'ParseExample/Const_1'], {
      Tdense: typeList(['DT_FLOAT', 'DT_INT64']),
      dense_shapes: { list: { shape: [shapeProto([2]), shapeProto([1])] } },
      num_sparse: { i: 1 },
      sparse_types: typeList(['DT_FLOAT']),
      ragged_value_types: typeList([]),
      ragged_split_types: typeList([]),
    }),
    // Outputs: 0 clicks indices, 1 clicks values, 2 clicks shape, 3 x, 4 age.
    nodeDef('linear/w', 'VariableV2', [], { dtype: F, shape: { shape: shapeProto([2, 1]) } }),
    nodeDef('linear/w/read', 'Identity', ['linear/w'], { T: F }),
    nodeDef('linear/MatMul', 'MatMul', [`${p}:3`, 'linear/w/read'], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }),
    constNode('linear/flat', 'DT_INT32', [1], int32Bytes([-1])),
    nodeDef('linear/xw', 'Reshape', ['linear/MatMul', 'linear/flat'], { T: F, Tshape: attrType('DT_INT32') }),
    nodeDef('age/float', 'Cast', [`${p}:4`], { SrcT: I64, DstT: F, Truncate: { b: false } }),
    nodeDef('age/bucket', 'Bucketize', ['age/float'], { T: F, boundaries: { list: { f: [...AGE_BOUNDARIES] } } }),
    nodeDef('age/bucket_float', 'Cast', ['age/bucket'], { SrcT: attrType('DT_INT32'), DstT: F, Truncate: { b: false } }),
    constNode('age/half', 'DT_FLOAT', [], float32Bytes([0.5])),
    nodeDef('age/scaled', 'Mul', ['age/bucket_float', 'age/half'], { T: F }),
    nodeDef('age/flat', 'Reshape', ['age/scaled', 'linear/flat'], { T: F, Tshape: attrType('DT_INT32') }),
    constNode('clicks/zero', 'DT_FLOAT', [], float32Bytes([0])),
    nodeDef('clicks/dense', 'SparseToDense', [`${p}:0`, `${p}:2`, `${p}:1`, 'clicks/zero'], { T: F, Tindices: I64, validate_indices: { b: true } }),
    constNode('clicks/axis', 'DT_INT32', [], int32Bytes([1])),
    nodeDef('clicks/sum', 'Sum', ['clicks/dense', 'clicks/axis'], { T: F, Tidx: attrType('DT_INT32'), keep_dims: { b: false } }),
    nodeDef('head/partial', 'AddV2', ['linear/xw', 'age/flat'], { T: F }),
    nodeDef('head/logits', 'AddV2', ['head/partial', 'clicks/sum'], { T: F }),
    nodeDef('head/probability', 'Sigmoid', ['head/logits'], { T: F }),
    nodeDef('head/positive', 'Greater', ['head/logits', 'clicks/zero'], { T: F }),
    nodeDef('head/class_id', 'Cast', ['head/positive'], { SrcT: attrType('DT_BOOL'), DstT: I64, Truncate: { b: false } }),
    nodeDef('head/classes', 'AsString', ['head/class_id'], { T: I64 }),
  ];
  const io = {
    inputs: { examples: tensorInfo('input_example_tensor:0', 'DT_STRING', [-1]) },
    outputs: {
      logits: tensorInfo('head/logits:0', 'DT_FLOAT', [-1]),
      probability: tensorInfo('head/probability:0', 'DT_FLOAT', [-1]),
      classes: tensorInfo('head/classes:0', 'DT_STRING', [-1]),
    },
  };
  return {
    model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true, tensorflowVersion: '1.15.0' })]),
    variables: [{ name: 'linear/w', dtype: 'float32', shape: [2, 1], data: float32Bytes([...WEIGHTS]) }],
  };
}
