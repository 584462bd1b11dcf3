// The rules on the real SavedModels of ../shared/corpus: every model checks without an exception,
// and the findings are the ones a TensorFlow engineer would expect. The findings per model are
// printed as diagnostics for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { checkPath, CheckOutcome } from '../../../server/src/core/check/checkModel';
import { locationResolver } from '../../../server/src/core/check/resolveLocation';
import { Finding } from '../../../server/src/core/rules/finding';
import { pathText } from './helpers';

function corpusModelDirs(): string[] {
  if (corpusMissing()) return [];
  return fs.readdirSync(CORPUS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

const outcomes = new Map<string, CheckOutcome>();

function outcome(name: string): CheckOutcome {
  let o = outcomes.get(name);
  if (!o) {
    o = checkPath(path.join(CORPUS_DIR, name));
    outcomes.set(name, o);
  }
  return o;
}

function findings(name: string): Finding[] {
  const o = outcome(name);
  assert.notEqual(o.kind, 'unreadable', `${name} could not be read`);
  return o.kind === 'unreadable' ? [] : [...o.findings];
}

const ids = (name: string): string[] => [...new Set(findings(name).map((f) => f.ruleId))].sort();
const errors = (name: string): Finding[] => findings(name).filter((f) => f.severity === 'error');

test('check runs on every corpus model without an exception (findings listed below)', { skip: corpusMissing() }, (t) => {
  const names = corpusModelDirs();
  assert.ok(names.length >= 20);
  for (const name of names) {
    const o = outcome(name);
    assert.equal(o.kind, 'checked', `${name}: ${o.kind}`);
    if (o.kind !== 'checked') continue;
    // Every location must resolve (a .pbtxt's elements to line:column).
    const resolve = locationResolver(o.model.location, o.model);
    for (const f of o.findings) resolve(f.location);
    t.diagnostic(`${name}: ${o.findings.length ? '' : 'no findings'}`);
    for (const f of o.findings) t.diagnostic(`    ${f.severity} ${f.ruleId} @ ${pathText(f)}: ${f.message.slice(0, 160)}`);
  }
});

test('serving-half_plus_two_regress_only has no PREDICT signature', { skip: corpusMissing() }, () => {
  assert.deepEqual(errors('serving-half_plus_two_regress_only').map((f) => f.ruleId), ['predict-signature-missing']);
  assert.ok(ids('serving-half_plus_two_regress_only').includes('serving-default-missing'));
});

test('the TF2 Keras and tfjs models have no errors', { skip: corpusMissing() }, () => {
  const tf2 = corpusModelDirs().filter((n) => n.startsWith('tfjs-') || n === 'tfx-taxi_keras_serving' || n === 'examples-saved_model_v2_mini');
  assert.ok(tf2.length >= 8);
  for (const name of tf2) assert.deepEqual(errors(name), [], name);
});

test('the TF Serving and TF reference models that load and predict have no errors', { skip: corpusMissing() }, () => {
  for (const name of ['tf-half_plus_two', 'tf-half_plus_two_main_op', 'tf-half_plus_two_pbtxt', 'tf-half_plus_two_v2', 'serving-half_plus_two_cpu', 'serving-half_plus_two_2_versions', 'tfx-taxi_estimator_serving', 'tf-StaticHashTableModule']) {
    assert.deepEqual(errors(name), [], name);
  }
});

test('tf-AssetModule: its signature returns tf.io.read_file(asset), so its one error is file-access-op', { skip: corpusMissing() }, () => {
  assert.deepEqual(errors('tf-AssetModule').map((f) => f.ruleId), ['file-access-op']);
});

test('text-segmenter_hub_module: no serve tag, and the TF-Text op TokenizerFromLogits', { skip: corpusMissing() }, () => {
  const f = findings('text-segmenter_hub_module');
  assert.ok(ids('text-segmenter_hub_module').includes('serve-tag-missing'));
  const custom = f.filter((x) => x.ruleId === 'custom-op');
  assert.equal(custom.length, 1);
  assert.match(custom[0].message, /'TokenizerFromLogits'.*used by signature 'default'.*TensorFlow Text/);
});

test('tf-legacy2016_half_plus_two_v1ckpt: method "regression" is invalid; the V1 checkpoint is noted', { skip: corpusMissing() }, () => {
  const f = findings('tf-legacy2016_half_plus_two_v1ckpt').filter((x) => x.ruleId === 'invalid-method-name');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /'regression'.*Use tensorflow\/serving\/regress/);
  assert.ok(ids('tf-legacy2016_half_plus_two_v1ckpt').includes('legacy-v1-checkpoint'));
});

test('tf-bert1_graph_only: the variables are missing; its signature computes the pretraining loss', { skip: corpusMissing() }, () => {
  assert.deepEqual(errors('tf-bert1_graph_only').map((f) => f.ruleId), ['variables-missing']);
  const train = findings('tf-bert1_graph_only').filter((f) => f.ruleId === 'training-op-in-serving-graph');
  assert.equal(train.length, 1);
  assert.match(train[0].message, /SparseSoftmaxCrossEntropyWithLogits/);
});

test('tf-CyclicModule has no serving signature at all', { skip: corpusMissing() }, () => {
  assert.deepEqual(errors('tf-CyclicModule').map((f) => f.ruleId), ['predict-signature-missing']);
});

test('tfx-taxi_estimator_serving: its summaries and initializer randomness are outside the serving graph', { skip: corpusMissing() }, () => {
  assert.deepEqual(findings('tfx-taxi_estimator_serving').filter((f) => f.ruleId === 'training-op-in-serving-graph'), []);
});

test('tf-fuzz_const_with_no_value: the Const without a value that TensorFlow refuses to load; no other model has one', { skip: corpusMissing() }, () => {
  const f = findings('tf-fuzz_const_with_no_value').filter((d) => d.ruleId === 'const-without-value');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.match(f[0].message, /is a constant but has no `value` attr/);
  for (const name of corpusModelDirs().filter((n) => n !== 'tf-fuzz_const_with_no_value')) {
    assert.ok(!ids(name).includes('const-without-value'), name);
  }
});
