// The built-in runtime's benchmark models, written with the project's writer: a Keras-style
// convolutional classifier (two 3×3 convolutions, global average pooling, a dense softmax layer;
// weights as checkpoint variables) and the Estimator-style model of the tf.Example tests.
import { PlainMessage } from '../server/src/core/protobuf/plainMessage';
import {
  DirectorySpec, VariableSpec, attrType, constNode, float32Bytes, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo,
} from '../server/src/core/savedmodel/modelBuilder';
import { mulberry32 } from '../server/src/core/prng';

export { estimatorModel } from '../test/unit/smoke/example/estimatorModel';

export const CONV_INPUT = [32, 32, 3] as const;
const F = attrType('DT_FLOAT');

export function convModel(seed = 7): DirectorySpec {
  const random = mulberry32(seed);
  const nodes: PlainMessage[] = [placeholder('input_1', 'DT_FLOAT', [-1, ...CONV_INPUT])];
  const variables: VariableSpec[] = [];
  const variable = (name: string, shape: number[], scale: number): string => {
    const n = shape.reduce((a, b) => a * b, 1);
    variables.push({ name, dtype: 'float32', shape, data: float32Bytes(Array.from({ length: n }, () => (random() * 2 - 1) * scale)) });
    nodes.push(nodeDef(name, 'VariableV2', [], { dtype: F, shape: { shape: shapeProto(shape) } }), nodeDef(`${name}/read`, 'Identity', [name], { T: F }));
    return `${name}/read`;
  };
  const conv = (name: string, input: string, cin: number, cout: number, stride: number): string => {
    const k = variable(`${name}/kernel`, [3, 3, cin, cout], 1 / Math.sqrt(9 * cin));
    const b = variable(`${name}/bias`, [cout], 0.1);
    nodes.push(
      nodeDef(`${name}/Conv2D`, 'Conv2D', [input, k], {
        T: F, strides: { list: { i: [1, stride, stride, 1] } }, padding: { s: new TextEncoder().encode('SAME') },
        data_format: { s: new TextEncoder().encode('NHWC') }, dilations: { list: { i: [1, 1, 1, 1] } }, use_cudnn_on_gpu: { b: true },
      }),
      nodeDef(`${name}/BiasAdd`, 'BiasAdd', [`${name}/Conv2D`, b], { T: F, data_format: { s: new TextEncoder().encode('NHWC') } }),
      nodeDef(`${name}/Relu`, 'Relu', [`${name}/BiasAdd`], { T: F }),
    );
    return `${name}/Relu`;
  };
  const c1 = conv('conv2d', 'input_1', 3, 16, 1);
  const c2 = conv('conv2d_1', c1, 16, 32, 2);
  nodes.push(
    constNode('pool/axes', 'DT_INT32', [2], new Uint8Array(Int32Array.from([1, 2]).buffer)),
    nodeDef('pool/Mean', 'Mean', [c2, 'pool/axes'], { T: F, Tidx: attrType('DT_INT32'), keep_dims: { b: false } }),
  );
  const w = variable('dense/kernel', [32, 10], 1 / Math.sqrt(32));
  const b = variable('dense/bias', [10], 0.1);
  nodes.push(
    nodeDef('dense/MatMul', 'MatMul', ['pool/Mean', w], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }),
    nodeDef('dense/BiasAdd', 'BiasAdd', ['dense/MatMul', b], { T: F }),
    nodeDef('dense/Softmax', 'Softmax', ['dense/BiasAdd'], { T: F }),
  );
  const io = { inputs: { input_1: tensorInfo('input_1:0', 'DT_FLOAT', [-1, ...CONV_INPUT]) }, outputs: { dense: tensorInfo('dense/Softmax:0', 'DT_FLOAT', [-1, 10]) } };
  return { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true })]), variables };
}
