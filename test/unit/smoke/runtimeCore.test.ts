// The built-in runtime's general mechanisms, each on a model the project's writer builds the way
// TensorFlow lays such models out, with the expected answer computed here by hand: attr defaults
// (a Keras-style convolution saved with stripped attrs), TF2 functional control flow, the init
// phase (tables, a variable set from an asset), a stateful read, unneeded feeds, partitioned
// variables, and the one-line reasons for what stays refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  writeSavedModelDir, savedModel, metaGraph, nodeDef, placeholder, attrType, tensorInfo, linearModel,
} from '../../../server/src/core/savedmodel/modelBuilder';
import { freezeSignature } from '../../../server/src/core/smoke/freeze/freeze';
import { buildReport, formatReport } from '../../../server/src/core/smoke/report';
import { writeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';
import { tensorSliceKey } from '../../../server/src/core/checkpoint/tensorSliceKey';
import { openModel, runBuiltin, succeeded, numbers } from './runHelpers';
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { CONV_WEIGHTS, ConvWeights, FRUITS, controlFlowModel, counterModel, initOpModel, kerasConvModel, partitionedModel, tf1WhileModel, gatherInBranchModel } from './runtimeModels';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-runtime-core-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const close = (actual: number[], expected: number[], tol: number): void => {
  assert.equal(actual.length, expected.length, `${actual} vs ${expected}`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol, `[${i}] ${v} vs ${expected[i]}`));
};

/** The Keras-style model by hand: VALID 3×3 convolution, bias, ReLU, flatten (h, w, c), dense, softmax. */
function convByHand(image: readonly number[], w: ConvWeights): number[] {
  const features: number[] = [];
  for (let oy = 0; oy < 2; oy++) {
    for (let ox = 0; ox < 2; ox++) {
      for (let c = 0; c < 2; c++) {
        let s = w.convBias[c];
        for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) s += image[(oy + ky) * 4 + ox + kx] * w.kernel[(ky * 3 + kx) * 2 + c];
        features.push(Math.max(0, s));
      }
    }
  }
  const logits = [0, 1, 2].map((j) => w.denseBias[j] + features.reduce((s, f, i) => s + f * w.dense[i * 3 + j], 0));
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

const IMAGES = [
  Array.from({ length: 16 }, (_, i) => (i % 5) / 4),
  Array.from({ length: 16 }, (_, i) => Math.sin(i) * 2),
];

for (const opDefs of [true, false]) {
  test(`Keras-style conv + dense + softmax with stripped attrs matches the hand computation (defaults from ${opDefs ? 'the meta graph\'s OpDefs' : 'the registry table'})`, async () => {
    const dir = path.join(tmp, `keras-${opDefs}`);
    writeSavedModelDir(dir, kerasConvModel(opDefs));
    const { model, signature } = openModel(dir);
    const f = freezeSignature(model, signature);
    const conv = f.artifacts.modelTopology.node.find((n) => n.op === 'Conv2D');
    assert.deepEqual(conv?.attr.dilations, { list: { i: [1, 1, 1, 1] } });
    assert.ok(f.mechanisms.some((m) => /^attr defaults filled: \d+$/.test(m)), f.mechanisms.join('; '));
    const request = JSON.stringify({ instances: IMAGES.map((img) => Array.from({ length: 4 }, (_, y) => Array.from({ length: 4 }, (__, x) => [img[y * 4 + x]]))) });
    const r = succeeded(await runBuiltin(dir, request));
    close(numbers(r, 'probabilities'), IMAGES.flatMap((img) => convByHand(img, CONV_WEIGHTS)), 1e-5);
    assert.ok(r.mechanisms?.some((m) => m.startsWith('attr defaults filled')));
  });
}

test('TF2 StatelessWhile and StatelessIf run with their library functions; a variable passed into the loop is read', async () => {
  const dir = path.join(tmp, 'control-flow');
  const w = 0.5;
  writeSavedModelDir(dir, controlFlowModel(w));
  const xs = [1, -2, 4];
  const loop = (x: number): number => [0, 1, 2].reduce((acc) => acc * w + 1, x);
  const yes = succeeded(await runBuiltin(dir, JSON.stringify({ inputs: { x: xs, c: true } })));
  close(numbers(yes, 'looped'), xs.map(loop), 1e-6);
  close(numbers(yes, 'branched'), xs.map((x) => 2 * x), 1e-6);
  const no = succeeded(await runBuiltin(dir, JSON.stringify({ inputs: { x: xs, c: false } })));
  close(numbers(no, 'branched'), xs.map((x) => -x), 1e-6);
  assert.ok(yes.mechanisms?.some((m) => /functional control flow: 4 library function/.test(m)), yes.mechanisms?.join('; '));
});

test('a TF1 while loop (a cycle closed at Merge) runs with TensorFlow.js\'s own TF1 control-flow kernels', async () => {
  const dir = path.join(tmp, 'tf1-while');
  writeSavedModelDir(dir, tf1WhileModel(10, 2));
  // The loop runs while every element is below 10, doubling all of them: [1, 3] → [2, 6] → [4, 12],
  // where 12 ends it.
  const r = succeeded(await runBuiltin(dir, '{"inputs": {"x": [1, 3]}}'));
  assert.deepEqual(numbers(r, 'y'), [4, 12]);
});

test('inside library functions, a variable argument is read (ReadVariableOp) and gathered from (ResourceGather)', async () => {
  const dir = path.join(tmp, 'gather-branch');
  const emb = [1, 2, 10, 20, 100, 200];
  writeSavedModelDir(dir, gatherInBranchModel(emb));
  const rows = succeeded(await runBuiltin(dir, JSON.stringify({ inputs: { ids: [2, 0, 2], c: true } })));
  assert.deepEqual(numbers(rows, 'rows'), [100, 200, 1, 2, 100, 200]);
  const sum = succeeded(await runBuiltin(dir, JSON.stringify({ inputs: { ids: [0], c: false } })));
  assert.deepEqual(numbers(sum, 'rows'), [111, 222]);
});

test('init phase: tables filled by LookupTableImportV2 and from a text asset, a variable set to an asset\'s path', async () => {
  const dir = path.join(tmp, 'init-op');
  writeSavedModelDir(dir, initOpModel());
  const r = succeeded(await runBuiltin(dir, JSON.stringify({ inputs: { words: ['green', 'cherry', 'apple', 'red', 'plum'] } })));
  // colors: red 1, green 2, blue 3; fruits from the asset: apple 10, banana 20, cherry 30; else -1.
  assert.deepEqual(numbers(r, 'color'), [2, -1, -1, 1, -1]);
  assert.deepEqual(numbers(r, 'fruit'), [-1, 30, 10, -1, -1]);
  const vocabulary = r.outputs.find((o) => o.key === 'vocabulary')?.values[0];
  assert.ok(vocabulary instanceof Uint8Array);
  const file = new TextDecoder().decode(vocabulary);
  assert.equal(path.resolve(file), path.join(dir, 'assets', 'fruits.txt'));
  assert.equal(fs.readFileSync(file, 'utf8'), FRUITS);
  assert.ok(r.mechanisms?.includes('init op ran: 2 tables, 1 variable from an asset'), r.mechanisms?.join('; '));
  const report = buildReport({ model: dir, warmup: 1 }, r);
  assert.deepEqual(report.mechanisms, r.mechanisms);
  assert.match(formatReport(report), /^used {9}init op ran: 2 tables, 1 variable from an asset$/m);
});

test('a stateful read returns the variable itself on every run (no "Tensor is disposed"); an unneeded input is not fed', async () => {
  const dir = path.join(tmp, 'counter');
  writeSavedModelDir(dir, counterModel(7));
  const r = succeeded(await runBuiltin(dir, '{"instances": [1, 2]}', { runs: 3 }));
  assert.deepEqual(numbers(r, 'count'), [7]);
  assert.equal(r.latenciesMs.length, 3);
  assert.ok(r.mechanisms?.includes('input(s) the outputs do not need, not fed: x'), r.mechanisms?.join('; '));
});

test('a signature that changes state runs, with a warning that each request starts from the values at load', async () => {
  const dir = path.join(tmp, 'increment');
  const spec = counterModel(7);
  const mg = (spec.model.meta_graphs as PlainMessage[])[0];
  const graph = mg.graph_def as PlainMessage;
  graph.node = [...(graph.node as PlainMessage[]),
    nodeDef('one', 'Const', [], { dtype: attrType('DT_FLOAT'), value: { tensor: { dtype: 'DT_FLOAT', tensor_shape: {}, float_val: [1] } } }),
    nodeDef('increment', 'AssignAdd', ['counter', 'one'], { T: attrType('DT_FLOAT') }),
    nodeDef('after', 'Identity', ['counter', '^increment'], { T: attrType('DT_FLOAT') })];
  ((mg.signature_def as PlainMessage).serving_default as PlainMessage).outputs = { count: tensorInfo('after:0', 'DT_FLOAT', []) };
  writeSavedModelDir(dir, spec);
  const r = succeeded(await runBuiltin(dir, '{"instances": [1]}'));
  assert.deepEqual(numbers(r, 'count'), [7]);
  assert.ok(r.warnings.some((w) => /^the signature changes state \(AssignAdd increment\): the built-in runtime answers every request from the values at load/.test(w)), r.warnings.join('; '));
});

test('tf-AssetModule: the variable the init op sets to the asset\'s path, and ReadFile of it, become the asset\'s contents', { skip: corpusMissing() }, () => {
  // generate_saved_models.py's AssetModule: read_file(self.asset), the asset being test_asset.txt.
  const dir = path.join(CORPUS_DIR, 'tf-AssetModule');
  const { model, signature } = openModel(dir);
  const f = freezeSignature(model, signature);
  assert.deepEqual(f.unsupportedOps, []);
  assert.ok(f.mechanisms.includes('init op ran: 1 variable from an asset'), f.mechanisms.join('; '));
  const [spec] = f.artifacts.weightSpecs;
  assert.equal(spec.dtype, 'string');
  const contents = fs.readFileSync(path.join(dir, 'assets', 'test_asset.txt'));
  const stored = Buffer.from(f.artifacts.weightData);
  assert.equal(stored.readUInt32LE(0), contents.length);
  assert.deepEqual(stored.subarray(4), contents);
});

test('Estimator partitioned variables: parts read from the checkpoint\'s slices, a sliced variable assembled whole', async () => {
  const dir = path.join(tmp, 'partitioned');
  const kernel = [1, 2, 3, 4, 5, 6]; // [3, 2]
  const bias = [0.5, -1];
  writeSavedModelDir(dir, partitionedModel(kernel, bias));
  const xs = [[1, 0, 0], [0, 1, 2], [-1, 0.5, 3]];
  const r = succeeded(await runBuiltin(dir, JSON.stringify({ instances: xs })));
  const expected = xs.flatMap((x) => [0, 1].map((j) => bias[j] + x.reduce((s, xi, i) => s + xi * kernel[i * 2 + j], 0)));
  close(numbers(r, 'y'), expected, 1e-6);
  assert.ok(r.mechanisms?.includes('partitioned variables read from checkpoint slices: 2'), r.mechanisms?.join('; '));
});

test('the wasm backend gives the same answers: conv with filled defaults, control flow, tables, partitioned variables', async () => {
  const cases: Array<[string, DirectoryModel, string, string]> = [
    ['keras', kerasConvModel(true), JSON.stringify({ instances: [Array.from({ length: 4 }, (_, y) => Array.from({ length: 4 }, (__, x) => [IMAGES[1][y * 4 + x]]))] }), 'probabilities'],
    ['flow', controlFlowModel(0.5), JSON.stringify({ inputs: { x: [1, -2], c: true } }), 'looped'],
    ['tables', initOpModel(), JSON.stringify({ inputs: { words: ['blue', 'banana'] } }), 'fruit'],
    ['parts', partitionedModel([1, 2, 3, 4, 5, 6], [0, 1]), '{"instances": [[1, 2, 3]]}', 'y'],
  ];
  for (const [name, spec, request, output] of cases) {
    const dir = path.join(tmp, `wasm-${name}`);
    writeSavedModelDir(dir, spec);
    const cpu = numbers(succeeded(await runBuiltin(dir, request, { backend: 'cpu' })), output);
    const wasm = succeeded(await runBuiltin(dir, request, { backend: 'wasm' }));
    assert.equal(wasm.device.backend, 'wasm');
    close(numbers(wasm, output), cpu, 1e-6);
  }
});

test('a V1 checkpoint in shards (variables-00000-of-00001) is read like the single file', { skip: corpusMissing() }, async () => {
  const from = path.join(CORPUS_DIR, 'tf-legacy2016_half_plus_two_v1ckpt');
  const dir = path.join(tmp, 'v1-sharded');
  fs.mkdirSync(path.join(dir, 'variables'), { recursive: true });
  fs.copyFileSync(path.join(from, 'saved_model.pb'), path.join(dir, 'saved_model.pb'));
  fs.copyFileSync(path.join(from, 'variables', 'variables'), path.join(dir, 'variables', 'variables-00000-of-00001'));
  // The 2016 half_plus_two: y = 0.5x + 2.
  const r = succeeded(await runBuiltin(dir, '{"instances": [4, -2]}', { signature: 'regression' }));
  close(numbers(r, 'output'), [4, 1], 1e-6);
});

test('slice keys follow TensorFlow\'s OrderedCode (EncodeTensorNameSlice), worked out by hand', () => {
  // NumIncreasing(0) = 00; "w" then 00 01; NumIncreasing(2) = 01 02; starts/lengths as
  // SignedNumIncreasing: 0 → 80, 2 → 82, -1 (whole dimension) → 7f, 100 → c0 64 (two bytes).
  assert.deepEqual([...tensorSliceKey('w', [{ start: 0, length: 2 }, { start: 0 }])], [0x00, 0x77, 0x00, 0x01, 0x01, 0x02, 0x80, 0x82, 0x80, 0x7f]);
  assert.deepEqual([...tensorSliceKey('w', [{ start: 100, length: 1 }])], [0x00, 0x77, 0x00, 0x01, 0x01, 0x01, 0xc0, 0x64, 0x81]);
  // A scalar's key, as the 2016 V1 checkpoint of the corpus stores variable "a": 00 'a' 00 01 00.
  assert.deepEqual([...tensorSliceKey('a', [])], [0x00, 0x61, 0x00, 0x01, 0x00]);
});

test('refusals say why in one line: sparse inputs, a missing variable shard, TF-DF, TensorRT without a fallback', async () => {
  const F = attrType('DT_FLOAT');
  const refused = (dir: string): string => {
    const { model, signature } = openModel(dir);
    try {
      const f = freezeSignature(model, signature);
      return f.unsupportedOps.map((u) => `${u.op}: ${u.reason ?? ''}`).join('; ');
    } catch (e) {
      return (e as Error).message;
    }
  };
  const sparse = path.join(tmp, 'sparse');
  const coo = { coo_sparse: { values_tensor_name: 'v:0', indices_tensor_name: 'i:0', dense_shape_tensor_name: 's:0' }, dtype: 'DT_FLOAT' };
  writeSavedModelDir(sparse, { model: savedModel([metaGraph({ tags: ['serve'], nodes: [placeholder('v', 'DT_FLOAT', [-1]), nodeDef('y', 'Identity', ['v'], { T: F })], signatures: { serving_default: { inputs: { ids: coo }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1]) } } } })]) });
  assert.equal(refused(sparse), 'signature input \'ids\' is a sparse (COO) tensor, which the prediction service\'s JSON cannot carry');

  const shards = path.join(tmp, 'missing-shard');
  const linear = linearModel(2, 1);
  writeSavedModelDir(shards, { model: linear.model });
  writeCheckpoint(path.join(shards, 'variables'), linear.variables ?? [], { numShards: 2 });
  fs.rmSync(path.join(shards, 'variables', 'variables.data-00001-of-00002'));
  assert.match(refused(shards), /^variable b is stored in variables\.data-00001-of-00002, which is missing from variables\/ \(a missing variable shard\)$/);

  const tfdf = path.join(tmp, 'tfdf');
  writeSavedModelDir(tfdf, { model: savedModel([metaGraph({ tags: ['serve'], nodes: [placeholder('x', 'DT_FLOAT', [-1, 4]), nodeDef('forest', 'SimpleMLInferenceOpWithHandle', ['x'], {})], signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 4]) }, outputs: { p: tensorInfo('forest:0', 'DT_FLOAT', [-1]) } } } })]) });
  assert.equal(refused(tfdf), 'SimpleMLInferenceOpWithHandle: a TensorFlow Decision Forests (TF-DF) op: the forest runs in TF-DF\'s own inference engine');

  const trt = path.join(tmp, 'trt');
  const engine = (segment: boolean): DirectoryModel => trtModel(segment);
  writeSavedModelDir(trt, engine(false));
  assert.equal(refused(trt), 'TRTEngineOp: a TensorRT engine without its segment_func fallback in the graph\'s library');
  const trtFallback = path.join(tmp, 'trt-fallback');
  writeSavedModelDir(trtFallback, engine(true));
  const r = succeeded(await runBuiltin(trtFallback, '{"instances": [1.5, -2]}'));
  assert.deepEqual(numbers(r, 'y'), [3, -4]);
  assert.ok(r.mechanisms?.includes('TensorRT engines run as their segment_func fallback: 1'), r.mechanisms?.join('; '));
});

type DirectoryModel = Parameters<typeof writeSavedModelDir>[1];

/** A TF-TRT conversion: TRTEngineOp whose segment_func (x + x) is the original subgraph, or none. */
function trtModel(withSegment: boolean): DirectoryModel {
  const F = attrType('DT_FLOAT');
  const segment = {
    signature: { name: 'TRTEngineOp_000_native_segment', input_arg: [{ name: 'x', type: 'DT_FLOAT' }], output_arg: [{ name: 'y', type: 'DT_FLOAT' }] },
    node_def: [nodeDef('add', 'AddV2', ['x', 'x'], { T: F })],
    ret: { y: 'add:z:0' },
  };
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1]),
    nodeDef('TRTEngineOp_000', 'TRTEngineOp', ['x'], { InT: { list: { type: ['DT_FLOAT'] } }, OutT: { list: { type: ['DT_FLOAT'] } }, segment_func: { func: { name: 'TRTEngineOp_000_native_segment' } }, serialized_segment: { s: new Uint8Array(0) } }),
  ];
  const mg = metaGraph({ tags: ['serve'], nodes, functions: withSegment ? [segment] : [], signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1]) }, outputs: { y: tensorInfo('TRTEngineOp_000:0', 'DT_FLOAT', [-1]) } } } });
  return { model: savedModel([mg]) };
}


