// printTextToFile, printTextChunks and the editor's bytes elision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { printText, printTextChunks, printTextToFile } from '../../../server/src/core/textprint/textPrinter';
import { WireError } from '../../../server/src/core/protobuf/wire';
import { bytesField, message, raw, sub } from './build';

/**
 * A SavedModel with a graph holding one Const node whose tensor_content is `size` bytes, then
 * optionally a second node with a bad wire type, found only after the first node is printed.
 */
function modelWithTensor(size: number, brokenSecondNode = false): Uint8Array {
  return message((w) => sub(w, 2, (w) => sub(w, 2, (w) => {
    sub(w, 1, (w) => {
      bytesField(w, 1, 'c');
      sub(w, 5, (w) => { bytesField(w, 1, 'value'); sub(w, 2, (w) => sub(w, 8, (w) => bytesField(w, 4, new Uint8Array(size).fill(0x41)))); });
    });
    if (brokenSecondNode) sub(w, 1, (w) => w.byte(0x0f));
  })));
}

function withTempDir(body: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'printer-out-'));
  try {
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('printTextToFile writes the same text as printText and leaves only the output file', () => {
  withTempDir((dir) => {
    const buf = modelWithTensor(3 << 20); // more than one 1 MiB chunk of text
    const out = path.join(dir, 'saved_model.pbtxt');
    printTextToFile(buf, out);
    assert.equal(fs.readFileSync(out, 'latin1'), printText(buf));
    assert.deepEqual(fs.readdirSync(dir), ['saved_model.pbtxt']);
  });
});

test('printTextToFile on malformed input throws WireError and leaves no file behind', () => {
  withTempDir((dir) => {
    const bad = modelWithTensor(3 << 20, true);
    let streamed = 0;
    assert.throws(() => printTextChunks(bad, 'tensorflow.SavedModel', (c) => { streamed += c.length; }), WireError);
    assert.ok(streamed > 1 << 20, 'the error is found after megabytes were streamed');
    const out = path.join(dir, 'saved_model.pbtxt');
    assert.throws(() => printTextToFile(bad, out), WireError);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

test('printTextToFile keeps an existing output file when printing fails', () => {
  withTempDir((dir) => {
    const out = path.join(dir, 'saved_model.pbtxt');
    fs.writeFileSync(out, 'previous');
    assert.throws(() => printTextToFile(raw(0x0f), out), WireError);
    assert.equal(fs.readFileSync(out, 'utf8'), 'previous');
    assert.deepEqual(fs.readdirSync(dir), ['saved_model.pbtxt']);
  });
});

test('printTextChunks streams chunks of at most 1 MiB that join to the text', () => {
  const buf = modelWithTensor(1 << 20);
  const chunks: Buffer[] = [];
  printTextChunks(buf, 'tensorflow.SavedModel', (c) => chunks.push(Buffer.from(c)));
  assert.ok(chunks.length >= 2);
  assert.ok(chunks.every((c) => c.length > 0 && c.length <= 1 << 20));
  assert.equal(Buffer.concat(chunks).toString('latin1'), printText(buf));
});

test('elideBytesOver replaces long bytes values with a comment line, short ones stay', () => {
  const long = printText(modelWithTensor(5000), 'tensorflow.SavedModel', { elideBytesOver: 1000 });
  assert.match(long, /\n {12}# tensor_content: 5000 bytes elided\n/);
  assert.doesNotMatch(long, /AAAA/);
  const short = printText(modelWithTensor(10), 'tensorflow.SavedModel', { elideBytesOver: 1000 });
  assert.match(short, /tensor_content: "AAAAAAAAAA"/);
  const unknown = printText(message((w) => bytesField(w, 99, new Uint8Array(2000))), 'tensorflow.SavedModel', { elideBytesOver: 1000 });
  assert.equal(unknown, '# 99: 2000 bytes elided\n');
});

test('printText defaults to tensorflow.SavedModel and rejects unknown type names', () => {
  assert.equal(printText(message((w) => { w.tag(1, 0); w.varint(1); })), 'saved_model_schema_version: 1\n');
  assert.throws(() => printText(new Uint8Array(0), 'tensorflow.NoSuchMessage'), /unknown message type/);
});
