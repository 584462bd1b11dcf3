// The grammar over real SavedModel text: our fixture, the corpus's saved_model.pbtxt and protoc's
// text rendering of the corpus's small saved_model.pb files. Real text must tokenize completely:
// no character left with only the root scope, no escape or token marked invalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusMissing, corpusModels } from '../../helpers/corpus';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { SCOPE_NAME, Token, tokenizeLines } from './tokenize';

const SMALL_PB_BYTES = 200_000; // the big graphs add minutes of tokenizing and nothing new

interface Finding {
  line: number;
  text: string;
  scopes: string;
}

interface Scan {
  problems: Finding[];
  escapes: number;
}

async function scan(text: string): Promise<Scan> {
  const tokenized = await tokenizeLines(text.split('\n'));
  const out: Scan = { problems: [], escapes: 0 };
  tokenized.forEach((tokens: Token[], i) => {
    for (const t of tokens) {
      const bare = t.scopes.length === 1 && t.scopes[0] === SCOPE_NAME && t.text.trim() !== '';
      if (bare || t.scopes.some((s) => s.startsWith('invalid'))) out.problems.push({ line: i + 1, text: t.text, scopes: t.scopes.join(' ') });
      if (t.scopes.includes('constant.character.escape.pbtxt')) out.escapes++;
    }
  });
  return out;
}

const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'workspace', 'model_a', 'saved_model.pbtxt');

test('the fixture saved_model.pbtxt tokenizes with no bare or invalid text', async () => {
  assert.deepEqual((await scan(fs.readFileSync(FIXTURE, 'utf8'))).problems, []);
});

test('the corpus saved_model.pbtxt tokenizes with no bare or invalid text', { skip: corpusMissing() }, async () => {
  const models = corpusModels('.pbtxt');
  assert.ok(models.length > 0, 'no saved_model.pbtxt in the corpus');
  for (const [name, file] of models) {
    assert.deepEqual((await scan(fs.readFileSync(file, 'utf8'))).problems.slice(0, 5), [], name);
  }
});

test('protoc text of the small corpus models tokenizes with no bare or invalid text', { skip: corpusMissing() ?? protocMissing() }, async () => {
  const small = corpusModels('.pb').filter(([, file]) => fs.statSync(file).size <= SMALL_PB_BYTES);
  assert.ok(small.length > 0, 'no small saved_model.pb in the corpus');
  let escapes = 0; // protoc escapes the bytes of tensor_content and Any values: the escape rules get real input
  for (const [name, file] of small) {
    const decoded = protocDecode(fs.readFileSync(file));
    if (!decoded.ok) continue; // fuzzed models that protoc rejects are not grammar input
    const found = await scan(decoded.stdout.toString('utf8'));
    assert.deepEqual(found.problems.slice(0, 5), [], name);
    escapes += found.escapes;
  }
  assert.ok(escapes > 100, `expected many string escapes in protoc's text, saw ${escapes}`);
});
