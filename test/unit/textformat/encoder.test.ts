// Encoder specifics beyond plain `protoc --encode`: the deterministic map order of
// --deterministic_output, writing to a file, and the decoded values the tree holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseText } from '../../../server/src/core/textformat/textParser';
import { encodeText } from '../../../server/src/core/textformat/textEncoder';
import { writeFileAtomic } from '../../../server/src/core/atomicWrite';
import { NEGATIVE_NAN, TextScalar } from '../../../server/src/core/textformat/textTree';
import { protoDir, protoFiles } from '../../../server/src/core/protobuf/schema';
import { protocEncode, protocMissing } from '../../helpers/protoc';

function protocDeterministic(text: string, type: string): Buffer {
  const r = spawnSync('protoc', [`-I${protoDir()}`, '--deterministic_output', `--encode=${type}`, ...protoFiles()], {
    input: Buffer.from(text), cwd: protoDir(),
  });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

test('map entries: text order by default, key order with `deterministic` (like --deterministic_output)', { skip: protocMissing() }, () => {
  const cases: Array<[string, string]> = [
    ['tensorflow.NodeDef', 'attr { key: "b" value { i: 1 } } attr { key: "a" value { i: 2 } } attr { key: "B" } attr { key: "é" } attr { key: "" }'],
    ['tensorflow.FunctionDef', 'resource_arg_unique_id { key: 10 value: 1 } resource_arg_unique_id { key: 2 } resource_arg_unique_id { key: 4294967295 } resource_arg_unique_id { key: 0 }'],
    ['tensorflow.GraphDebugInfo', 'traces_by_id { key: 18446744073709551615 } traces_by_id { key: 3 } traces_by_id { key: 9007199254740993 }'],
  ];
  for (const [type, text] of cases) {
    const { root, errors } = parseText(Buffer.from(text), type);
    assert.deepEqual(errors, []);
    assert.ok(Buffer.from(encodeText(root)).equals(protocEncode(text, type).stdout), `${type}: text order`);
    assert.ok(Buffer.from(encodeText(root, { deterministic: true })).equals(protocDeterministic(text, type)), `${type}: key order`);
  }
});

test('writeFileAtomic writes the encoding through a temporary file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'text-encoder-'));
  try {
    const { root } = parseText(Buffer.from('saved_model_schema_version: 1 meta_graphs { meta_info_def { tags: "serve" } }'));
    const out = path.join(dir, 'saved_model.pb');
    fs.writeFileSync(out, 'old');
    writeFileAtomic(out, encodeText(root));
    assert.deepEqual(fs.readFileSync(out), Buffer.from(encodeText(root)));
    assert.deepEqual(fs.readdirSync(dir), ['saved_model.pb'], 'no temporary file left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the tree holds typed values: bigints for 64-bit, floats rounded, enums by number, -nan kept', () => {
  const text = 'dtype: DT_DOUBLE version_number: -7 int64_val: [-9223372036854775808, 5] uint64_val: 18446744073709551615 '
    + 'float_val: [0.1, -nan, 3.4028235677973366e38] double_val: 0.1 bool_val: [t, 0] string_val: "\\377a" tensor_content: "ab"';
  const { root, errors } = parseText(Buffer.from(text), 'tensorflow.TensorProto');
  assert.deepEqual(errors, []);
  const values = (name: string): unknown[] => root.fields.filter((f) => f.info.name === name)
    .flatMap((f) => f.values.map((v) => (v as TextScalar).value));
  assert.deepEqual(values('dtype'), [2]);
  assert.deepEqual(values('version_number'), [-7]);
  assert.deepEqual(values('int64_val'), [-9223372036854775808n, 5n]);
  assert.deepEqual(values('uint64_val'), [18446744073709551615n]);
  assert.deepEqual(values('float_val'), [Math.fround(0.1), NEGATIVE_NAN, 3.4028234663852886e38]);
  assert.deepEqual(values('double_val'), [0.1]);
  assert.deepEqual(values('bool_val'), [true, false]);
  assert.deepEqual(values('string_val'), [new Uint8Array([0xff, 0x61])]);
  assert.deepEqual(values('tensor_content'), [new Uint8Array([0x61, 0x62])]);
  const names = parseText(Buffer.from('name: "x\\u00e9"'), 'tensorflow.NodeDef').root.fields[0].values[0];
  assert.equal((names as TextScalar).value, 'xé', 'valid UTF-8 in a string field is a string');
});
