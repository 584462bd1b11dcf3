// Printing a model read by positions (savedmodel/modelFile.ts): the payloads the view elides are
// never read, the text is the one printed from the whole file; an unknown field of 64 KiB is read
// in as the printer reaches it, and a bytes value the text shows streams from the file in pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { constNode, encodeSavedModel, float32Bytes, metaGraph, placeholder, savedModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { ModelFile, MIN_SKIP } from '../../../server/src/core/savedmodel/modelFile';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { printText, printTextWithTree } from '../../../server/src/core/textprint/textPrinter';

/** A model with one Const of `floats` float32 values (tensor_content), plus `tail` appended as is. */
function writeModel(floats: number, tail: Uint8Array = new Uint8Array(0)): string {
  const pb = encodeSavedModel(savedModel([metaGraph({
    tags: ['serve'],
    nodes: [placeholder('x', 'DT_FLOAT', [-1, 2]), constNode('w', 'DT_FLOAT', [floats], float32Bytes(Array.from({ length: floats }, (_, i) => i % 7)))],
    signatures: {},
  })]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-sparse-print-'));
  const file = path.join(dir, 'saved_model.pb');
  fs.writeFileSync(file, Buffer.concat([pb, tail]));
  return file;
}

function open(file: string): ModelFile {
  const { file: m, verdict } = ModelFile.open(file, loadSchema().message('tensorflow.SavedModel'));
  assert.equal(verdict.error, undefined);
  return m;
}

test('an elided tensor_content is never read; the text is the whole file\'s', () => {
  const file = writeModel(MIN_SKIP); // 4 × 64 Ki bytes of tensor_content
  const m = open(file);
  assert.ok(m.unreadBytes >= 4 * MIN_SKIP, 'the walk left the payload unread');
  const printed = printTextWithTree(m.bytes, 'tensorflow.SavedModel', { elideBytesOver: 4096 });
  assert.equal(printed.bytes.toString('latin1'), printText(fs.readFileSync(file), 'tensorflow.SavedModel', { elideBytesOver: 4096 }));
  assert.match(printed.bytes.toString('latin1'), /# tensor_content: 262144 bytes elided/);
  assert.ok(m.unreadBytes >= 4 * MIN_SKIP, 'printing did not read it');
  fs.rmSync(path.dirname(file), { recursive: true });
});

test('payloads the text shows: unknown field sets read in as the printer reaches them, bytes streamed', () => {
  const w = new ByteWriter();
  // An unknown field of the root holding a field set of 64 Ki: printed as a block, so read.
  const inner = new ByteWriter();
  inner.tag(1, 2);
  inner.varint(MIN_SKIP);
  inner.raw(new Uint8Array(MIN_SKIP).fill(0x61));
  const set = inner.bytes();
  w.tag(77, 2);
  w.varint(set.length);
  w.raw(set);
  const file = writeModel(MIN_SKIP, w.bytes());
  const whole = fs.readFileSync(file);
  for (const elideBytesOver of [4096, Infinity]) {
    const m = open(file);
    const text = printText(m.bytes, 'tensorflow.SavedModel', { elideBytesOver });
    assert.equal(text, printText(whole, 'tensorflow.SavedModel', { elideBytesOver }), `elideBytesOver ${elideBytesOver}`);
    assert.match(text, /^77 \{$/m);
    // A shown bytes value streams from the file to the text without being kept; the unknown field set is read in to be parsed.
    if (elideBytesOver === Infinity) assert.equal(m.unreadBytes, 4 * MIN_SKIP);
  }
  fs.rmSync(path.dirname(file), { recursive: true });
});
