// Every real SavedModel of the corpus, decoded to text by protoc, parses without error and encodes
// to exactly the bytes `protoc --encode` makes of the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseText } from '../../../server/src/core/textformat/textParser';
import { encodeText } from '../../../server/src/core/textformat/textEncoder';
import { CORPUS_DIR, corpusMissing, corpusModels } from '../../helpers/corpus';
import { protocDecode, protocEncode, protocMissing } from '../../helpers/protoc';

const skip = { skip: corpusMissing() ?? protocMissing() };

function assertSameAsProtoc(label: string, text: Uint8Array): void {
  const parsed = parseText(text);
  assert.deepEqual(parsed.errors.slice(0, 3), [], `${label}: no parse errors`);
  const ours = encodeText(parsed.root);
  const theirs = protocEncode(text);
  assert.ok(theirs.ok, `${label}: protoc --encode failed: ${theirs.stderr}`);
  assert.equal(ours.length, theirs.stdout.length, `${label}: encoded size`);
  assert.ok(Buffer.from(ours).equals(theirs.stdout), `${label}: bytes differ from protoc --encode`);
}

test('every corpus saved_model.pb: protoc text → our encoding = protoc --encode', skip, (t) => {
  const models = corpusModels('.pb');
  assert.ok(models.length >= 25, `found ${models.length} models`);
  for (const [name, file] of models) {
    const decoded = protocDecode(fs.readFileSync(file));
    assert.ok(decoded.ok, `${name}: protoc --decode failed: ${decoded.stderr}`);
    assertSameAsProtoc(name, decoded.stdout);
    t.diagnostic(`${name}: ${decoded.stdout.length} text bytes`);
  }
});

test('the corpus saved_model.pbtxt (written by TensorFlow) encodes like protoc', skip, () => {
  const file = path.join(CORPUS_DIR, 'tf-half_plus_two_pbtxt', 'saved_model.pbtxt');
  assertSameAsProtoc('tf-half_plus_two_pbtxt', fs.readFileSync(file));
});
