import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggestNames } from '../../../server/src/core/textformat/nameSuggestions';

test('Damerau-Levenshtein distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('name', 'name'), 0);
  assert.equal(editDistance('nmae', 'name'), 1);
  assert.equal(editDistance('nam', 'name'), 1);
  assert.equal(editDistance('namex', 'name'), 1);
  assert.equal(editDistance('nbme', 'name'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('signatre_dfe', 'signature_def'), 2);
  assert.equal(editDistance('abcdef', 'zzzzzz', 2), 3, 'gives up past the limit');
});

test('suggestions: nearest first, at most three, none when nothing is close', () => {
  const fields = ['name', 'op', 'input', 'device', 'attr', 'experimental_debug_info'];
  assert.deepEqual(suggestNames('nmae', fields), ['name']);
  assert.deepEqual(suggestNames('inputs', fields), ['input']);
  assert.deepEqual(suggestNames('Name', fields), ['name']);
  assert.deepEqual(suggestNames('zzzzzz', fields), []);
  assert.deepEqual(suggestNames('ab', ['aa', 'ba', 'ac', 'xb', 'ab2']).length, 3);
  assert.deepEqual(suggestNames('DT_FLOTA', ['DT_INVALID', 'DT_FLOAT', 'DT_DOUBLE', 'DT_HALF']), ['DT_FLOAT']);
});
