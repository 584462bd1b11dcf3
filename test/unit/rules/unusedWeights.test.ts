// unused-weights: checkpoint entries no serving signature reads, on TF1 models the project's
// writer builds (the linear model plus Adam's slots and a global step) and on the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { float32Bytes, linearModel, DirectorySpec } from '../../../server/src/core/savedmodel/modelBuilder';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { sizeReport } from '../../../server/src/core/rules/sizeReport';
import { DEFAULT_OPTIONS } from '../../../server/src/core/rules/checkOptions';
import { unusedKind } from '../../../server/src/core/rules/unusedWeights';
import { checkDir, load, only, writeModel } from './helpers';

const RULE = 'unused-weights';

/** The linear model y = a·x + b with Adam's two slots of `slot` floats per variable and a global step. */
function withSlots(slot: number): DirectorySpec {
  const spec = linearModel(2, 3);
  const floats = (n: number): Uint8Array => float32Bytes(new Array<number>(n).fill(0.5));
  const slots = ['a', 'b'].flatMap((v) => [
    { name: `${v}/Adam`, dtype: 'float32', shape: [slot], data: floats(slot) },
    { name: `${v}/Adam_1`, dtype: 'float32', shape: [slot], data: floats(slot) },
  ]);
  const step = { name: 'global_step', dtype: 'int64', shape: [], data: new Uint8Array(8) };
  return { ...spec, variables: [...(spec.variables ?? []), ...slots, step] };
}

test('Adam slots and the global step, large: a warning naming their bytes, kinds and the largest', () => {
  const dir = writeModel(withSlots(4096));
  const f = only(checkDir(dir), RULE);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /^65\.5 kB of 65\.8 kB of variables are read by no serving signature \(\d+% of the directory\): optimizer state \(slots such as Adam's m and v, iterations\): 65\.5 kB in 4 entries; the step counters: 8 B in 1 entry\. Largest: a\/Adam 16\.4 kB, a\/Adam_1 16\.4 kB/);
  assert.match(f[0].message, /include_optimizer=False.*savedmodel-lens shrink/);
  assert.deepEqual(f[0].location, { kind: 'file', path: 'variables/variables.index' });
});

test('small unused entries are info; a configured severity wins', () => {
  const dir = writeModel(withSlots(1));
  assert.equal(only(checkDir(dir), RULE)[0].severity, 'info');
  assert.equal(only(checkDir(dir, { rules: { [RULE]: 'error' } }), RULE)[0].severity, 'error');
});

test('silent when serving reads every variable', () => {
  assert.deepEqual(only(checkDir(writeModel(linearModel(2, 3))), RULE), []);
});

test('the size report\'s float16 and 8-bit estimates count only the weights serving reads', () => {
  const model = load(writeModel(withSlots(4096)));
  const s = sizeReport(model, DEFAULT_OPTIONS);
  assert.equal(s.float32Bytes, 8);
  assert.equal(s.unusedBytes, 4 * 4096 * 4 + 8);
  assert.equal(s.estimates.float16, s.total - s.unusedBytes - 4);
  assert.equal(s.estimates.int8, s.total - s.unusedBytes - 6);
});

test('kinds of unused entries by their checkpoint keys', () => {
  assert.equal(unusedKind('dense/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE'), 'optimizer');
  assert.equal(unusedKind('optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE'), 'optimizer');
  assert.equal(unusedKind('dense/bias/Momentum'), 'optimizer');
  assert.equal(unusedKind('beta1_power'), 'optimizer');
  assert.equal(unusedKind('global_step'), 'global-step');
  assert.equal(unusedKind('dense/kernel/ExponentialMovingAverage'), 'ema');
  assert.equal(unusedKind('keras_api/metrics/0/total/.ATTRIBUTES/VARIABLE_VALUE'), 'metrics');
  assert.equal(unusedKind('aux_head/kernel'), 'other');
});

test('corpus: the Keras taxi model carries Adam\'s state; the regress-only model three unread variables; half_plus_two none', { skip: corpusMissing() }, () => {
  const keras = only(checkDir(path.join(CORPUS_DIR, 'tfx-taxi_keras_serving')), RULE);
  assert.equal(keras.length, 1);
  assert.match(keras[0].message, /optimizer state .*: 1\.14 kB in 17 entries; metric accumulators: 16 B in 4 entries/);
  const regress = only(checkDir(path.join(CORPUS_DIR, 'serving-half_plus_two_regress_only')), RULE);
  assert.match(regress[0].message, /^12 B of .*Largest: a 4 B, b 4 B, c 4 B\./);
  assert.deepEqual(only(checkDir(path.join(CORPUS_DIR, 'tf-half_plus_two')), RULE), []);
});
