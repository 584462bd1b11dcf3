// Positioned reads: a binary model is loaded without reading its big payloads; they are read when
// asked for, from the file opened once; a file that changed after loading is never mixed with the
// model read before: the late read refuses, and withFreshModel reads the model again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { constNode, encodeSavedModel, float32Bytes, metaGraph, placeholder, savedModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { loadModel, loadModelFromBytes, withFreshModel } from '../../../server/src/core/savedmodel/loadModel';
import { locateModel } from '../../../server/src/core/savedmodel/modelDirectory';
import { ModelChangedError, ModelFile, MIN_SKIP } from '../../../server/src/core/savedmodel/modelFile';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { PlainMessage, msg } from '../../../server/src/core/protobuf/plainMessage';
import { summarize } from '../../../server/src/core/savedmodel/modelSummary';
import { checkLoaded, checkPath } from '../../../server/src/core/check/checkModel';
import { printText, printTextChunks } from '../../../server/src/core/textprint/textPrinter';
import { protocDecode, protocMissing } from '../../helpers/protoc';

const COUNT = 100_000; // 400 KB of float32 per weight: well over MIN_SKIP
const SAVED_MODEL = loadSchema().message('tensorflow.SavedModel');

function weights(seed: number): Uint8Array {
  return float32Bytes(Array.from({ length: COUNT }, (_, i) => seed + i));
}

/** A model with two big constants whose values start at `seed`. */
function model(seed: number): PlainMessage {
  return savedModel([metaGraph({
    tags: ['serve'],
    nodes: [placeholder('x', 'DT_FLOAT', [-1, 1]), constNode('w1', 'DT_FLOAT', [COUNT], weights(seed)), constNode('w2', 'DT_FLOAT', [COUNT], weights(seed + 1))],
    signatures: {},
  })]);
}

function modelDir(seed: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-posread-'));
  writeSavedModelDir(dir, { model: model(seed) });
  return dir;
}

/** The tensor's bytes, copied into a plain Uint8Array (the model's views are Buffers). */
function contentOf(attrs: PlainMessage): Uint8Array {
  return Uint8Array.from(msg(msg(attrs.value).tensor).tensor_content as Uint8Array);
}

/** Wait until the clock has moved past the file's timestamp granularity, as any real edit has. */
function later(): void {
  const until = Date.now() + 30;
  while (Date.now() < until) { /* spin */ }
}

test('the walk reads the framing, not the tensor payloads; a payload is read when asked for', () => {
  const dir = modelDir(1);
  const file = path.join(dir, 'saved_model.pb');
  const size = fs.statSync(file).size;
  const { file: mf, verdict } = ModelFile.open(file, SAVED_MODEL);
  assert.ok(verdict.ok);
  assert.equal(mf.unreadBytes, 2 * 4 * COUNT, 'both tensor_contents left unread');
  assert.ok(mf.bytesRead < size - 2 * 4 * COUNT + 2 * MIN_SKIP, `${mf.bytesRead} of ${size} bytes read`);
  assert.ok(MIN_SKIP < 4 * COUNT);

  const loaded = loadModel(dir);
  assert.ok(loaded.ok);
  const g = loaded.model.doc.metaGraphs[0].graph;
  const w1 = g.indexOf('w1');
  // Sizes without reading: what check and show need.
  assert.equal(contentOf(g.attrSizes(w1)).length, 4 * COUNT);
  assert.ok(summarize(loaded.model));
  // Contents when asked: the file's bytes, not a hole.
  assert.deepEqual(contentOf(g.attrs(w1)), weights(1));
  assert.deepEqual(contentOf(g.attrs(g.indexOf('w2'))), weights(2));
  // And the whole file, for an export that copies it.
  assert.deepEqual(new Uint8Array(loaded.model.binary), new Uint8Array(fs.readFileSync(file)));
  fs.rmSync(dir, { recursive: true });
});

test('payloads of every size come back whole: small ones read by the walk, big ones when asked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-posread-'));
  // Sizes around the read-ahead (4 KiB, doubling) and MIN_SKIP, so some fall past what was read.
  const sizes = [10, 3000, 5000, 9000, 20_000, 70_000, 2000, 40_000, 200_000, 100, 65_536, 65_535, 30_000];
  const values = sizes.map((n, k) => float32Bytes(Array.from({ length: n }, (_, i) => k * 1000 + i)));
  const nodes = values.map((v, k) => constNode(`c${k}`, 'DT_FLOAT', [v.length / 4], v));
  writeSavedModelDir(dir, { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: {} })]) });
  const loaded = loadModel(dir);
  assert.ok(loaded.ok);
  const g = loaded.model.doc.metaGraphs[0].graph;
  values.forEach((v, k) => {
    assert.equal(contentOf(g.attrSizes(k)).length, v.length);
    assert.deepEqual(contentOf(g.attrs(k)), Uint8Array.from(v), `c${k} (${v.length} bytes)`);
  });
  fs.rmSync(dir, { recursive: true });
});

test('printing a model read by positions streams its payloads: the text protoc prints, nothing kept', () => {
  const dir = modelDir(7);
  const file = path.join(dir, 'saved_model.pb');
  const { file: mf, verdict } = ModelFile.open(file, SAVED_MODEL);
  assert.ok(verdict.ok);
  const unread = mf.unreadBytes;
  const streamed: Buffer[] = [];
  printTextChunks(mf.bytes, 'tensorflow.SavedModel', (c) => streamed.push(Buffer.from(c)));
  assert.equal(Buffer.concat(streamed).toString('latin1'), printText(new Uint8Array(fs.readFileSync(file))));
  assert.equal(mf.unreadBytes, unread, 'the payloads went to the output without being read into the model');
  const skip = protocMissing();
  if (!skip) assert.equal(Buffer.concat(streamed).toString('latin1'), protocDecode(fs.readFileSync(file)).stdout.toString('latin1'));
  fs.rmSync(dir, { recursive: true });
});

test('check and show on a model read by positions give what they gave on the whole file', () => {
  const dir = modelDir(3);
  const byPositions = checkPath(dir);
  const located = locateModel(dir);
  assert.ok(!('error' in located));
  const fromBytes = loadModelFromBytes(located, new Uint8Array(fs.readFileSync(located.modelFile)));
  assert.ok(fromBytes.ok && byPositions.kind === 'checked');
  if (!fromBytes.ok || byPositions.kind !== 'checked') return;
  const inMemory = checkLoaded(dir, fromBytes.model);
  assert.ok(inMemory.kind === 'checked');
  assert.deepEqual(byPositions.findings, inMemory.kind === 'checked' ? inMemory.findings : []);
  assert.deepEqual(summarize(byPositions.model), summarize(fromBytes.model));
  fs.rmSync(dir, { recursive: true });
});

test('a late read after the file changed in place refuses (never mixes); withFreshModel reads the new file', () => {
  const dir = modelDir(10);
  const file = path.join(dir, 'saved_model.pb');
  const loaded = loadModel(dir);
  assert.ok(loaded.ok);
  const g = loaded.model.doc.metaGraphs[0].graph;
  later();
  // Same size, same layout, other weights: only the late read can tell.
  const next = encodeSavedModel(model(20));
  assert.equal(next.length, fs.statSync(file).size);
  fs.writeFileSync(file, next);
  assert.throws(() => g.attrs(g.indexOf('w1')), ModelChangedError);
  assert.throws(() => loaded.model.binary, ModelChangedError);

  let runs = 0;
  const r = withFreshModel(dir, (m) => {
    runs++;
    const t = m.doc.metaGraphs[0].graph;
    return contentOf(t.attrs(t.indexOf('w1')));
  });
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.value, weights(20), 'the new file\'s weights, whole');
  assert.equal(runs, 1);
  fs.rmSync(dir, { recursive: true });
});

test('a file replaced by another (renamed over it) is a change too', () => {
  const dir = modelDir(30);
  const file = path.join(dir, 'saved_model.pb');
  const loaded = loadModel(dir);
  assert.ok(loaded.ok);
  const g = loaded.model.doc.metaGraphs[0].graph;
  fs.writeFileSync(`${file}.new`, encodeSavedModel(model(40)));
  fs.renameSync(`${file}.new`, file);
  assert.throws(() => g.attrs(g.indexOf('w2')), ModelChangedError);
  fs.rmSync(dir, { recursive: true });
});

test('withFreshModel starts over when the file changes during its work, and the result is all new', () => {
  const dir = modelDir(50);
  const file = path.join(dir, 'saved_model.pb');
  let runs = 0;
  const r = withFreshModel(dir, (m) => {
    runs++;
    const t = m.doc.metaGraphs[0].graph;
    const first = contentOf(t.attrs(t.indexOf('w1')));
    if (runs === 1) {
      later();
      fs.writeFileSync(file, encodeSavedModel(model(60)));
    }
    const second = contentOf(t.attrs(t.indexOf('w2')));
    return [first, second];
  });
  assert.ok(r.ok);
  assert.equal(runs, 2);
  if (r.ok) assert.deepEqual(r.value, [weights(60), weights(61)], 'both weights from the new file: nothing mixed');
  fs.rmSync(dir, { recursive: true });
});
