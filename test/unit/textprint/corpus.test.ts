// Every real SavedModel in the shared corpus prints exactly as `protoc --decode` prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printText, printTextChunks } from '../../../server/src/core/textprint/textPrinter';
import { CORPUS_DIR, corpusMissing, corpusModels } from '../../helpers/corpus';
import { protocDecode, protocMissing } from '../../helpers/protoc';

const skip = corpusMissing() ?? protocMissing();

/** Files under the corpus with this name, as [relative path, absolute path]. */
function corpusFiles(name: RegExp): Array<[string, string]> {
  if (corpusMissing()) return [];
  const out: Array<[string, string]> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (name.test(e.name)) out.push([path.relative(CORPUS_DIR, p), p]);
    }
  };
  walk(CORPUS_DIR);
  return out.sort();
}

function assertSame(file: string, type: string): void {
  const buf = fs.readFileSync(file);
  const expected = protocDecode(buf, type);
  assert.ok(expected.ok, `protoc failed on ${file}: ${expected.stderr}`);
  const got = printText(buf, type);
  if (got === expected.stdout.toString('latin1')) return;
  const exp = expected.stdout.toString('latin1');
  let i = 0;
  while (got[i] === exp[i]) i++;
  assert.fail(`${file} differs at char ${i}:\nexpected ${JSON.stringify(exp.slice(i - 80, i + 80))}\ngot      ${JSON.stringify(got.slice(i - 80, i + 80))}`);
}

test('corpus has the expected SavedModels', { skip }, () => {
  assert.ok(corpusModels().length >= 20, `only ${corpusModels().length} saved_model.pb files found`);
});

for (const [name, file] of corpusModels()) {
  test(`saved_model.pb of ${name} prints like protoc`, { skip }, () => assertSame(file, 'tensorflow.SavedModel'));
}

for (const [rel, file] of corpusFiles(/^fingerprint\.pb$/)) {
  test(`${rel} (FingerprintDef) prints like protoc`, { skip }, () => assertSame(file, 'tensorflow.FingerprintDef'));
}

for (const [rel, file] of corpusFiles(/debug_info\.pb$/)) {
  test(`${rel} (GraphDebugInfo, proto2) prints like protoc`, { skip }, () => assertSame(file, 'tensorflow.GraphDebugInfo'));
}

test('chunked output concatenates to the same text, chunks at most 1 MiB', { skip }, () => {
  const largest = corpusModels()
    .map(([, p]) => p)
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  const buf = fs.readFileSync(largest);
  const chunks: Buffer[] = [];
  printTextChunks(buf, 'tensorflow.SavedModel', (c) => chunks.push(Buffer.from(c)));
  assert.ok(chunks.length > 1, 'expected several chunks for the largest model');
  assert.ok(chunks.every((c) => c.length <= 1 << 20));
  assert.equal(Buffer.concat(chunks).toString('latin1'), printText(buf));
});
