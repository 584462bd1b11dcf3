// The node-name index: first definition wins, misses say -1, names that hash alike or hold
// non-ASCII characters are told apart, and a look-up by string agrees with one by bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NameIndex } from '../../../server/src/core/savedmodel/nameIndex';

/** The names laid out one after another in one buffer, as a file holds them. */
function indexOf(names: readonly string[]): { ix: NameIndex; buf: Uint8Array } {
  const parts = names.map((n) => new TextEncoder().encode(n));
  const buf = new Uint8Array(parts.reduce((s, p) => s + p.length + 1, 0));
  const starts = new Uint32Array(names.length);
  const ends = new Uint32Array(names.length);
  let pos = 0;
  parts.forEach((p, i) => {
    buf.set(p, pos);
    starts[i] = pos;
    ends[i] = pos + p.length;
    pos += p.length + 1;
  });
  return { ix: new NameIndex(buf, starts, ends, names.length), buf };
}

test('each name maps to its first index; unknown names to -1', () => {
  const { ix } = indexOf(['a', 'b', 'a', 'c/d', '', 'b']);
  assert.equal(ix.lookupName('a'), 0);
  assert.equal(ix.lookupName('b'), 1);
  assert.equal(ix.lookupName('c/d'), 3);
  assert.equal(ix.lookupName(''), 4);
  assert.equal(ix.lookupName('c'), -1);
  assert.equal(ix.lookupName('A'), -1);
});

test('an empty table finds nothing', () => {
  assert.equal(indexOf([]).ix.lookupName('x'), -1);
});

test('many similar names and non-ASCII ones: by string and by bytes, as a Map of first definitions says', () => {
  const names: string[] = [];
  for (let i = 0; i < 5000; i++) names.push(`block_${i >> 6}/layer_${i & 63}/Mul`);
  names.push('gewicht/größe', 'узел', '😀/x', 'block_0/layer_0/Mul');
  const { ix } = indexOf(names);
  const first = new Map<string, number>();
  names.forEach((n, i) => first.has(n) || first.set(n, i));
  for (const [n, i] of first) {
    assert.equal(ix.lookupName(n), i, n);
    const bytes = new TextEncoder().encode(`^${n}:`);
    assert.equal(ix.lookup(1, bytes.length - 1, bytes), i, n);
  }
  for (const miss of ['block_0/layer_64/Mul', 'gewicht/grosse', '😀', 'block_78/layer_8/Mul', 'узе']) assert.equal(ix.lookupName(miss), -1, miss);
});

test('a look-up near a second definition still answers the first; duplicates are listed', () => {
  const { ix, buf } = indexOf(['a', 'b', 'a', 'c']);
  assert.deepEqual(ix.duplicates, [2]);
  // buf holds "a\0b\0a\0c\0": the second "a" is at 4.
  assert.equal(ix.lookup(4, 5, buf, 2), 0);
  assert.equal(ix.lookup(4, 5, buf, 0), 0);
  assert.equal(ix.lookup(4, 5, buf, 1), 0);
  assert.equal(ix.lookup(2, 3, buf, 1), 1);
});
