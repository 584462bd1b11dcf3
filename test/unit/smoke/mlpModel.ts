// A bigger test model than half_plus_two: a TF1-style multilayer perceptron (MatMul, BiasAdd,
// Relu, Softmax) whose weights are variables in the checkpoint, seeded so runs can be compared.
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import {
  DirectorySpec, VariableSpec, attrType, float32Bytes, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo,
} from '../../../server/src/core/savedmodel/modelBuilder';

export function mlpModel(sizes: readonly number[], seed = 1): DirectorySpec {
  const F = attrType('DT_FLOAT');
  let s = seed >>> 0;
  const random = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const nodes: PlainMessage[] = [placeholder('x', 'DT_FLOAT', [-1, sizes[0]])];
  const variables: VariableSpec[] = [];
  let last = 'x';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [n, m] = [sizes[l], sizes[l + 1]];
    const scale = 2 / Math.sqrt(n);
    for (const [name, shape] of [[`dense${l}/kernel`, [n, m]], [`dense${l}/bias`, [m]]] as Array<[string, number[]]>) {
      nodes.push(nodeDef(name, 'VariableV2', [], { dtype: F, shape: { shape: shapeProto(shape) } }), nodeDef(`${name}/read`, 'Identity', [name], { T: F }));
      const count = shape.reduce((a, b) => a * b, 1);
      variables.push({ name, dtype: 'float32', shape, data: float32Bytes(Array.from({ length: count }, () => random() * scale)) });
    }
    nodes.push(
      nodeDef(`dense${l}/MatMul`, 'MatMul', [last, `dense${l}/kernel/read`], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }),
      nodeDef(`dense${l}/BiasAdd`, 'BiasAdd', [`dense${l}/MatMul`, `dense${l}/bias/read`], { T: F }),
    );
    last = `dense${l}/BiasAdd`;
    if (l + 2 < sizes.length) {
      nodes.push(nodeDef(`dense${l}/Relu`, 'Relu', [last], { T: F }));
      last = `dense${l}/Relu`;
    }
  }
  nodes.push(nodeDef('probabilities', 'Softmax', [last], { T: F }));
  const out = sizes[sizes.length - 1];
  const io = { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, sizes[0]]) }, outputs: { logits: tensorInfo(`${last}:0`, 'DT_FLOAT', [-1, out]), probabilities: tensorInfo('probabilities:0', 'DT_FLOAT', [-1, out]) } };
  return { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io }, saver: true })]), variables };
}
