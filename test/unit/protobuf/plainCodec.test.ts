// The project's writer encodes canonically, as protoc does; the plain decoder reads it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePlain } from '../../../server/src/core/protobuf/plainEncoder';
import { decodePlain } from '../../../server/src/core/protobuf/plainDecoder';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { encodeSavedModel, linearModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { protocDecode, protocEncode, protocMissing } from '../../helpers/protoc';

test('encoding matches protoc re-encoding byte for byte', { skip: protocMissing() }, () => {
  const bytes = encodeSavedModel(linearModel(0.5, 3).model);
  const text = protocDecode(bytes);
  assert.ok(text.ok, text.stderr);
  const again = protocEncode(text.stdout);
  assert.ok(again.ok, again.stderr);
  assert.deepEqual(Buffer.from(bytes), again.stdout);
});

test('map entries are written sorted by key with both key and value, as protoc does', { skip: protocMissing() }, () => {
  const type = loadSchema().message('tensorflow.NodeDef');
  const bytes = encodePlain({ name: 'n', attr: { zeta: { i: 0 }, alpha: { s: new Uint8Array(0) }, Beta: { b: false } } }, type);
  const text = protocDecode(bytes, 'tensorflow.NodeDef');
  assert.ok(text.ok, text.stderr);
  assert.deepEqual(Buffer.from(bytes), protocEncode(text.stdout, 'tensorflow.NodeDef').stdout);
  assert.deepEqual(Object.keys(decodePlain(bytes, 0, bytes.length, type).attr as object), ['Beta', 'alpha', 'zeta']);
});

test('64-bit integers keep every bit', { skip: protocMissing() }, () => {
  const type = loadSchema().message('tensorflow.AttrValue');
  for (const v of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -1n]) {
    const bytes = encodePlain({ i: v }, type);
    const decoded = decodePlain(bytes, 0, bytes.length, type).i;
    assert.equal(BigInt(decoded as number | bigint), v);
    // Exact: numbers only where they are safe integers, bigint beyond.
    assert.equal(typeof decoded, v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'bigint');
    assert.match(protocDecode(bytes, 'tensorflow.AttrValue').stdout.toString(), new RegExp(`^i: ${v}\\n$`));
  }
});

test('bytes values decode as views into the input, not copies', () => {
  const type = loadSchema().message('tensorflow.TensorProto');
  const content = new Uint8Array(1024).fill(7);
  const bytes = encodePlain({ dtype: 'DT_UINT8', tensor_content: content }, type);
  const v = decodePlain(bytes, 0, bytes.length, type).tensor_content as Uint8Array;
  assert.equal(v.buffer, bytes.buffer);
  assert.equal(v.length, 1024);
});
