// One verdict on a damaged saved_model.pb, whichever command reads it: show and the exports exit 2
// with the same line (`FILE: not a valid tensorflow.SavedModel (… at byte N, in PATH)`), check
// reports it as its only finding and exits 1. protoc refuses each of these files too. A file protoc
// accepts with a field of the wrong wire type is accepted, with a warning.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeSavedModel, linearModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { decodeSavedModel } from '../../../server/src/core/savedmodel/savedModel';
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { cli, ensureBuilt } from '../../helpers/builtCli';

let dir = '';


/** A model directory whose saved_model.pb is `bytes`. */
function modelWith(name: string, bytes: Uint8Array): string {
  const d = path.join(dir, name);
  writeSavedModelDir(d, linearModel(0.5, 3));
  fs.writeFileSync(path.join(d, 'saved_model.pb'), bytes);
  return d;
}

/** Damaged copies of the linear model: cut short, and a length inside node `mul` made to overrun it. */
function damaged(): Array<[string, Uint8Array]> {
  const full = encodeSavedModel(linearModel(0.5, 3).model);
  const graph = decodeSavedModel(full).metaGraphs[0].graph;
  const mul = graph.span(graph.indexOf('mul'));
  const flipped = full.slice();
  flipped[mul.start + 1] = 0x7f; // the name's one-byte length
  return [['truncated', full.subarray(0, full.length - 40)], ['length', flipped]];
}

before(() => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-corrupt-'));
});

for (const [label, bytes] of damaged()) {
  test(`${label}: protoc refuses it; show, export-text, export-serving exit 2 with one line; check exits 1 with that line alone`, { skip: protocMissing() }, () => {
    assert.equal(protocDecode(bytes).ok, false, 'protoc refuses the file');
    const d = modelWith(label, bytes);
    const pb = path.join(d, 'saved_model.pb');
    const show = cli('show', pb);
    assert.equal(show.status, 2);
    assert.equal(show.stdout, '');
    const lines = show.stderr.trim().split('\n');
    assert.equal(lines.length, 1, show.stderr);
    const line = lines[0];
    assert.match(line, /^savedmodel-lens: .*saved_model\.pb: not a valid tensorflow\.SavedModel \(.+ at byte \d+, in meta_graphs\[0\].*\)$/);

    const text = cli('export-text', pb);
    assert.equal(text.status, 2);
    assert.equal(text.stdout, '', 'nothing printed before the verdict');
    assert.equal(text.stderr.trim(), line, 'export-text gives the same line');
    const serving = cli('export-serving', pb, path.join(dir, `${label}-out`));
    assert.equal(serving.status, 2);
    assert.equal(serving.stderr.trim(), line);
    assert.equal(cli('show', pb, '--json').stderr.trim(), line);

    const check = cli('check', d, '--format', 'json');
    assert.equal(check.status, 1, check.stderr);
    const json = JSON.parse(check.stdout) as { status: string; findings: Array<{ ruleId: string; message: string }> };
    assert.equal(json.status, 'not-a-savedmodel');
    assert.deepEqual(json.findings.map((f) => f.ruleId), ['not-a-savedmodel'], 'nothing else of the file is checked');
    const reason = line.slice(line.indexOf(': ') + 2).replace(pb, 'saved_model.pb');
    assert.ok(json.findings[0].message.startsWith(reason), json.findings[0].message);
    assert.equal(cli('check', d).status, 1);
  });
}

test('a known field with the wrong wire type: accepted as protoc accepts it, show warns', { skip: protocMissing() }, () => {
  const w = new ByteWriter(16);
  w.tag(1, 5); // saved_model_schema_version (a varint) as fixed32
  w.fixed32(1);
  const bytes = Uint8Array.from(Buffer.concat([w.bytes(), encodeSavedModel(linearModel(0.5, 3).model)]));
  assert.equal(protocDecode(bytes).ok, true);
  const d = modelWith('wire-type', bytes);
  const show = cli('show', d);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stderr, /^warning: .*saved_model\.pb: field tensorflow\.SavedModel\.saved_model_schema_version has wire type 5, not 0: kept as an unknown field, as protoc does at byte 0, in saved_model_schema_version$/m);
  // check says it too, as a warning that does not fail the check, at the field's element.
  const check = cli('check', d, '--format', 'json');
  assert.equal(check.status, 0, check.stderr);
  const findings = (JSON.parse(check.stdout) as { findings: Array<{ ruleId: string; severity: string; message: string }> }).findings
    .filter((f) => f.ruleId === 'wire-type-mismatch');
  assert.equal(findings.length, 1, check.stdout);
  assert.equal(findings[0].severity, 'warning');
  assert.match(findings[0].message, /saved_model_schema_version has wire type 5, not 0.*TensorFlow loads the model without this value/);
  const text = cli('export-text', path.join(d, 'saved_model.pb'));
  assert.equal(text.status, 0);
  assert.equal(text.stdout, protocDecode(bytes).stdout.toString());
});
