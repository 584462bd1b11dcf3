// file-access-op: a signature that reaches ReadFile (or PrintV2 inside a called function) is
// flagged with the node's path; the saver's own SaveV2/RestoreV2 subgraph is not; the built-in
// smoke runtime refuses such a signature naming the op, and the TensorFlow runtime runs it only
// with --allow-file-access (checked up to the process boundary: TensorFlow is not installed here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { attrType, nodeDef, placeholder, tensorInfo, writeSavedModelDir, DirectorySpec, float32Bytes } from '../../../server/src/core/savedmodel/modelBuilder';
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import { corpusMissing, corpusModels } from '../../helpers/corpus';
import { checkDir, graphModel, only, pathText } from './helpers';
import { fileAccessOf, fileAccessOps } from '../../../server/src/core/rules/fileAccessOps';
import { REFERENCE_DIR, referenceMissing } from '../../helpers/corpus';
import { TensorflowRuntime } from '../../../server/src/core/smoke/runtime/tensorflowRuntime';
import { openModel, runBuiltin } from '../smoke/runHelpers';
import { smokeCommand } from '../../../server/src/cli/smokeCommand';

const STRING = attrType('DT_STRING');

/** serving_default: contents = ReadFile(path), a string in, the file's bytes out. */
function readFileModel(): DirectorySpec {
  return graphModel({
    nodes: [placeholder('path', 'DT_STRING', [-1]), nodeDef('contents', 'ReadFile', ['path'])],
    signatures: { serving_default: { inputs: { path: tensorInfo('path:0', 'DT_STRING', [-1]) }, outputs: { contents: tensorInfo('contents:0', 'DT_STRING', [-1]) } } },
  });
}

/** y = x * a with a TF1 saver subgraph (save/SaveV2, save/RestoreV2) that no signature reaches. */
function saverModel(extra: PlainMessage[] = [], yInputs = ['x', 'a/read']): DirectorySpec {
  const F = attrType('DT_FLOAT');
  const nodes = [
    placeholder('x', 'DT_FLOAT', [-1, 1]),
    nodeDef('a', 'VariableV2', [], { dtype: F, shape: { shape: { dim: [] } } }),
    nodeDef('a/read', 'Identity', ['a'], { T: F }),
    ...extra,
    nodeDef('y', 'Mul', yInputs, { T: F }),
    nodeDef('save/Const', 'Const', [], { dtype: STRING }),
    nodeDef('save/SaveV2/tensor_names', 'Const', [], { dtype: STRING }),
    nodeDef('save/SaveV2/shape_and_slices', 'Const', [], { dtype: STRING }),
    nodeDef('save/SaveV2', 'SaveV2', ['save/Const', 'save/SaveV2/tensor_names', 'save/SaveV2/shape_and_slices', 'a'], { dtypes: { list: { type: ['DT_FLOAT'] } } }),
    nodeDef('save/control_dependency', 'Identity', ['save/Const', '^save/SaveV2'], { T: STRING }),
    nodeDef('save/RestoreV2', 'RestoreV2', ['save/Const', 'save/SaveV2/tensor_names', 'save/SaveV2/shape_and_slices'], { dtypes: { list: { type: ['DT_FLOAT'] } } }),
    nodeDef('save/Assign', 'Assign', ['a', 'save/RestoreV2'], { T: F }),
    nodeDef('save/restore_all', 'NoOp', ['^save/Assign']),
  ];
  const spec = graphModel({
    nodes,
    saver: true,
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 1]) } } },
  });
  return { ...spec, variables: [{ name: 'a', dtype: 'float32', shape: [], data: float32Bytes([2]) }] };
}

/** The saver model whose signature also calls function `log_it`, which holds a PrintV2. */
function printInFunctionModel(): DirectorySpec {
  const fn: PlainMessage = {
    signature: { name: 'log_it', input_arg: [{ name: 'v', type: 'DT_FLOAT' }], output_arg: [{ name: 'out', type: 'DT_FLOAT' }] },
    node_def: [
      nodeDef('fmt', 'StringFormat', ['v'], { T: { list: { type: ['DT_FLOAT'] } } }),
      nodeDef('print', 'PrintV2', ['fmt:output:0'], { output_stream: { s: new TextEncoder().encode('stderr') } }),
      nodeDef('same', 'Identity', ['v', '^print'], { T: attrType('DT_FLOAT') }),
    ],
    ret: { out: 'same:output:0' },
  };
  const spec = saverModel([nodeDef('logged', 'log_it', ['x'])], ['logged', 'a/read']);
  const mg = (spec.model.meta_graphs as PlainMessage[])[0];
  (mg.graph_def as PlainMessage).library = { function: [fn] };
  return spec;
}

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-file-access-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function written(name: string, spec: DirectorySpec): string {
  const dir = path.join(tmp, name);
  if (!fs.existsSync(dir)) writeSavedModelDir(dir, spec);
  return dir;
}

test('file-access-op: a signature reaching ReadFile is an error at the node\'s path', () => {
  const f = only(checkDir(written('read', readFileModel())), 'file-access-op');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.node[1]');
  assert.match(f[0].message, /^Signature 'serving_default' reaches ReadFile 'contents' reads files \(meta_graphs\[0\]\.graph_def\.node\[1\]\)/);
});

test('file-access-op: the saver\'s own SaveV2/RestoreV2 subgraph is not flagged', () => {
  const dir = written('saver', saverModel());
  assert.deepEqual(only(checkDir(dir), 'file-access-op'), []);
});

test('file-access-op: the same RestoreV2 reached from a signature is flagged', () => {
  const spec = saverModel([], ['x', 'save/RestoreV2']);
  const f = only(checkDir(written('restore-served', spec)), 'file-access-op');
  assert.deepEqual(f.map((x) => x.message.match(/reaches (\w+) '([^']+)'/)?.slice(1)), [['RestoreV2', 'save/RestoreV2']]);
});

test('file-access-op: PrintV2 inside a function the signature calls is flagged with the function', () => {
  const f = only(checkDir(written('print', printInFunctionModel())), 'file-access-op');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /PrintV2 'print' in function 'log_it' prints to the server log/);
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.library.function[0].node_def[1]');
});

test('file-access-op on the corpus: tf-AssetModule\'s signature reads its asset with ReadFile; savers and init ops elsewhere are quiet', { skip: corpusMissing() }, () => {
  const models = corpusModels('.pb');
  assert.ok(models.length > 10);
  for (const [name, file] of models) {
    const f = only(checkDir(path.dirname(file)), 'file-access-op');
    if (name !== 'tf-AssetModule') {
      assert.deepEqual(f, [], name);
      continue;
    }
    // TensorFlow's own test module: serving_default returns tf.io.read_file(asset) on every request.
    assert.equal(f.length, 1);
    assert.match(f[0].message, /reaches ReadFile 'ReadFile' in function '__inference_read_file_7' reads files/);
  }
});

test('every listed op is one of TensorFlow\'s core ops', { skip: referenceMissing('tensorflow-core-ops.txt') }, () => {
  const core = new Set(fs.readFileSync(path.join(REFERENCE_DIR, 'tensorflow-core-ops.txt'), 'utf8').split('\n').map((l) => l.trim()));
  for (const [op] of fileAccessOps()) assert.ok(core.has(op), op);
  for (const op of ['ReadFile', 'WriteFile', 'PrintV2', 'MatchingFiles', 'SaveV2', 'RestoreV2', 'MergeV2Checkpoints']) assert.ok(fileAccessOf(op), op);
  assert.equal(fileAccessOf('InitializeTableFromTextFileV2'), undefined);
});

test('the built-in runtime refuses a signature that reaches ReadFile, naming the op', async () => {
  const r = await runBuiltin(written('read', readFileModel()), '{"instances": ["/etc/passwd"]}');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.kind, 'file-access');
  assert.match(r.message, /does not run ops that touch files.*ReadFile 'contents' reads files/);
});

test('smoke (built-in) exits 2 and names the op; the PrintV2 in a function too', async () => {
  for (const [name, spec, op] of [['read', readFileModel(), /ReadFile 'contents'/], ['print', printInFunctionModel(), /PrintV2 'print' in function 'log_it'/]] as const) {
    let out = '';
    const code = await smokeCommand([written(name, spec), '--runtime', 'builtin', '--device', 'cpu', '--json'], { out: (t) => { out += t; }, err: () => undefined });
    assert.equal(code, 2, name);
    const report = JSON.parse(out) as { error: { kind: string; message: string } };
    assert.equal(report.error.kind, 'file-access');
    assert.match(report.error.message, op);
  }
});

const python3 = spawnSync('python3', ['--version']).status === 0;

test('the TensorFlow runtime needs --allow-file-access: refused before Python starts without it, run with it', { skip: python3 ? undefined : 'skipped: python3 is not installed' }, async () => {
  const log = path.join(tmp, 'calls.log');
  const fake = path.join(tmp, 'python');
  // Records its arguments, then runs the real smoke_tf.py in a Python without site-packages (no TensorFlow).
  fs.writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" >> "${log}"\nexec python3 -S "$@"\n`, { mode: 0o755 });
  const { model, signature } = openModel(written('read', readFileModel()));
  const feeds = { path: { dtype: 'DT_STRING', shape: [1], values: [new TextEncoder().encode('/etc/passwd')] } };
  const refused = await new TensorflowRuntime(fake).run(model, signature, feeds, { runs: 1, warmup: 0, device: 'cpu' });
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.kind, 'file-access');
    assert.match(refused.message, /ReadFile 'contents'/);
    assert.match(refused.remedy, /--allow-file-access/);
  }
  assert.equal(fs.existsSync(log), false, 'Python was not started');
  const allowed = await new TensorflowRuntime(fake).run(model, signature, feeds, { runs: 1, warmup: 0, device: 'cpu', allowFileAccess: true });
  assert.equal(allowed.ok, false);
  if (!allowed.ok) assert.equal(allowed.kind, 'no-tensorflow');
  const args = fs.readFileSync(log, 'utf8').split('\n');
  assert.equal(args[args.indexOf('--refuse-ops') + 1], '', 'nothing refused when allowed');
});

test('without the flag smoke_tf.py is told which ops to refuse (its own look at the traced graph)', { skip: python3 ? undefined : 'skipped: python3 is not installed' }, async () => {
  const log = path.join(tmp, 'calls2.log');
  const fake = path.join(tmp, 'python2');
  fs.writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" >> "${log}"\nexec python3 -S "$@"\n`, { mode: 0o755 });
  const { model, signature } = openModel(written('saver', saverModel()));
  const r = await new TensorflowRuntime(fake).run(model, signature, { x: { dtype: 'DT_FLOAT', shape: [1, 1], values: [1] } }, { runs: 1, warmup: 0, device: 'cpu' });
  assert.equal(r.ok, false);
  const args = fs.readFileSync(log, 'utf8').split('\n');
  const refused = args[args.indexOf('--refuse-ops') + 1].split(',');
  for (const op of ['ReadFile', 'WriteFile', 'PrintV2', 'RestoreV2']) assert.ok(refused.includes(op), op);
});

/** contents = ReadFile('assets/<file>'), the file name a constant, as a model reading its own asset. */
function constReadModel(file: string): DirectorySpec {
  const name = { tensor: { dtype: 'DT_STRING', tensor_shape: {}, string_val: [new TextEncoder().encode(`assets/${file}`)] } };
  return graphModel({
    nodes: [placeholder('x', 'DT_FLOAT', [-1]), nodeDef('name', 'Const', [], { dtype: STRING, value: name }), nodeDef('contents', 'ReadFile', ['name'])],
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1]) }, outputs: { contents: tensorInfo('contents:0', 'DT_STRING', []) } } },
  });
}

test('the built-in runtime runs a read of the model\'s own asset (computed on the host), and says so', async () => {
  const dir = written('own-asset', constReadModel('vocab.txt'));
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'assets', 'vocab.txt'), 'own words');
  const r = await runBuiltin(dir, '{"instances": [1]}');
  assert.ok(r.ok, JSON.stringify(r));
  if (!r.ok) return;
  assert.ok(r.warnings.some((w) => /model's own assets were computed on the host/.test(w)), r.warnings.join('; '));
  assert.deepEqual(r.outputs[0].values.map((s) => Buffer.from(s as Uint8Array).toString()), ['own words']);
});

test('a link inside the model to a file outside it is not read: the signature is refused', async () => {
  const dir = written('linked-asset', constReadModel('secret.txt'));
  const outside = path.join(tmp, 'outside-secret.txt');
  fs.writeFileSync(outside, 'not the model\'s');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.symlinkSync(outside, path.join(dir, 'assets', 'secret.txt'));
  const r = await runBuiltin(dir, '{"instances": [1]}');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.kind, 'file-access');
  assert.match(r.message, /ReadFile 'contents' reads files/);
});
