// Shrink on models the project's writer builds (a TF1 MLP, a TF1 convolution with Adam's slots, a
// TF2 object graph with functions): the copy type-checks with its exact op list, decodes with
// protoc, checks clean, runs and answers within tolerance; float16 halves the float weights, int8
// quarters them; the source is unchanged; refusals say why. The corpus models are in corpus.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShrinkError, ShrinkReport, shrinkModel } from '../../../server/src/core/shrink';
import { loadModel } from '../../../server/src/core/savedmodel';
import { writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { spawnSync } from 'node:child_process';
import { mlpModel } from '../smoke/mlpModel';
import { tempDir, checkDir, only } from '../rules/helpers';
import { convWithAdam, tf2Dense, vocabularyTable } from './fixtures';
import { assertProven, shrinkAndProve } from './proof';
import { numbers, runBuiltin, succeeded } from '../smoke/runHelpers';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

function source(spec: Parameters<typeof writeSavedModelDir>[1]): string {
  const dir = path.join(tempDir('src'), 'model');
  writeSavedModelDir(dir, spec);
  return dir;
}

const mlp = (): string => source(mlpModel([16, 64, 32, 10]));

const MAIN = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'main.ts');

function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function compared(r: ShrinkReport): Array<{ output: string; maxAbs: number; allowed: number; top?: string }> {
  return r.answers.flatMap((a) => (a.compared ? a.outputs.map((o) => ({ output: o.output, maxAbs: o.maxAbs, allowed: o.allowed, ...(o.topClass ? { top: `${o.topClass.agree}/${o.topClass.rows}` } : {}) })) : []));
}

test('TF1 MLP, float16: half the float weights, answers within 1e-2 of each output\'s range', async (t) => {
  const { report } = await shrinkAndProve(mlp(), 'float16', 'mlp float16');
  assert.equal(report.verdict, 'ok');
  assert.equal(report.weightStats.converted, 3);
  assert.equal(report.weightStats.convertedBytes, report.weightStats.floatBytes / 2);
  assert.equal(report.after.variables, 0);
  const rows = compared(report);
  assert.deepEqual(rows.map((r) => r.output), ['logits', 'probabilities']);
  for (const r of rows) assert.ok(r.maxAbs > 0 && r.maxAbs <= r.allowed, JSON.stringify(r));
  t.diagnostic(JSON.stringify(rows));
});

test('TF1 MLP, int8: about a quarter of the float weights (per-channel scales and offsets on top)', async (t) => {
  const { report } = await shrinkAndProve(mlp(), 'int8', 'mlp int8');
  assert.equal(report.verdict, 'ok');
  const w = report.weightStats;
  assert.ok(w.convertedBytes > w.floatBytes / 4 && w.convertedBytes < w.floatBytes * 0.32, `${w.convertedBytes} of ${w.floatBytes}`);
  t.diagnostic(`${w.floatBytes} → ${w.convertedBytes} bytes; ${JSON.stringify(compared(report))}`);
});

test('TF1 MLP, keep: only pruned, the answers exactly the source\'s', async () => {
  const { report } = await shrinkAndProve(mlp(), 'keep', 'mlp keep');
  assert.equal(report.verdict, 'ok');
  assert.equal(report.weightStats.converted, 0);
  for (const r of compared(report)) assert.equal(r.maxAbs, 0);
});

test('TF1 convolution with Adam\'s slots: the slots, beta powers and step are gone; top classes agree', async (t) => {
  const src = source(convWithAdam());
  assert.equal(only(checkDir(src), 'unused-weights')[0].severity, 'warning');
  for (const mode of ['float16', 'int8'] as const) {
    const { report } = await shrinkAndProve(src, mode, `conv ${mode}`);
    assert.equal(report.verdict, 'ok', mode);
    assert.ok(report.after.total < report.before.total / 2, `${mode}: ${report.after.total} of ${report.before.total}`);
    const probs = compared(report).find((r) => r.output === 'probabilities');
    assert.ok(probs?.top, mode);
    t.diagnostic(`${mode}: ${report.before.total} → ${report.after.total} bytes; ${JSON.stringify(compared(report))}`);
  }
});

test('TF2 object graph: variables captured by StatefulPartitionedCall, found through the object graph', async (t) => {
  const src = source(tf2Dense());
  const { report, out } = await shrinkAndProve(src, 'float16', 'tf2 float16');
  assert.equal(report.verdict, 'ok');
  assert.equal(report.weightStats.converted, 1);
  const copy = loadModel(out);
  assert.ok(copy.ok);
  if (!copy.ok) return;
  const mg = copy.model.doc.metaGraphs[0];
  assert.equal(mg.functions.size, 0);
  assert.ok(!mg.graph.ops.some((op) => /PartitionedCall|VarHandleOp|ReadVariableOp/.test(op)), mg.graph.ops.join(' '));
  const sig = mg.signatures.find((s) => s.key === 'serving_default');
  assert.deepEqual(sig?.inputs.map((i) => [i.key, i.dtype, i.shape.dims]), [['x', 'DT_FLOAT', [-1, 64]]]);
  assert.deepEqual(sig?.outputs.map((o) => [o.key, o.dtype, o.shape.dims]), [['output_0', 'DT_FLOAT', [-1, 32]]]);
  t.diagnostic(JSON.stringify(compared(report)));
});

test('refusals say why and write nothing; an existing folder needs --force', async () => {
  const src = mlp();
  const out = path.join(tempDir('copy'), 'out');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
  await assert.rejects(shrinkModel(src, out, { weights: 'float16' }), (e: Error) => e instanceof ShrinkError && /exists and is not empty; pass --force/.test(e.message));
  assert.deepEqual(fs.readdirSync(out), ['keep.txt']);
  await assert.rejects(shrinkModel(src, path.join(tempDir(), 'o'), { weights: 'float16', signatures: ['nope'] }), /no signature 'nope'; the model has: serving_default/);
  await assert.rejects(shrinkModel(src, path.join(src, 'inside'), { weights: 'float16' }), /inside the source model directory/);
  const forced = await shrinkModel(src, out, { weights: 'float16', force: true });
  assert.equal(forced.verdict, 'ok');
  assert.deepEqual(fs.readdirSync(out), ['saved_model.pb']);
  const noVars = source({ ...mlpModel([4, 2]), variables: undefined });
  await assert.rejects(shrinkModel(noVars, path.join(tempDir(), 'o'), { weights: 'float16' }), /cannot be frozen: .*the signature reads variables, and the model has no variables\/ folder/);
});

test('over tolerance: exit 1 with the table; the CLI\'s usage errors exit 2 (as a process)', () => {
  const src = mlp();
  const out = path.join(tempDir('copy'), 'out');
  const over = cli('shrink', src, out, '--weights', 'int8', '--tolerance', '0');
  assert.equal(over.status, 1, over.stderr);
  assert.match(over.stdout, /probabilities\s+\S+\s+\S+\s+0\s+4\/4\s+OVER/);
  assert.match(over.stdout, /NOT OK: the copy's answers differ/);
  const json = cli('shrink', src, out, '--force', '--json');
  assert.equal(json.status, 0, json.stderr);
  const report = JSON.parse(json.stdout) as ShrinkReport & { written: boolean };
  assert.equal(report.written, true);
  assert.equal(report.verdict, 'ok');
  assert.equal(report.weights, 'float16');
  assert.equal(cli('shrink', src).status, 2);
  const bad = cli('shrink', src, out, '--weights', 'int4');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--weights must be float16, int8, keep/);
});

test('a lookup table from an asset: filled by the copy\'s own init op, the answers the same', async () => {
  const src = source(vocabularyTable(['the', 'quick', 'brown', 'fox']));
  const instances = path.join(tempDir('req'), 'request.json');
  fs.writeFileSync(instances, JSON.stringify({ instances: ['fox', 'the', 'dog', 'quick'] }));
  const out = path.join(tempDir('copy'), 'out');
  const report = await shrinkModel(src, out, { weights: 'float16', instancesFile: instances });
  assertProven(out, report, 'vocabulary');
  assert.equal(report.verdict, 'ok', JSON.stringify(report.answers));
  const copy = loadModel(out);
  assert.ok(copy.ok);
  if (!copy.ok) return;
  const mg = copy.model.doc.metaGraphs[0];
  assert.deepEqual(mg.signatures.map((s) => s.key), ['__saved_model_init_op', 'serving_default']);
  assert.deepEqual(mg.signatures[0].outputs.map((o) => o.name), ['shrink_init_op']);
  assert.ok(mg.graph.ops.includes('LookupTableImportV2') && mg.graph.ops.includes('HashTableV2'), mg.graph.ops.join(' '));
  const ids = await runBuiltin(out, JSON.stringify({ instances: ['fox', 'the', 'dog', 'quick'] }));
  assert.deepEqual(numbers(succeeded(ids), 'ids'), [3, 0, -1, 1]);
});

test('a source TensorFlow would refuse is refused, naming the type error', { skip: corpusMissing() }, async () => {
  await assert.rejects(shrinkModel(path.join(CORPUS_DIR, 'tf-fuzz_const_with_no_value'), path.join(tempDir(), 'o'), { weights: 'float16' }),
    /the source does not type-check \(TensorFlow would refuse it\): Node 'Assign\/value' \(Const\) lacks attr 'value'/);
});
