// SARIF output validated against the published SARIF 2.1.0 JSON schema (as shipped by
// @microsoft/jest-sarif, a draft-04 schema), plus what GitHub code scanning needs beyond it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { linearModel, encodeSavedModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { spawnSync } from 'node:child_process';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { checkPath, CheckOutcome } from '../../../server/src/core/check/checkModel';
import { locationResolver } from '../../../server/src/core/check/resolveLocation';
import { checkSarif } from '../../../server/src/core/check/checkSarif';
import { RULES } from '../../../server/src/core/rules/index';
import { tempDir, writeModel, simpleModel } from './helpers';
import { nodeDef } from '../../../server/src/core/savedmodel/modelBuilder';
import { SarifLog, assertCodeScanningReady } from './codeScanning';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const schemaFile = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
// The schema's language pattern has a stray ']' that only non-unicode regular expressions accept.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);

type Sarif = { runs: Array<{ results: Array<Record<string, unknown> & { locations: Array<Record<string, unknown>> }>; tool: { driver: { rules: Array<{ id: string; helpUri: string }> } }; originalUriBaseIds?: Record<string, { uri: string; uriBaseId?: string }> }> };

function sarifOf(outcome: CheckOutcome, cwd?: string): Sarif {
  const location = outcome.kind === 'checked' ? outcome.model.location : outcome.kind === 'not-a-savedmodel' ? outcome.location : undefined;
  const log = checkSarif(outcome, locationResolver(location, outcome.kind === 'checked' ? outcome.model : undefined), cwd);
  const json = JSON.parse(JSON.stringify(log)) as Sarif;
  const ok = validate(json);
  assert.ok(ok, `SARIF does not validate: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  return json;
}

/** GitHub code scanning drops results without a physical location with an artifact URI. */
function assertGithubReady(sarif: Sarif, repoRoot?: string): void {
  assertCodeScanningReady(sarif as unknown as SarifLog, repoRoot);
}

test('the rule catalog: every rule, with a helpUri anchored at its docs/rules.md section', () => {
  const sarif = sarifOf(checkPath(writeModel(linearModel(1, 2))));
  const rules = sarif.runs[0].tool.driver.rules;
  assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.id));
  for (const r of rules) assert.ok(r.helpUri.endsWith(`/docs/rules.md#${r.id}`));
  assert.deepEqual(sarif.runs[0].results, []);
});

test('binary model: results with artifact, logical location (element path) and rule index', () => {
  const spec = simpleModel([nodeDef('tok', 'TokenizerFromLogits', ['x']), nodeDef('tok2', 'TokenizerFromLogits', ['x'])], ['tok', 'tok2']);
  const dir = writeModel({ ...spec, extraFiles: { 'events.out.tfevents.1.host': 'x' } });
  const sarif = sarifOf(checkPath(dir), path.dirname(dir));
  assertGithubReady(sarif, path.dirname(dir));
  const results = sarif.runs[0].results;
  const custom = results.find((r) => r.ruleId === 'custom-op');
  assert.ok(custom);
  assert.equal(custom.level, 'warning');
  assert.deepEqual(custom.locations[0].logicalLocations, [{ fullyQualifiedName: 'meta_graphs[0].graph_def.node[2]', kind: 'element' }]);
  // Named from the working directory (the repository root in CI): code scanning reads no base ids.
  assert.deepEqual(custom.locations[0].physicalLocation, { artifactLocation: { uri: `${path.basename(dir)}/saved_model.pb`, uriBaseId: '%SRCROOT%' } });
  assert.equal((custom.relatedLocations as unknown[]).length, 1);
  const artifact = results.find((r) => r.ruleId === 'training-artifact');
  assert.deepEqual(artifact?.locations[0].physicalLocation, { artifactLocation: { uri: `${path.basename(dir)}/events.out.tfevents.1.host`, uriBaseId: '%SRCROOT%' } });
  assert.deepEqual(sarif.runs[0].originalUriBaseIds?.['%SRCROOT%'], { uri: `${pathToFileURL(path.dirname(dir)).href}/` });
});

test('text model: regions with 1-based line and column', () => {
  const dir = tempDir();
  const text = printText(encodeSavedModel(linearModel(1, 2).model)).replace('tensorflow/serving/predict', 'tensorflow/serving/guess');
  fs.writeFileSync(path.join(dir, 'saved_model.pbtxt'), text);
  const sarif = sarifOf(checkPath(dir));
  assertGithubReady(sarif);
  const r = sarif.runs[0].results.find((x) => x.ruleId === 'invalid-method-name');
  const region = (r?.locations[0].physicalLocation as { region: { startLine: number; startColumn: number } }).region;
  assert.equal(text.split('\n')[region.startLine - 1].slice(region.startColumn - 1), 'method_name: "tensorflow/serving/guess"');
  assert.equal(r?.level, 'error');
});

test('a model directory outside the working directory is named by absolute file URIs', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'saved_model.pbtxt'), printText(encodeSavedModel(linearModel(1, 2).model)).replace('tensorflow/serving/predict', 'tensorflow/serving/guess'));
  const sarif = sarifOf(checkPath(dir), '/nonexistent-cwd');
  assertGithubReady(sarif);
  const uris = sarif.runs[0].results.map((r) => (r.locations[0].physicalLocation as { artifactLocation: { uri: string; uriBaseId?: string } }).artifactLocation);
  assert.ok(uris.length > 0);
  for (const a of uris) assert.deepEqual(a, { uri: pathToFileURL(path.join(dir, 'saved_model.pbtxt')).href });
});

test('not-a-savedmodel and unreadable inputs still give valid SARIF', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), '{"not": "a model"}');
  const bad = sarifOf(checkPath(dir));
  assertGithubReady(bad);
  assert.deepEqual(bad.runs[0].results.map((r) => r.ruleId), ['not-a-savedmodel']);
  const missing = sarifOf(checkPath(path.join(dir, 'missing')));
  assert.deepEqual(missing.runs[0].results, []);
});

test('the validator rejects broken SARIF (the test can fail)', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }), false);
  assert.equal(validate({ version: '2.0.0', runs: [] }), false);
});

test('every corpus model: SARIF that code scanning takes, every file named from the repository root', { skip: corpusMissing() }, () => {
  const root = path.dirname(CORPUS_DIR);
  let results = 0;
  for (const name of fs.readdirSync(CORPUS_DIR).filter((n) => fs.statSync(path.join(CORPUS_DIR, n)).isDirectory())) {
    const sarif = sarifOf(checkPath(path.join(CORPUS_DIR, name)), root);
    assertGithubReady(sarif, root);
    results += sarif.runs[0].results.length;
  }
  assert.ok(results > 0, 'the corpus gives findings to check');
});

test('the code scanning checks reject what GitHub rejects (the test can fail)', () => {
  const good = sarifOf(checkPath(writeModel(simpleModel([nodeDef('tok', 'TokenizerFromLogits', ['x'])], ['tok']))), os.tmpdir()) as unknown as SarifLog;
  assert.doesNotThrow(() => assertCodeScanningReady(good, os.tmpdir()));
  const mutate = (edit: (log: SarifLog) => void): SarifLog => {
    const copy = JSON.parse(JSON.stringify(good)) as SarifLog;
    edit(copy);
    return copy;
  };
  const first = (log: SarifLog) => log.runs[0].results[0];
  assert.throws(() => assertCodeScanningReady(mutate((l) => (first(l).locations = [])), os.tmpdir()), /no location/);
  assert.throws(() => assertCodeScanningReady(mutate((l) => (first(l).locations[0].physicalLocation!.artifactLocation = { uri: 'saved_model.pb', uriBaseId: 'MODELDIR' })), os.tmpdir()), /uriBaseId MODELDIR/);
  assert.throws(() => assertCodeScanningReady(mutate((l) => (first(l).locations[0].physicalLocation!.artifactLocation = { uri: 'no/such/saved_model.pb', uriBaseId: '%SRCROOT%' })), os.tmpdir()), /names no file/);
  assert.throws(() => assertCodeScanningReady(mutate((l) => (first(l).ruleId = 'not-a-rule')), os.tmpdir()), /not in the driver's rules/);
  assert.throws(() => assertCodeScanningReady(mutate((l) => (first(l).message = { text: '' })), os.tmpdir()), /message/);
  assert.throws(() => assertCodeScanningReady(mutate((l) => (l.version = '2.0.0')), os.tmpdir()), /2\.1\.0/);
});

/** The workflow of docs/github-actions.md: its check step's command, and the file its upload step sends. */
function documentedWorkflow(): { modelPath: string; options: string[]; output: string; yaml: string } {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'github-actions.md'), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(yaml, 'docs/github-actions.md has a yaml block');
  const run = /run: npx --yes savedmodel-lens check (\S+) (.*?)> (\S+)\s*$/m.exec(yaml);
  assert.ok(run, 'a step runs savedmodel-lens check through npx into a file');
  return { modelPath: run[1], options: run[2].trim().split(/\s+/), output: run[3], yaml };
}

test('docs/github-actions.md: its check command gives SARIF that code scanning takes, and the upload sends that file', () => {
  const wf = documentedWorkflow();
  // No YAML parser is a dependency: the block's shape is read line by line.
  for (const [i, line] of wf.yaml.split('\n').entries()) {
    assert.ok(!line.includes('\t'), `line ${i + 1}: a tab`);
    assert.equal((/^ */.exec(line)?.[0].length ?? 0) % 2, 0, `line ${i + 1}: odd indentation`);
  }
  assert.match(wf.yaml, /^ {2}security-events: write/m);
  assert.match(wf.yaml, /uses: github\/codeql-action\/upload-sarif@v3\n(?:.*\n)*? +sarif_file: (\S+)/);
  assert.equal(/sarif_file: (\S+)/.exec(wf.yaml)?.[1], wf.output, 'the upload step sends the file the check writes');
  assert.deepEqual(wf.options, ['--format', 'sarif']);
  // The command, run from a repository root holding a model at the documented path.
  const repo = tempDir('repo');
  writeSavedModelDir(path.join(repo, wf.modelPath), {
    ...simpleModel([nodeDef('tok', 'TokenizerFromLogits', ['x'])], ['tok']),
    extraFiles: { 'events.out.tfevents.1.host': 'x' },
  });
  // tsx by path: the working directory is the repository, outside the project.
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, path.join(ROOT, 'server', 'src', 'cli', 'main.ts'), 'check', wf.modelPath, ...wf.options], { cwd: repo, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  const log = JSON.parse(r.stdout) as SarifLog;
  assert.ok(validate(log), `SARIF does not validate: ${ajv.errorsText(validate.errors)}`);
  assertCodeScanningReady(log, repo);
  const files = [...new Set(log.runs[0].results.map((x) => x.locations[0].physicalLocation?.artifactLocation.uri))].sort();
  assert.deepEqual(files, [`${wf.modelPath}/events.out.tfevents.1.host`, `${wf.modelPath}/saved_model.pb`]);
});
