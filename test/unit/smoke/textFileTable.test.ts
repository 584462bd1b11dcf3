// InitializeTableFromTextFileV2's reading of a vocabulary file, against TensorFlow's documented
// semantics (lookup_ops.TextFileIndex: -2 the whole line, -1 the line number; columns split by
// `delimiter`, tab by default; `vocab_size` lines when not -1; `offset` added to line numbers),
// with the expected tables written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textFileTable } from '../../../server/src/core/smoke/freeze/textFileTable';
import { NotComputable } from '../../../server/src/core/smoke/freeze/hostEval';
import { RawTensor } from '../../../server/src/core/smoke/request/rawTensor';
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';

const strings = (t: RawTensor): string[] => (t.strings ?? []).map((s) => new TextDecoder().decode(s));
const int64s = (t: RawTensor): number[] => Array.from(new BigInt64Array(t.data?.slice().buffer ?? new ArrayBuffer(0)), Number);
const attrs = (key: number, value: number, extra: PlainMessage = {}): PlainMessage => ({ key_index: { i: key }, value_index: { i: value }, ...extra });

test('whole line → line number (a vocabulary), CRLF line ends dropped as TensorFlow\'s ReadLine does', () => {
  const t = textFileTable('foo\r\nbar\r\nbaz\r\n', attrs(-2, -1), 'DT_STRING', 'DT_INT64', 'vocab.txt');
  assert.deepEqual(strings(t.keys), ['foo', 'bar', 'baz']);
  assert.deepEqual(int64s(t.values), [0, 1, 2]);
});

test('columns by the delimiter; vocab_size reads only the first lines; offset shifts line numbers', () => {
  const t = textFileTable('7,seven\n8,eight\n9,nine\n', attrs(1, 0, { delimiter: { s: new TextEncoder().encode(',') }, vocab_size: { i: 2 } }), 'DT_STRING', 'DT_INT64', 'f.csv');
  assert.deepEqual(strings(t.keys), ['seven', 'eight']);
  assert.deepEqual(int64s(t.values), [7, 8]);
  const shifted = textFileTable('a\nb\n', attrs(-2, -1, { offset: { i: 10 } }), 'DT_STRING', 'DT_INT64', 'v.txt');
  assert.deepEqual(int64s(shifted.values), [10, 11]);
});

test('a file that does not fit the table is NotComputable, naming the file and line', () => {
  assert.throws(() => textFileTable('a\tx\n', attrs(0, 1), 'DT_STRING', 'DT_INT64', 'v.tsv'), (e: Error) => e instanceof NotComputable && /v\.tsv: 'x' is not a number \(the table holds DT_INT64\)/.test(e.message));
  assert.throws(() => textFileTable('a\n', attrs(0, 2), 'DT_STRING', 'DT_STRING', 'v.tsv'), (e: Error) => e instanceof NotComputable && /v\.tsv line 1 has 1 column\(s\); the table's value is column 2/.test(e.message));
  assert.throws(() => textFileTable('a\n', attrs(-2, -1, { vocab_size: { i: 3 } }), 'DT_STRING', 'DT_INT64', 'v.txt'), /v\.txt has 1 lines; the table expects vocab_size 3/);
});
