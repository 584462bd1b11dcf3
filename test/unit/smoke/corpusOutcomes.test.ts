// Every model of ../shared/corpus through the built-in runtime, as `smoke` runs it (a request
// synthesized from the signature, the cpu backend): each either runs, with finite outputs of the
// signature's dtypes and shapes, or is refused with its one-line reason. Where the model's
// generator script defines the answer, a second run asserts it:
// - TF Serving's and TensorFlow's half_plus_two (saved_model_half_plus_two.py): a = 0.5, b = 2,
//   c = 3; y = a·x + b; regress_x2_to_y3: y3 = a·x2 + c;
// - the 2016 half_plus_two (V1 checkpoint): y = a·x + b with a = 0.5, b = 2;
// - tf-StaticHashTableModule: a table from its asset, key the whole line, value the line number;
// - tfjs-node's test objects: times three, times two, x·2 and y, x·2 and x, ×3 / ×2, uint8 ×6;
// - tf-x_plus_y_v2_debuginfo: x + y.
// The two TFX taxi models take serialized tf.Examples (parsed on the host, see example/); their
// weights come from training, so only shapes, dtypes and finiteness are checked. Models whose answer no script here defines are checked for shapes, dtypes and finiteness only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';
import { runSmokeTest } from '../../../server/src/core/smoke/runSmoke';
import { SmokeReport } from '../../../server/src/core/smoke/report';
import { smokeModel, pickSignature } from '../../../server/src/core/smoke/smokeModel';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { ROOT, runBuiltin, succeeded, numbers } from './runHelpers';

type Outcome =
  | { readonly ran: true; readonly answer?: (dir: string) => Promise<void> }
  | { readonly ran: false; readonly reason: RegExp };

const halfPlusTwo = (signature = 'serving_default', output = 'y', plus = 2) => async (dir: string): Promise<void> => {
  const xs = [0, 1, 2.5, -7];
  const r = succeeded(await runBuiltin(dir, JSON.stringify({ instances: xs.map((x) => [x]) }), { signature }));
  close(numbers(r, output), xs.map((x) => 0.5 * x + plus));
};

const close = (actual: number[], expected: number[], tol = 1e-6): void => {
  assert.equal(actual.length, expected.length, `${actual} vs ${expected}`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol, `[${i}] ${v} vs ${expected[i]}`));
};

const scalar = (request: object, output: string, expected: number[], signature?: string) => async (dir: string): Promise<void> => {
  const r = succeeded(await runBuiltin(dir, JSON.stringify(request), signature ? { signature } : {}));
  close(numbers(r, output), expected);
};

/** The corpus, model by model: what the built-in runtime does with its default signature. */
const EXPECTED: Readonly<Record<string, Outcome>> = {
  'examples-saved_model_v2_mini': { ran: true },
  'serving-half_plus_two_2_versions': { ran: true, answer: halfPlusTwo() },
  'serving-half_plus_two_cpu': { ran: true, answer: halfPlusTwo() },
  'serving-half_plus_two_cpu_with_saved_model_config': { ran: true, answer: halfPlusTwo() },
  'serving-half_plus_two_regress_only': { ran: true, answer: halfPlusTwo('regress_x2_to_y3', 'outputs', 3) },
  'serving-half_plus_two_tf2_cpu': { ran: true, answer: scalar({ instances: [3] }, 'y', [3.5]) },
  'text-segmenter_hub_module': { ran: false, reason: /TokenizerFromLogits \(1 node, e\.g\. TokenizerFromLogits\/TokenizerFromLogits\): a TensorFlow Text \(tensorflow_text\) op/ },
  'tf-AssetModule': {
    ran: true,
    answer: async (dir) => {
      // generate_saved_models.py's AssetModule: serving_default returns read_file(asset) of test_asset.txt.
      const r = succeeded(await runBuiltin(dir, '{"instances": [{}]}'));
      const asset = fs.readFileSync(path.join(dir, 'assets', 'test_asset.txt'));
      assert.deepEqual(r.outputs.map((o) => Buffer.from(o.values[0] as Uint8Array)), [asset]);
      assert.ok(r.warnings.some((w) => /model's own assets were computed on the host/.test(w)), r.warnings.join('; '));
    },
  },
  'tf-CyclicModule': { ran: false, reason: /^this model has no signatures/ },
  'tf-StaticHashTableModule': {
    ran: true,
    answer: async (dir) => {
      // The file's lines end in \r\n; TensorFlow's ReadLine drops both.
      const words = fs.readFileSync(path.join(dir, 'assets', 'static_hashtable_asset.txt'), 'utf8').split(/\r?\n/).filter((w) => w);
      const r = succeeded(await runBuiltin(dir, JSON.stringify({ instances: words })));
      assert.deepEqual(numbers(r, 'output_0'), words.map((_, i) => i));
      assert.ok(r.mechanisms?.includes('init op ran: 1 table'), r.mechanisms?.join('; '));
    },
  },
  'tf-VarsAndArithmeticObjectGraph': { ran: true },
  'tf-bert1_graph_only': { ran: false, reason: /graph-only export: the signature reads variables, and the model has no variables\/ folder/ },
  'tf-fuzz_const_with_no_value': { ran: false, reason: /Const node Assign\/value has no value: TensorFlow's loader refuses this model too/ },
  'tf-half_plus_two': { ran: true, answer: halfPlusTwo() },
  'tf-half_plus_two_main_op': { ran: true, answer: halfPlusTwo() },
  'tf-half_plus_two_pbtxt': { ran: true, answer: halfPlusTwo() },
  'tf-half_plus_two_v2': { ran: true, answer: halfPlusTwo() },
  'tf-legacy2016_half_plus_two_v1ckpt': {
    ran: true,
    answer: async (dir) => {
      const r = succeeded(await runBuiltin(dir, '{"instances": [0, 1, -4, 10]}', { signature: 'regression' }));
      close(numbers(r, 'output'), [2, 2.5, 0, 7]);
      assert.ok(r.mechanisms?.includes('variables read from a V1 (TensorSlice) checkpoint'), r.mechanisms?.join('; '));
    },
  },
  'tf-non_chunked_model': { ran: true },
  'tf-x_plus_y_v2_debuginfo': { ran: true, answer: scalar({ instances: [{ x: 1.5, y: 2.25 }] }, 'output_0', [3.75]) },
  'tfjs-int64_multiply': { ran: true },
  'tfjs-model_multi_output': { ran: true, answer: scalar({ instances: [{ x: 3, y: 7 }] }, 'output_1', [7]) },
  'tfjs-model_single_input_multi_output': { ran: true, answer: scalar({ instances: [5] }, 'output_0', [10]) },
  'tfjs-module_with_multiple_signatures': { ran: true, answer: scalar({ instances: [4] }, 'output_0', [8], 'timestwo') },
  'tfjs-times_three_float': { ran: true, answer: scalar({ instances: [2.5] }, 'output_0', [7.5]) },
  'tfjs-times_two_int': { ran: true, answer: scalar({ instances: [21] }, 'output_0', [42]) },
  'tfjs-uint8_multiply': { ran: true, answer: scalar({ instances: [7] }, 'output_0', [42]) },
  'tfx-taxi_estimator_serving': { ran: true },
  'tfx-taxi_keras_serving': { ran: true },
};

const WORKER = { file: path.join(ROOT, 'server', 'src', 'core', 'smoke', 'runtime', 'builtinWorker.ts'), execArgv: ['--import', 'tsx'] };

async function smoke(dir: string, backend: 'cpu' | 'wasm' = 'cpu'): Promise<SmokeReport> {
  const loaded = loadModel(dir);
  if (!loaded.ok) assert.fail(loaded.reason);
  return runSmokeTest(loaded.model, { batch: 2, runs: 1, warmup: 0, runtime: 'builtin', device: 'cpu', backend, worker: WORKER, seed: 7 });
}

/** The numbers of a prediction response, in order (strings are compared as they are). */
function leaves(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.flatMap(leaves);
  if (v !== null && typeof v === 'object') return Object.keys(v).sort().flatMap((k) => leaves((v as Record<string, unknown>)[k]));
  return [v];
}

function sameAnswer(cpu: SmokeReport, wasm: SmokeReport): void {
  const [a, b] = [leaves(cpu.response), leaves(wasm.response)];
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') assert.ok(Math.abs(x - y) <= 1e-4 * Math.max(1, Math.abs(x)), `[${i}] cpu ${x} wasm ${y}`);
    else assert.deepEqual(y, x);
  });
}

/** Outputs of the signature's dtypes, of its shapes (a -1 dimension matches any size), all finite. */
function checkRan(dir: string, r: SmokeReport): void {
  assert.equal(r.status, 'ok', `${r.error?.message ?? ''} ${r.problems.join('; ')}`);
  const loaded = loadModel(dir);
  if (!loaded.ok) assert.fail(loaded.reason);
  const model = smokeModel(loaded.model);
  if (typeof model === 'string') assert.fail(model);
  const signature = pickSignature(model, r.signature);
  if (typeof signature === 'string') assert.fail(signature);
  for (const spec of signature.outputs) {
    const o = r.outputs?.find((x) => x.key === spec.key);
    assert.ok(o, `output ${spec.key}`);
    assert.equal(o.dtype, spec.dtype, spec.key);
    assert.equal(o.nan + o.infinite, 0, spec.key);
    const dims = spec.shape.dims;
    if (dims) assert.ok(dims.length === o.shape.length && dims.every((d, i) => d < 0 || d === o.shape[i]), `${spec.key}: [${o.shape}] vs [${dims}]`);
  }
}

test('the expectations list every corpus model', { skip: corpusMissing() }, () => {
  const models = fs.readdirSync(CORPUS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  assert.deepEqual(Object.keys(EXPECTED).sort(), models);
});

for (const [name, outcome] of Object.entries(EXPECTED)) {
  test(`corpus ${name}: ${outcome.ran ? 'runs' : 'is refused in one line'}`, { skip: corpusMissing() }, async () => {
    const dir = path.join(CORPUS_DIR, name);
    const r = await smoke(dir);
    if (!outcome.ran) {
      assert.equal(r.status, 'failed');
      const message = r.error?.message ?? '';
      assert.match(message, outcome.reason);
      assert.ok(!message.includes('\n'), `one line: ${message}`);
      return;
    }
    checkRan(dir, r);
    if (outcome.answer) await outcome.answer(dir);
    else sameAnswer(r, await smoke(dir, 'wasm'));
  });
}
