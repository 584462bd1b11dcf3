// A known field with the wrong wire type is an unknown field to protoc, so the lazy decoder skips
// it too (validateWire warns of it): reading the node's attrs later must not throw. Found by the
// corrupt-model fuzz (test/unit/fuzz/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePlain } from '../../../server/src/core/protobuf/plainEncoder';
import { decodePlain } from '../../../server/src/core/protobuf/plainDecoder';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { protocDecode, protocMissing } from '../../helpers/protoc';

const nodeDef = loadSchema().message('tensorflow.NodeDef');

/** NodeDef n (op Mul, attr T) followed by field `number` sent with the wire type `tag & 7`. */
function withOddField(tag: number, payload: number[]): Uint8Array {
  const good = encodePlain({ name: 'n', op: 'Mul', attr: { T: { type: 'DT_FLOAT' } } }, nodeDef);
  return Uint8Array.from([...good, tag, ...payload]);
}

test('attr (field 5) sent as fixed64, op (field 2) as varint: skipped like unknown fields, as protoc does', { skip: protocMissing() }, () => {
  const cases: Array<[string, Uint8Array]> = [
    ['attr as fixed64', withOddField((5 << 3) | 1, [1, 2, 3, 4, 5, 6, 7, 8])],
    ['op as varint', withOddField((2 << 3) | 0, [0x96, 0x01])],
    ['attr as fixed32 holding an end-group byte', withOddField((5 << 3) | 5, [0x2c, 0, 0, 0])],
  ];
  for (const [label, bytes] of cases) {
    const decoded = decodePlain(bytes, 0, bytes.length, nodeDef);
    assert.equal(decoded.name, 'n', label);
    assert.equal(decoded.op, 'Mul', label);
    assert.deepEqual(Object.keys(decoded.attr as object), ['T'], label);
    const protoc = protocDecode(bytes, 'tensorflow.NodeDef');
    assert.ok(protoc.ok, label);
    assert.match(protoc.stdout.toString(), /^(5|2): /m, `${label}: protoc keeps it as an unknown field`);
  }
});
