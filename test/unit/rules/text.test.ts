import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeSavedModel, linearModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { checkDir, only, tempDir } from './helpers';
import { checkPath } from '../../../server/src/core/check/checkModel';
import { locationResolver } from '../../../server/src/core/check/resolveLocation';
import { writeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';

/** The linear model as saved_model.pbtxt (with its variables), after `edit` of the text. */
function textModel(edit: (text: string) => string): string {
  const spec = linearModel(1, 2);
  const dir = tempDir('text');
  fs.writeFileSync(path.join(dir, 'saved_model.pbtxt'), edit(printText(encodeSavedModel(spec.model))));
  writeCheckpoint(path.join(dir, 'variables'), spec.variables ?? []);
  return dir;
}


function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

test('a clean .pbtxt has no findings', () => {
  assert.deepEqual(checkDir(textModel((t) => t)), []);
});

test('findings in a .pbtxt map to line:column of the element', () => {
  let text = '';
  const dir = textModel((t) => (text = t.replace('method_name: "tensorflow/serving/predict"', 'method_name: "regression"')));
  const outcome = checkPath(dir);
  assert.equal(outcome.kind, 'checked');
  if (outcome.kind !== 'checked') return;
  const f = only([...outcome.findings], 'invalid-method-name');
  assert.equal(f.length, 1);
  const at = locationResolver(outcome.model.location, outcome.model)(f[0].location);
  assert.equal(at.file, 'saved_model.pbtxt');
  assert.equal(at.range?.start.line, lineOf(text, 'method_name: "regression"'));
  const line = text.split('\n')[(at.range?.start.line ?? 1) - 1];
  assert.equal(line.slice((at.range?.start.column ?? 1) - 1), 'method_name: "regression"');
});

test('syntax-error: from the text parser, at the error position', () => {
  const dir = textModel((t) => `${t}\nmeta_graphs {\n  meta_info_def {\n`);
  const f = only(checkDir(dir), 'syntax-error');
  assert.ok(f.length >= 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(f[0].location.kind, 'file');
  assert.ok(f[0].location.kind === 'file' && f[0].location.path === 'saved_model.pbtxt' && f[0].location.range);
  assert.deepEqual(only(checkDir(dir), 'schema-error'), []);
});

test('schema-error: an unknown field, with the parser\'s suggestion', () => {
  const dir = textModel((t) => t.replace('saved_model_schema_version: 1', 'saved_model_schema_versoin: 1'));
  const f = only(checkDir(dir), 'schema-error');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /saved_model_schema_versoin/);
  assert.match(f[0].message, /saved_model_schema_version/);
  assert.deepEqual(only(checkDir(dir), 'syntax-error'), []);
});
