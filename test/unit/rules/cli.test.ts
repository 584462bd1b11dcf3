// `savedmodel-lens check` as a process: exit codes, formats, options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { linearModel, metaGraph, savedModel, placeholder, nodeDef, tensorInfo } from '../../../server/src/core/savedmodel/modelBuilder';
import { tempDir, writeModel, FLOAT, runCli } from './helpers';
import { CheckJson } from '../../../server/src/core/check/checkJson';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MAIN = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');

interface Run { status: number | null; stdout: string; stderr: string }

/** The CLI as a process: exit status and streams exactly as a shell sees them. */
function cliProcess(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cli = runCli;

// No variables: the graph reads none (unused-weights would report a and b).
const regressOnly = () => writeModel({
  ...linearModel(1, 2),
  variables: [],
  model: savedModel([metaGraph({
    tags: ['serve'],
    nodes: [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Identity', ['x'], { T: FLOAT })],
    signatures: { regress: { method: 'tensorflow/serving/regress', inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 1]) } } },
  })]),
});

test('as a process: exit 0 for a clean model, 1 with errors, 2 unreadable', () => {
  assert.equal(cliProcess('check', writeModel(linearModel(1, 2))).status, 0);
  assert.equal(cliProcess('check', regressOnly(), '--format', 'sarif').status, 1);
  const missing = cliProcess('check', path.join(tempDir(), 'nothing-here'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /savedmodel-lens: .*no such file or directory/);
});

test('exit 0 for a clean model: text output with the size report and a summary line', () => {
  const r = cli('check', writeModel(linearModel(1, 2)));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Checked .*saved_model\.pb \(binary SavedModel\)/);
  assert.match(r.stdout, /Size: .* of the 500 MB limit of MLS1/);
  assert.match(r.stdout, /0 errors, 0 warnings, 0 info: no blocking problems found/);
});

test('exit 1 with errors; findings grouped by file with element paths for binary models', () => {
  const r = cli('check', regressOnly());
  assert.equal(r.status, 1);
  assert.match(r.stdout, /\nsaved_model\.pb\n {2}meta_graphs\[0\] {2}error {2}Meta graph \{serve\} has no signature .*\[predict-signature-missing\]/);
  assert.match(r.stdout, /1 error, 1 warning, 0 info: not ready to serve/);
});

test('--rule turns a rule off or changes its severity; unknown ids and severities are usage errors', () => {
  const dir = regressOnly();
  assert.equal(cli('check', dir, '--rule', 'predict-signature-missing=off').status, 0);
  const r = cli('check', dir, '--rule', 'predict-signature-missing=warning', '--rule=serving-default-missing=error', '--format', 'json');
  assert.equal(r.status, 1);
  const json = JSON.parse(r.stdout) as CheckJson;
  assert.deepEqual(json.findings.map((f) => [f.ruleId, f.severity]), [['predict-signature-missing', 'warning'], ['serving-default-missing', 'error']]);
  const bad = cli('check', dir, '--rule', 'no-such-rule=off');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown rule 'no-such-rule'/);
  assert.equal(cli('check', dir, '--rule', 'custom-op=loud').status, 2);
});

test('--max-size and --machine-type set the limit', () => {
  const dir = writeModel(linearModel(1, 2));
  const over = cli('check', dir, '--max-size', '0.1kB', '--format', 'json');
  assert.equal(over.status, 1);
  const json = JSON.parse(over.stdout) as CheckJson;
  assert.equal(json.size?.limit, 100);
  assert.equal(json.size?.limitSource, 'max-size');
  assert.equal(json.size?.overLimit, true);
  assert.deepEqual(json.findings.map((f) => f.ruleId), ['model-size-limit']);
  const n1 = JSON.parse(cli('check', dir, '--machine-type', 'n1', '--format', 'json').stdout) as CheckJson;
  assert.equal(n1.size?.limit, 10_000_000_000);
  assert.equal(cli('check', dir, '--machine-type', 'tpu').status, 2);
  assert.equal(cli('check', dir, '--max-size', 'lots').status, 2);
});

test('json: the documented shape (docs/check-json.md)', () => {
  const r = cli('check', regressOnly(), '--format', 'json');
  const json = JSON.parse(r.stdout) as CheckJson;
  assert.equal(json.schemaVersion, 1);
  assert.equal(json.tool.name, 'savedmodel-lens');
  assert.equal(json.status, 'checked');
  assert.equal(json.model?.modelFile, 'saved_model.pb');
  assert.equal(json.model?.format, 'binary');
  assert.deepEqual(json.summary, { errors: 1, warnings: 1, infos: 0 });
  const f = json.findings[0];
  assert.deepEqual(f.location, { kind: 'element', file: 'saved_model.pb', elementPath: 'meta_graphs[0]', range: null });
  assert.deepEqual(Object.keys(json.size ?? {}).sort(), ['contributors', 'estimates', 'float32Bytes', 'limit', 'limitSource', 'overLimit', 'parts', 'total', 'variablesKnown']);
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'check-json.md'), 'utf8');
  for (const key of [...Object.keys(json), ...Object.keys(f), ...Object.keys(f.location), ...Object.keys(json.size ?? {})]) {
    assert.ok(doc.includes(`\`${key}\``), `docs/check-json.md documents ${key}`);
  }
});

test('exit 2 for a missing path, with a JSON error object in --format json', () => {
  const missing = path.join(tempDir(), 'nothing-here');
  const text = cli('check', missing);
  assert.equal(text.status, 2);
  assert.match(text.stderr, /no such file or directory/);
  const json = JSON.parse(cli('check', missing, '--format', 'json').stdout) as CheckJson;
  assert.equal(json.status, 'unreadable');
  assert.match(json.error ?? '', /no such file/);
});

test('a file named saved_model.pb that is something else: the not-a-savedmodel finding, exit 1', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), '<!DOCTYPE html><html><body>Sign in</body></html>');
  const r = cli('check', dir);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /saved_model\.pb\n {2}error {2}saved_model\.pb is an HTML\/XML page.*\[not-a-savedmodel\]/);
  const json = JSON.parse(cli('check', dir, '--format', 'json').stdout) as CheckJson;
  assert.equal(json.status, 'not-a-savedmodel');
  assert.deepEqual(json.findings.map((f) => [f.ruleId, f.location.kind, f.location.file]), [['not-a-savedmodel', 'file', 'saved_model.pb']]);
  assert.equal(cli('check', dir, '--rule', 'not-a-savedmodel=warning').status, 0);
});

test('usage errors exit 2', () => {
  assert.equal(cli('check').status, 2);
  assert.equal(cli('check', 'a', 'b').status, 2);
  assert.equal(cli('check', writeModel(linearModel(1, 2)), '--format', 'xml').status, 2);
});
