// Files named saved_model.pb(txt) that are something else get one line naming what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';
import { encodePlain } from '../../../server/src/core/protobuf/plainEncoder';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { encodeSavedModel, linearModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { nodeDef, placeholder } from '../../../server/src/core/savedmodel/modelBuilder';

function modelFile(name: string, content: Uint8Array | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-kind-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

function reasonFor(name: string, content: Uint8Array | string): string {
  const r = loadModel(modelFile(name, content));
  assert.equal(r.ok, false, `${name} should not load`);
  if (r.ok) return '';
  assert.equal(r.kind, 'not-a-savedmodel');
  assert.ok(!r.reason.includes('\n'), 'one line');
  return r.reason;
}

const graphDef = (): Uint8Array => encodePlain(
  { node: [placeholder('x', 'DT_FLOAT', [-1]), nodeDef('y', 'Identity', ['x'])], versions: { producer: 27 } },
  loadSchema().message('tensorflow.GraphDef'),
);

function labelMap(): Uint8Array {
  const w = new ByteWriter();
  for (const [id, name] of [[1, 'person'], [2, 'bicycle']] as const) {
    w.tag(1, 2);
    const m = w.beginLength();
    w.tag(1, 2); w.lengthDelimited(Buffer.from(`/m/0${id}`));
    w.tag(2, 0); w.varint(id);
    w.tag(3, 2); w.lengthDelimited(Buffer.from(name));
    w.endLength(m);
  }
  return w.bytes().slice();
}

test('a valid binary SavedModel loads', () => {
  const r = loadModel(modelFile('saved_model.pb', encodeSavedModel(linearModel(0.5, 3).model)));
  assert.equal(r.ok, true);
});

test('empty file', () => assert.match(reasonFor('saved_model.pb', ''), /an empty file/));
test('HTML page', () => assert.match(reasonFor('saved_model.pb', '<!DOCTYPE html>\n<html><body>Sign in</body></html>'), /HTML/));
test('binary GraphDef', () => assert.match(reasonFor('saved_model.pb', graphDef()), /GraphDef/));
test('binary label map', () => assert.match(reasonFor('saved_model.pb', labelMap()), /label map/));
test('text label map named .pbtxt', () => assert.match(reasonFor('saved_model.pbtxt', 'item {\n  name: "/m/01g317"\n  id: 1\n  display_name: "person"\n}\n'), /label map/));
test('text GraphDef named .pbtxt', () => assert.match(reasonFor('saved_model.pbtxt', '# exported\nnode {\n  name: "x"\n  op: "Placeholder"\n}\n'), /GraphDef/));
test('binary data named .pbtxt', () => assert.match(reasonFor('saved_model.pbtxt', encodeSavedModel(linearModel(1, 2).model)), /binary/));
test('text SavedModel named .pb', () => assert.match(reasonFor('saved_model.pb', 'saved_model_schema_version: 1\nmeta_graphs {\n}\n'), /rename it to saved_model.pbtxt/));
test('gzip archive', () => assert.match(reasonFor('saved_model.pb', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])), /gzip/));

test('truncated SavedModel says where and that it is truncated', () => {
  const full = encodeSavedModel(linearModel(0.5, 3).model);
  const reason = reasonFor('saved_model.pb', full.subarray(0, full.length - 7));
  assert.match(reason, /truncated/);
  assert.match(reason, /byte \d+/);
});

test('a file over 2 GiB gets the protobuf limit message without being read', () => {
  const p = modelFile('saved_model.pb', '');
  fs.truncateSync(p, 2 ** 31 + 10); // sparse: costs no disk
  const r = loadModel(p);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.reason, /2 GiB/);
  fs.rmSync(path.dirname(p), { recursive: true });
});

test('a missing path is unreadable, not "not a SavedModel"', () => {
  const r = loadModel('/nonexistent/saved_model.pb');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.kind, 'unreadable');
});
