// The TensorFlow runtime up to the process boundary. TensorFlow for Python cannot be installed on
// these machines, so its own answers are never faked: a fake `python` that is NOT TensorFlow
// (python3 -S: no site-packages, so `import tensorflow` fails anywhere) checks the arguments and
// the request file smoke_tf.py gets, that `auto` falls back to the built-in runtime, and that
// failures come back as errors. The real run is a test that skips where TensorFlow is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { linearModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { TensorflowRuntime, probePython, smokeScript } from '../../../server/src/core/smoke/runtime/tensorflowRuntime';
import { chooseRuntime } from '../../../server/src/core/smoke/runtime/chooseRuntime';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { openModel } from './runHelpers';
import { parseRequestText, validateRequest } from '../../../server/src/core/smoke/request/request';
import { HostTensor } from '../../../server/src/core/smoke/request/hostTensor';

const python3 = spawnSync('python3', ['--version']).status === 0;
const noPython = python3 ? undefined : 'skipped: python3 is not installed on this machine';
const tensorflowMissing = !python3 || spawnSync('python3', ['-c', 'import tensorflow'], { stdio: 'ignore' }).status !== 0;
const noTensorflow = tensorflowMissing ? 'skipped: TensorFlow for Python is not installed on this machine' : undefined;

let tmp = '';
let fakePython = '';
let log = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-tf-'));
  log = path.join(tmp, 'calls.log');
  fakePython = path.join(tmp, 'python');
  // Records its arguments and the request file it is given, then runs the real smoke_tf.py in a
  // Python without site-packages.
  fs.writeFileSync(fakePython, `#!/bin/sh
printf '%s\\n' "$@" >> "${log}"
prev=""
for a in "$@"; do
  if [ "$prev" = "--request" ]; then cp "$a" "${log}.request.json"; fi
  prev="$a"
done
exec python3 -S "$@"
`, { mode: 0o755 });
  writeSavedModelDir(path.join(tmp, 'linear'), linearModel(0.5, 3));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function inputs(dir: string, body: string): { model: ReturnType<typeof openModel>; feeds: Record<string, HostTensor> } {
  const model = openModel(dir);
  const parsed = parseRequestText(body);
  if (!parsed.ok) assert.fail(parsed.error);
  const r = validateRequest(parsed.value, model.signature);
  if (!r.ok) assert.fail(r.error);
  return { model, feeds: { ...r.value.inputs } };
}

test('smoke_tf.py ships with the extension and answers probe in JSON', { skip: noPython }, async () => {
  assert.ok(fs.existsSync(smokeScript()), smokeScript());
  const p = await probePython('python3');
  assert.match(p.tensorflow ?? p.error ?? '', /\S/);
  if (tensorflowMissing) assert.match(p.error ?? '', /tensorflow/i);
});

test('auto picks the built-in runtime when the interpreter cannot import TensorFlow', { skip: noPython }, async () => {
  fs.rmSync(log, { force: true });
  const chosen = await chooseRuntime('auto', { python: fakePython });
  assert.equal(chosen.runtime.kind, 'builtin');
  assert.match(chosen.note ?? '', /not importable by .*python.*No module named 'tensorflow'/);
  const args = fs.readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(path.basename(args[0]), 'smoke_tf.py');
  assert.equal(args[1], 'probe');
});

test('a TensorFlow run gets the model, signature and request over the protocol, and reports no TensorFlow', { skip: noPython }, async () => {
  fs.rmSync(log, { force: true });
  const dir = path.join(tmp, 'linear');
  const { model, feeds } = inputs(dir, '{"instances": [[1.5], [-2]]}');
  const r = await new TensorflowRuntime(fakePython).run(model.model, model.signature, feeds, { runs: 3, warmup: 1, device: 'gpu' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.kind, 'no-tensorflow');
  assert.match(r.message, /TensorFlow cannot be imported by .*No module named 'tensorflow'/);
  assert.match(r.remedy, /pip install tensorflow.*--runtime builtin/);
  const args = fs.readFileSync(log, 'utf8').trim().split('\n');
  const opt = (name: string): string | undefined => args[args.indexOf(name) + 1];
  assert.equal(args[1], 'run');
  assert.equal(opt('--model'), dir);
  assert.equal(opt('--signature'), 'serving_default');
  assert.equal(opt('--runs'), '3');
  assert.equal(opt('--warmup'), '1');
  assert.equal(opt('--device'), 'gpu');
  assert.equal(opt('--tags'), 'serve');
  const request = JSON.parse(fs.readFileSync(`${log}.request.json`, 'utf8')) as unknown;
  assert.deepEqual(request, { inputs: { x: { dtype: 'DT_FLOAT', shape: [2, 1], values: [1.5, -2] } } });
  assert.equal(fs.existsSync(opt('--request') ?? ''), false, 'the request file is removed afterwards');
});

test('string inputs travel base64-encoded to the Python program', { skip: noPython }, async () => {
  fs.rmSync(log, { force: true });
  const dir = path.join(tmp, 'linear');
  const { model } = inputs(dir, '{"instances": [[1]]}');
  const feeds: Record<string, HostTensor> = { x: { dtype: 'DT_STRING', shape: [2], values: [new Uint8Array([0, 255]), new TextEncoder().encode('hi')] } };
  await new TensorflowRuntime(fakePython).run(model.model, model.signature, feeds, { runs: 1, warmup: 0, device: 'cpu' });
  const request = JSON.parse(fs.readFileSync(`${log}.request.json`, 'utf8')) as { inputs: { x: { values: string[] } } };
  assert.deepEqual(request.inputs.x.values, ['AP8=', 'aGk=']);
});

test('an interpreter that does not start, or answers with something else, is an error, not a crash', async () => {
  const dir = path.join(tmp, 'linear');
  const { model, feeds } = inputs(dir, '{"instances": [[1]]}');
  const missing = await new TensorflowRuntime(path.join(tmp, 'no-such-python')).run(model.model, model.signature, feeds, { runs: 1, warmup: 0, device: 'cpu' });
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.match(missing.message, /could not be started/);
  const noisy = path.join(tmp, 'noisy-python');
  fs.writeFileSync(noisy, '#!/bin/sh\necho "not json"\necho "Traceback: boom" >&2\nexit 1\n', { mode: 0o755 });
  const bad = await new TensorflowRuntime(noisy).run(model.model, model.signature, feeds, { runs: 1, warmup: 0, device: 'cpu' });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.message, /exited with code 1 without an answer: Traceback: boom/);
  const auto = await chooseRuntime('auto', { python: path.join(tmp, 'no-such-python') });
  assert.equal(auto.runtime.kind, 'builtin');
});

test('TensorFlow runs half_plus_two: y = 0.5x + 2', { skip: noTensorflow ?? corpusMissing() }, async () => {
  const { model, feeds } = inputs(path.join(CORPUS_DIR, 'tf-half_plus_two'), '{"instances": [[1], [3]]}');
  const r = await new TensorflowRuntime('python3').run(model.model, model.signature, feeds, { runs: 2, warmup: 1, device: 'cpu' });
  if (!r.ok) assert.fail(`${r.kind}: ${r.message}`);
  assert.equal(r.device.runtime, 'tensorflow');
  assert.deepEqual(r.outputs[0].values, [2.5, 3.5]);
});
