// The built CLI as a user runs it: exit codes, stdout/stderr, never overwriting without --force.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linearModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { cli, ensureBuilt } from '../../helpers/builtCli';

let dir = '';


before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-cli-'));
  writeSavedModelDir(path.join(dir, 'model'), linearModel(0.5, 3));
});

test('show prints signatures like saved_model_cli, with sizes; --json is parseable', () => {
  const r = cli('show', path.join(dir, 'model'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /MetaGraphDef with tag-set: 'serve'/);
  assert.match(r.stdout, /signature_def\['serving_default'\]/);
  assert.match(r.stdout, /inputs\['x'\] tensor_info:\n\s+dtype: DT_FLOAT\n\s+shape: \(-1, 1\)\n\s+name: x:0/);
  assert.match(r.stdout, /Variables: 2 tensors/);
  const j = cli('show', path.join(dir, 'model'), '--json');
  const parsed = JSON.parse(j.stdout) as { metaGraphs: Array<{ tags: string[] }> };
  assert.deepEqual(parsed.metaGraphs[0].tags, ['serve']);
});

test('show exits 2 with the reason on stderr when the input cannot be read', () => {
  const r = cli('show', path.join(dir, 'nope'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no such file/);
});

test('export-text matches protoc; never overwrites without --force', { skip: protocMissing() }, () => {
  const pb = path.join(dir, 'model', 'saved_model.pb');
  const out = path.join(dir, 'out.pbtxt');
  assert.equal(cli('export-text', pb, '-o', out).status, 0);
  assert.equal(fs.readFileSync(out, 'utf8'), protocDecode(fs.readFileSync(pb)).stdout.toString());
  fs.writeFileSync(out, 'keep me');
  const again = cli('export-text', pb, '-o', out);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /--force/);
  assert.equal(fs.readFileSync(out, 'utf8'), 'keep me');
  assert.equal(cli('export-text', pb, '-o', out, '--force').status, 0);
  assert.notEqual(fs.readFileSync(out, 'utf8'), 'keep me');
});

test('an output that is a pipe is written in place, not replaced by a file', async (t) => {
  const fifo = path.join(dir, 'out.fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('skipped: mkfifo is not available');
  const pb = path.join(dir, 'model', 'saved_model.pb');
  const txt = path.join(dir, 'pipe.pbtxt');
  assert.equal(cli('export-text', pb, '-o', txt).status, 0);
  const received = path.join(dir, 'received');
  for (const [command, input, expected] of [['export-text', pb, fs.readFileSync(txt)], ['export-binary', txt, fs.readFileSync(pb)]] as const) {
    // Renaming a temporary file over /dev/stdout or a FIFO would replace it (as root, even /dev/null).
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${received}"`]);
    const exited = once(reader, 'exit');
    const r = cli(command, input, '-o', fifo, '--force');
    // Were the pipe replaced, the reader would wait for a writer forever.
    const timer = setTimeout(() => reader.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.statSync(fifo).isFIFO(), `${command} left the pipe a pipe`);
    assert.deepEqual(fs.readFileSync(received), expected, command);
  }
});

test('export-binary reproduces the original bytes from the exported text', () => {
  const pb = path.join(dir, 'model', 'saved_model.pb');
  const txt = path.join(dir, 'rt.pbtxt');
  const back = path.join(dir, 'rt.pb');
  assert.equal(cli('export-text', pb, '-o', txt).status, 0);
  assert.equal(cli('export-binary', txt, '-o', back).status, 0);
  assert.deepEqual(fs.readFileSync(back), fs.readFileSync(pb));
});

test('export-binary reports syntax errors with file:line:col and writes nothing', () => {
  const txt = path.join(dir, 'bad.pbtxt');
  fs.writeFileSync(txt, 'saved_model_schema_version: 1\nmeta_graphs {\n  meta_info_deff {\n  }\n}\n');
  const out = path.join(dir, 'bad.pb');
  const r = cli('export-binary', txt, '-o', out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.pbtxt:3:3: schema-error/);
  assert.match(r.stderr, /meta_info_def/);
  assert.ok(!fs.existsSync(out));
});

test('a file that is not a SavedModel is named in one line, exit 2', () => {
  const html = path.join(dir, 'html', 'saved_model.pb');
  fs.mkdirSync(path.dirname(html));
  fs.writeFileSync(html, '<html><head><title>Download</title></head></html>');
  const r = cli('export-text', html);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /HTML/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
