import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearModel, metaGraph, placeholder, savedModel, nodeDef } from '../../../server/src/core/savedmodel/modelBuilder';
import { check, only, pathText, io, FLOAT } from './helpers';

const nodes = [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Identity', ['x'], { T: FLOAT })];
const mg = (tags: string[]) => metaGraph({ tags, nodes, signatures: { serving_default: io() } });

test('serve-tag-missing: fires when no meta graph is tagged serve, naming the tag sets', () => {
  const f = only(check({ model: savedModel([mg([]), mg(['train'])]) }), 'serve-tag-missing');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.match(f[0].message, /\{\}, \{train\}/);
  assert.equal(pathText(f[0]), 'meta_graphs[0].meta_info_def');
});

test('serve-tag-missing: quiet for {serve}, and for serve among other tags', () => {
  assert.deepEqual(only(check(linearModel(1, 2)), 'serve-tag-missing'), []);
  assert.deepEqual(only(check({ model: savedModel([mg(['serve', 'gpu'])]) }), 'serve-tag-missing'), []);
});

test('serve-tag-missing: a SavedModel without meta graphs', () => {
  const f = only(check({ model: savedModel([]) }), 'serve-tag-missing');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /no meta graph at all/);
});

test('multiple-serve-meta-graphs: fires for the second {serve} meta graph, pointing back at the first', () => {
  const f = only(check({ model: savedModel([mg(['serve']), mg(['train']), mg(['serve'])]) }), 'multiple-serve-meta-graphs');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[2].meta_info_def');
  assert.equal(f[0].related?.length, 1);
  assert.match(f[0].message, /Meta graphs 0 and 2/);
});

test('multiple-serve-meta-graphs: quiet when the other serve meta graph has more tags', () => {
  assert.deepEqual(only(check({ model: savedModel([mg(['serve']), mg(['serve', 'gpu'])]) }), 'multiple-serve-meta-graphs'), []);
});
