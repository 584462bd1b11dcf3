// Synthetic SavedModels of the shapes real ones have, written with the project's own writer:
// tensor-heavy graphs (frozen weights as Const tensor_content) and one graph of ~300k small nodes
// where per-message cost dominates.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlainMessage } from '../server/src/core/protobuf/plainMessage';
import { mulberry32 } from '../server/src/core/prng';
import { encodeSavedModel, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo, attrType } from '../server/src/core/savedmodel/modelBuilder';
import { encodePlain } from '../server/src/core/protobuf/plainEncoder';
import { ByteWriter } from '../server/src/core/protobuf/byteWriter';
import { loadSchema } from '../server/src/core/protobuf/schema';

/** Deterministic pseudo-random float32 weights in [-0.1, 0.1), so runs compare like with like. */
function weights(count: number, seed: number): Uint8Array {
  const out = new Float32Array(count);
  const random = mulberry32(seed);
  for (let i = 0; i < count; i++) out[i] = (random() - 0.5) * 0.2;
  return new Uint8Array(out.buffer);
}

function denseLayer(i: number, input: string, width: number, out: PlainMessage[]): string {
  return denseLayerWith(i, input, width, weights(width * width, i + 1), out);
}

function denseLayerWith(i: number, input: string, width: number, content: Uint8Array, out: PlainMessage[]): string {
  const w = `dense_${i}/kernel`;
  out.push(nodeDef(w, 'Const', [], {
    dtype: attrType('DT_FLOAT'),
    value: { tensor: { dtype: 'DT_FLOAT', tensor_shape: shapeProto([width, width]), tensor_content: content } },
  }));
  out.push(nodeDef(`dense_${i}/MatMul`, 'MatMul', [input, w], { T: attrType('DT_FLOAT'), transpose_a: { b: false }, transpose_b: { b: false } }));
  out.push(nodeDef(`dense_${i}/Relu`, 'Relu', [`dense_${i}/MatMul`], { T: attrType('DT_FLOAT') }));
  return `dense_${i}/Relu`;
}

/** A frozen MLP whose weights add up to about `megabytes` MB. */
export function tensorHeavy(megabytes: number): Uint8Array {
  const width = 512; // 1 MiB of float32 per layer
  const layers = Math.max(1, Math.round((megabytes * 1e6) / (width * width * 4)));
  const nodes: PlainMessage[] = [placeholder('x', 'DT_FLOAT', [-1, width])];
  let last = 'x';
  for (let i = 0; i < layers; i++) last = denseLayer(i, last, width, nodes);
  nodes.push(nodeDef('y', 'Identity', [last], { T: attrType('DT_FLOAT') }));
  return encodeSavedModel(savedModel([metaGraph({
    tags: ['serve'], nodes,
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, width]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, width]) } } },
  })]));
}

/** ~300k small nodes (~50 MB): element-wise ops with the attrs TensorFlow writes on each. */
export function manyNodes(count: number): Uint8Array {
  const nodes: PlainMessage[] = [placeholder('input', 'DT_FLOAT', [-1, 128])];
  const ops = ['AddV2', 'Mul', 'Relu', 'Identity', 'Sub', 'Tanh'];
  for (let i = 1; i < count; i++) {
    const op = ops[i % ops.length];
    const a = `block_${Math.floor((i - 1) / 100)}/layer_${(i - 1) % 100}/${ops[(i - 1) % ops.length]}`;
    const name = `block_${Math.floor(i / 100)}/layer_${i % 100}/${op}`;
    const inputs = i === 1 ? ['input'] : op === 'Relu' || op === 'Identity' || op === 'Tanh' ? [a] : [a, 'input'];
    const node = nodeDef(name, op, inputs, {
      T: attrType('DT_FLOAT'),
      _output_shapes: { list: { shape: [shapeProto([-1, 128])] } },
      use_locking: { b: false },
    });
    node.device = '/job:localhost/replica:0/task:0/device:CPU:0';
    nodes.push(node);
  }
  const last = nodes[nodes.length - 1].name as string;
  return encodeSavedModel(savedModel([metaGraph({
    tags: ['serve'], nodes,
    signatures: { serving_default: { inputs: { x: tensorInfo('input:0', 'DT_FLOAT', [-1, 128]) }, outputs: { y: tensorInfo(`${last}:0`, 'DT_FLOAT', [-1, 128]) } } },
  })]));
}

/**
 * The tensor-heavy model written straight to a file, node by node, so that a model near protobuf's
 * 2 GB limit is made without holding it (or its weights) in memory twice. Same graph as tensorHeavy.
 */
export function writeTensorHeavy(file: string, megabytes: number): void {
  const schema = loadSchema();
  const nodeType = schema.message('tensorflow.NodeDef');
  const width = 512;
  const layers = Math.max(1, Math.round((megabytes * 1e6) / (width * width * 4)));
  const zeros = new Uint8Array(width * width * 4);
  const layerNodes = (i: number, input: string, w: Uint8Array): PlainMessage[] => {
    const out: PlainMessage[] = [];
    denseLayerWith(i, input, width, w, out);
    return out;
  };
  const head = [placeholder('x', 'DT_FLOAT', [-1, width])];
  const tail = (last: string): PlainMessage[] => [nodeDef('y', 'Identity', [last], { T: attrType('DT_FLOAT') })];
  const field = (payload: Uint8Array): Uint8Array => {
    const w = new ByteWriter(payload.length + 8);
    w.tag(1, 2); // GraphDef.node
    w.lengthDelimited(payload);
    return w.bytes();
  };
  // Sizes first (weights do not change a node's size), then the bytes.
  let graphLen = 0;
  let last = 'x';
  for (const n of head) graphLen += field(encodePlain(n, nodeType)).length;
  for (let i = 0; i < layers; i++) {
    for (const n of layerNodes(i, last, zeros)) graphLen += field(encodePlain(n, nodeType)).length;
    last = `dense_${i}/Relu`;
  }
  for (const n of tail(last)) graphLen += field(encodePlain(n, nodeType)).length;
  const versions = encodePlain({ versions: { producer: 1645 } }, schema.message('tensorflow.GraphDef'));
  graphLen += versions.length;
  const mg = metaGraph({
    tags: ['serve'], nodes: [],
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, width]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, width]) } } },
  });
  delete mg.graph_def;
  const rest = encodePlain(mg, schema.message('tensorflow.MetaGraphDef'));
  const graphHeader = new ByteWriter(16);
  graphHeader.tag(2, 2); // MetaGraphDef.graph_def
  graphHeader.varint(graphLen);
  const mgLen = rest.length + graphHeader.bytes().length + graphLen;
  const top = new ByteWriter(32);
  top.tag(1, 0); // saved_model_schema_version
  top.varint(1);
  top.tag(2, 2); // meta_graphs
  top.varint(mgLen);
  const fd = fs.openSync(file, 'w');
  try {
    const write = (b: Uint8Array): void => {
      for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off);
    };
    write(top.bytes());
    write(rest);
    write(graphHeader.bytes());
    for (const n of head) write(field(encodePlain(n, nodeType)));
    last = 'x';
    for (let i = 0; i < layers; i++) {
      for (const n of layerNodes(i, last, weights(width * width, i + 1))) write(field(encodePlain(n, nodeType)));
      last = `dense_${i}/Relu`;
    }
    for (const n of tail(last)) write(field(encodePlain(n, nodeType)));
    write(versions);
  } finally {
    fs.closeSync(fd);
  }
}

export interface BenchFile {
  name: string;
  file: string;
}

/** Write the benchmark inputs (reused when already there) and return them. */
export function generateAll(dir: string, sizes: readonly number[], nodeCount: number): BenchFile[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: BenchFile[] = [];
  const make = (name: string, build: () => Uint8Array): void => {
    const folder = path.join(dir, name);
    const file = path.join(folder, 'saved_model.pb');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(file, build());
    }
    out.push({ name, file });
  };
  for (const mb of sizes) make(`tensors_${mb}mb`, () => tensorHeavy(mb));
  make(`graph_${Math.round(nodeCount / 1000)}k_nodes`, () => manyNodes(nodeCount));
  return out;
}

/** The near-2 GB model (opt-in: BENCH_BIG_MB), written once and kept. */
export function generateBig(dir: string, megabytes: number): BenchFile {
  const name = `tensors_${megabytes}mb`;
  const file = path.join(dir, name, 'saved_model.pb');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeTensorHeavy(`${file}.partial`, megabytes);
    fs.renameSync(`${file}.partial`, file);
  }
  return { name, file };
}

if (require.main === module) {
  const dir = process.argv[2] ?? path.join(__dirname, '..', '.cache', 'bench');
  for (const f of generateAll(dir, [1, 10, 100, 400], 300_000)) console.log(`${f.name}: ${(fs.statSync(f.file).size / 1e6).toFixed(1)} MB`);
}
