// Models for scripts/gpu-smoke.sh, written with the project's own writer (TF1-style graphs whose
// weights are checkpoint variables, seeded): a small convolutional image classifier (Conv2D,
// BiasAdd, Relu, MaxPool, Reshape, MatMul, Softmax: the ops of a Keras CNN) and a wider dense
// network, big enough that batch 32 is real work for a GPU. Their answers are not known in
// advance: the script compares the webgpu backend with the cpu backend on the same request.
// Usage: node --import tsx scripts/gpuSmokeModels.ts <out-dir>
import * as path from 'node:path';
import { PlainMessage } from '../server/src/core/protobuf';
import {
  DirectorySpec, VariableSpec, attrType, constNode, float32Bytes, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo, writeSavedModelDir,
} from '../server/src/core/savedmodel/modelBuilder';

const F = attrType('DT_FLOAT');
const ints = (values: number[]): PlainMessage => ({ list: { i: values } });
const text = (s: string): PlainMessage => ({ s: new TextEncoder().encode(s) });

/** A graph under construction: nodes, checkpoint variables and a seeded generator for weights. */
class Graph {
  readonly nodes: PlainMessage[] = [];
  readonly variables: VariableSpec[] = [];
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A VariableV2 (+ its Identity read) whose value is in the checkpoint; returns the read's name. */
  variable(name: string, shape: number[], scale: number): string {
    const count = shape.reduce((a, b) => a * b, 1);
    this.nodes.push(nodeDef(name, 'VariableV2', [], { dtype: F, shape: { shape: shapeProto(shape) } }), nodeDef(`${name}/read`, 'Identity', [name], { T: F }));
    this.variables.push({ name, dtype: 'float32', shape, data: float32Bytes(Array.from({ length: count }, () => this.random() * scale)) });
    return `${name}/read`;
  }

  add(node: PlainMessage): string {
    this.nodes.push(node);
    return String(node.name);
  }

  private random(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32 - 0.5;
  }
}

function conv(g: Graph, name: string, input: string, [kh, kw, cin, cout]: number[], stride: number): string {
  const kernel = g.variable(`${name}/kernel`, [kh, kw, cin, cout], 2 / Math.sqrt(kh * kw * cin));
  const bias = g.variable(`${name}/bias`, [cout], 0.1);
  // Every attr written out, as TensorFlow does without strip_default_attrs.
  const c = g.add(nodeDef(`${name}/Conv2D`, 'Conv2D', [input, kernel], {
    T: F, strides: ints([1, stride, stride, 1]), padding: text('SAME'), data_format: text('NHWC'),
    dilations: ints([1, 1, 1, 1]), use_cudnn_on_gpu: { b: true }, explicit_paddings: ints([]),
  }));
  const b = g.add(nodeDef(`${name}/BiasAdd`, 'BiasAdd', [c, bias], { T: F, data_format: text('NHWC') }));
  return g.add(nodeDef(`${name}/Relu`, 'Relu', [b], { T: F }));
}

function dense(g: Graph, name: string, input: string, n: number, m: number): string {
  const kernel = g.variable(`${name}/kernel`, [n, m], 2 / Math.sqrt(n));
  const bias = g.variable(`${name}/bias`, [m], 0.1);
  const mm = g.add(nodeDef(`${name}/MatMul`, 'MatMul', [input, kernel], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }));
  return g.add(nodeDef(`${name}/BiasAdd`, 'BiasAdd', [mm, bias], { T: F, data_format: text('NHWC') }));
}

function classifier(g: Graph, logits: string, inputShape: number[], classes: number): DirectorySpec {
  const probabilities = g.add(nodeDef('probabilities', 'Softmax', [logits], { T: F }));
  const io = {
    inputs: { image: tensorInfo('image:0', 'DT_FLOAT', inputShape) },
    outputs: { logits: tensorInfo(`${logits}:0`, 'DT_FLOAT', [-1, classes]), probabilities: tensorInfo(`${probabilities}:0`, 'DT_FLOAT', [-1, classes]) },
  };
  return { model: savedModel([metaGraph({ tags: ['serve'], nodes: g.nodes, signatures: { serving_default: io }, saver: true })]), variables: g.variables };
}

/** 32×32 RGB → conv 3×3×16 → conv 3×3×32 stride 2 → max pool 2×2 → dense 10 → softmax. */
export function convModel(seed = 7): DirectorySpec {
  const g = new Graph(seed);
  g.add(placeholder('image', 'DT_FLOAT', [-1, 32, 32, 3]));
  const c1 = conv(g, 'conv1', 'image', [3, 3, 3, 16], 1);
  const c2 = conv(g, 'conv2', c1, [3, 3, 16, 32], 2);
  const pool = g.add(nodeDef('pool/MaxPool', 'MaxPool', [c2], { T: F, ksize: ints([1, 2, 2, 1]), strides: ints([1, 2, 2, 1]), padding: text('VALID'), data_format: text('NHWC') }));
  g.add(constNode('flatten/shape', 'DT_INT32', [2], new Uint8Array(Int32Array.from([-1, 8 * 8 * 32]).buffer)));
  const flat = g.add(nodeDef('flatten/Reshape', 'Reshape', [pool, 'flatten/shape'], { T: F, Tshape: attrType('DT_INT32') }));
  return classifier(g, dense(g, 'dense', flat, 8 * 8 * 32, 10), [-1, 32, 32, 3], 10);
}

/** A dense network of 256 → 1024 → 1024 → 1000 (about 2.3 M weights, 9 MB). */
export function denseModel(seed = 11): DirectorySpec {
  const g = new Graph(seed);
  g.add(placeholder('image', 'DT_FLOAT', [-1, 256]));
  let last = 'image';
  const sizes = [256, 1024, 1024, 1000];
  for (let l = 0; l + 1 < sizes.length; l++) {
    last = dense(g, `dense${l}`, last, sizes[l], sizes[l + 1]);
    if (l + 2 < sizes.length) last = g.add(nodeDef(`dense${l}/Relu`, 'Relu', [last], { T: F }));
  }
  return classifier(g, last, [-1, 256], 1000);
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node --import tsx scripts/gpuSmokeModels.ts <out-dir>');
    process.exit(2);
  }
  writeSavedModelDir(path.join(out, 'conv_classifier'), convModel());
  writeSavedModelDir(path.join(out, 'dense_classifier'), denseModel());
  console.log(`wrote ${path.join(out, 'conv_classifier')}, ${path.join(out, 'dense_classifier')}`);
}
