// The node-name index: first definition wins, misses say -1, and names that hash alike or hold
// non-ASCII characters are still told apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameIndex } from '../../../server/src/core/savedmodel/nameIndex';

test('each name maps to its first index; unknown names to -1', () => {
  const names = ['a', 'b', 'a', 'c/d', '', 'b'];
  const ix = new NameIndex(names);
  assert.equal(ix.indexOf('a'), 0);
  assert.equal(ix.indexOf('b'), 1);
  assert.equal(ix.indexOf('c/d'), 3);
  assert.equal(ix.indexOf(''), 4);
  assert.equal(ix.indexOf('c'), -1);
  assert.equal(ix.indexOf('A'), -1);
});

test('an empty table finds nothing', () => {
  assert.equal(new NameIndex([]).indexOf('x'), -1);
});

test('many similar names and non-ASCII ones agree with a Map built the same way', () => {
  const names: string[] = [];
  for (let i = 0; i < 5000; i++) names.push(`block_${i >> 6}/layer_${i & 63}/Mul`);
  names.push('gewicht/größe', 'узел', '😀/x', 'block_0/layer_0/Mul');
  const ix = new NameIndex(names);
  const first = new Map<string, number>();
  names.forEach((n, i) => first.has(n) || first.set(n, i));
  for (const [n, i] of first) assert.equal(ix.indexOf(n), i, n);
  for (const miss of ['block_0/layer_64/Mul', 'gewicht/grosse', '😀', 'block_78/layer_8/Mul']) assert.equal(ix.indexOf(miss), -1, miss);
});
