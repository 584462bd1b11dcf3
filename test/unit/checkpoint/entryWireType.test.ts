// A BundleEntryProto field with the wrong wire type is an unknown field to TensorFlow's C++ parser,
// which restores the tensor anyway; so does the index reader. protoc (the same parser) is the referee.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';
import { readCheckpointIndex } from '../../../server/src/core/checkpoint/checkpointIndex';
import { buildTable, readTable } from '../../../server/src/core/checkpoint/leveldbTable';
import { float32Bytes } from '../../../server/src/core/savedmodel/modelBuilder';
import { protocDecode, protocMissing } from '../../helpers/protoc';

test('an entry with crc32c (field 6) repeated as a varint parses as TensorFlow parses it', { skip: protocMissing() }, () => {
  const { index } = encodeCheckpoint([{ name: 'a', dtype: 'float32', shape: [2], data: float32Bytes([1, 2]) }]);
  const table = readTable(index);
  const odd = table.map((e) => (e.key.length ? { key: e.key, value: Uint8Array.from([...e.value, (6 << 3) | 0, 0x05]) } : e));
  const protoc = protocDecode(odd[1].value, 'tensorflow.BundleEntryProto');
  assert.ok(protoc.ok, protoc.stderr);
  assert.match(protoc.stdout.toString(), /^6: 5$/m, 'protoc keeps it as an unknown field');
  const parsed = readCheckpointIndex(buildTable(odd));
  const before = readCheckpointIndex(index);
  assert.deepEqual(parsed.entries, before.entries);
});
