// The text-format syntax one feature at a time, with protoc as the oracle: where protoc accepts a
// text we must accept it and encode the same bytes; where it rejects one we must report an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../../server/src/core/textParser';
import { encodeText } from '../../../server/src/core/textEncoder';
import { protocEncode, protocMissing } from '../../helpers/protoc';

type Case = [typeName: string, text: string];

const T = 'tensorflow.TensorProto';
const DIM = 'tensorflow.TensorShapeProto.Dim';
const SHAPE = 'tensorflow.TensorShapeProto';
const NODE = 'tensorflow.NodeDef';
const ATTR = 'tensorflow.AttrValue';
const SAVER = 'tensorflow.SaverDef';
const FN = 'tensorflow.FunctionDef';
const ANY = 'google.protobuf.Any';
const DEBUG = 'tensorflow.GraphDebugInfo';
const FLC = 'tensorflow.GraphDebugInfo.FileLineCol';
const SM = 'tensorflow.SavedModel';
const STRUCT = 'tensorflow.StructuredValue';
const SAVED_OBJ = 'tensorflow.SavedObject';
const A = '[type.googleapis.com/tensorflow.TensorShapeProto]';

const groups: Record<string, Case[]> = {
  'comments and whitespace': [
    [NODE, '# leading comment\nname: "a" # trailing\n# last'],
    [NODE, 'name:\v\f\r"a"\t'],
    [NODE, 'name: "a" # co\u0000mment\n'],
    [NODE, 'name: "a" # \u00e9 non-ASCII in a comment\n op: "b"'],
    [NODE, '\u0001name: "a"'],
    [NODE, 'name: "a"\u0000'],
    [NODE, 'name: "a" \u007f'],
    [NODE, '\ufeffname: "a"'],
    [NODE, 'nam\u00e9: "a"'],
    [NODE, 'name: "a" // not a comment'],
    [NODE, ''],
    [NODE, '   \n\n  # only comments\n'],
  ],
  'message delimiters and separators': [
    [SHAPE, 'dim { size: 1 } dim: { size: 2 } dim < size: 3 > dim: < size: 4 >'],
    [SHAPE, 'dim { size: 1 >'],
    [SHAPE, 'dim < size: 1 }'],
    [SHAPE, 'dim { size: 1'],
    [SHAPE, 'dim { size: 1 } }'],
    [SHAPE, 'dim { size: 1; name: "x", }; dim {},'],
    [NODE, 'name: "a";;'],
    [NODE, ',name: "a"'],
    [NODE, 'name "a"'],
    [NODE, 'name: a'],
    [NODE, 'name: 1'],
    [NODE, 'name {}'],
    [SHAPE, 'dim: 5'],
    [SHAPE, 'dim'],
    [SM, 'meta_graphs {} ; meta_graphs {}'],
    [NODE, 'name: "a" op: "b" input: "c" device: "d"'],
    [NODE, 'device: "d" input: "c" op: "b" name: "a" input: "e"'],
    [NODE, 'nope: 1'],
    [NODE, 'nope { a: 1 }'],
    [NODE, 'nope: { a: [1, 2] }'],
    [NODE, '[ext.field]: 1'],
    [NODE, '5: "x"'],
  ],
  'repeated lists': [
    [NODE, 'input: ["a", "b" "c", \'d\']'],
    [NODE, 'input: []'],
    [NODE, 'input: [,]'],
    [NODE, 'input: ["a",]'],
    [NODE, 'input: ["a";"b"]'],
    [NODE, 'input ["a"]'],
    [NODE, 'name: ["a"]'],
    [NODE, 'input: ["a"]; input: "b", input: ["c", "d"]'],
    [ATTR, 'list { type: [DT_FLOAT, 3] type: 999 b: [true, f] i: [-1, 2] f: [1.5, inf] }'],
    [ATTR, 'list { type: [] }'],
    [ATTR, 'list { shape [ {}, { unknown_rank: true } ] shape: [<dim {size: 1}>] }'],
    [ATTR, 'list { s: ["a"]; }'],
    [ATTR, 'list { i: [1 2] }'],
    [ATTR, 'list { i: [1, 2 }'],
    [T, 'float_val: [1, 2.5, -3e2, .5, 5., 1e-3f, -inf, nan] half_val: [1, -2]'],
    [T, 'float_val: [] double_val: []'],
  ],
  'strings and escapes': [
    [NODE, 'name: "a\\x41\\101\\a\\b\\f\\n\\r\\t\\v\\\\\\x27\\"\\?"'],
    [NODE, 'name: \'q"\''],
    [NODE, 'name: "a" \'b\' "c"'],
    [NODE, 'name: "\\u00e9\\U0001F600\\ud83d\\ude00"'],
    [NODE, 'name: "\\ud83d"'],
    [NODE, 'name: "\\ude00x"'],
    [NODE, 'name: "\\ud83d\\u0041"'],
    [NODE, 'name: "\\ud83d\\U0001de00"'],
    [NODE, 'name: "\\U00110000"'],
    [NODE, 'name: "\\U0011ABCD"'],
    [NODE, 'name: "\\U0010ffff"'],
    [NODE, 'name: "\\U00200000"'],
    [NODE, 'name: "\\u12"'],
    [NODE, 'name: "\\x"'],
    [NODE, 'name: "\\xfff"'],
    [NODE, 'name: "\\400\\777\\1234\\0"'],
    [NODE, 'name: "\\8"'],
    [NODE, 'name: "\\e"'],
    [NODE, 'name: "\\X41"'],
    [NODE, 'name: "é"'],
    [NODE, 'name: "ab\nc"'],
    [NODE, 'name: "abc'],
    [NODE, 'name: "a\u0001b\tc\rd"'],
    [NODE, 'name: "a\u0000b"'],
    [NODE, 'name: "\\377\\376"'],
    [NODE, 'name: "a\\'],
    [NODE, 'name: ""'],
    [NODE, 'name: "" name: "b"'],
    [NODE, 'name: "b" name: ""'],
    [T, 'dtype: DT_STRING string_val: "\\000\\001\\377" string_val: "" string_val: "é" tensor_content: "\\x00\\xff"'],
    [T, 'tensor_content: "abc" "\\n"'],
  ],
  'integers': [
    [T, 'version_number: 2147483647'],
    [T, 'version_number: 2147483648'],
    [T, 'version_number: -2147483648'],
    [T, 'version_number: -2147483649'],
    [T, 'version_number: 0x7fffffff'],
    [T, 'version_number: 0x80000000'],
    [T, 'version_number: -0x80000000'],
    [T, 'version_number: 017777777777'],
    [T, 'version_number: -0'],
    [T, 'version_number: 00'],
    [T, 'version_number: 0x0'],
    [T, 'version_number: - 1'],
    [T, 'version_number: -# comment\n 1'],
    [T, 'version_number: --1'],
    [T, 'version_number: 1.0'],
    [T, 'version_number: 1e3'],
    [T, 'version_number: 1f'],
    [T, 'version_number: 08'],
    [T, 'version_number: 0x'],
    [T, 'version_number: 1x'],
    [T, 'version_number: 0x1g'],
    [T, 'version_number: 1_'],
    [T, 'version_number: 0 version_number: 5'],
    [T, 'version_number: 5 version_number: 0'],
    [DIM, 'size: 9223372036854775807'],
    [DIM, 'size: 9223372036854775808'],
    [DIM, 'size: -9223372036854775808'],
    [DIM, 'size: -9223372036854775809'],
    [DIM, 'size: 0xffffffffffffffff'],
    [DIM, 'size: 0x7fffffffffffffff'],
    [DIM, 'size: 0777777777777777777777'],
    [DIM, 'size: -1'],
    [DIM, 'size: 123456789012345678'],
    [FN, 'resource_arg_unique_id { key: 4294967295 value: 1 }'],
    [FN, 'resource_arg_unique_id { key: 4294967296 value: 1 }'],
    [FN, 'resource_arg_unique_id { key: -1 value: 1 }'],
    [FN, 'resource_arg_unique_id { key: 0xffffffff value: 0 }'],
    [DEBUG, 'name_to_trace_id { key: "a" value: 18446744073709551615 }'],
    [DEBUG, 'name_to_trace_id { key: "a" value: 18446744073709551616 }'],
    [DEBUG, 'name_to_trace_id { key: "a" value: -1 }'],
    [DEBUG, 'name_to_trace_id { key: "a" value: 01777777777777777777777 }'],
    [STRUCT, 'int64_value: -1'],
    [STRUCT, 'int64_value: -9223372036854775808'],
    [STRUCT, 'int64_value: 9223372036854775807'],
    ['tensorflow.BundleEntryProto', 'crc32c: 4294967295 shard_id: -5 offset: 123 size: 0'],
    ['tensorflow.FingerprintDef', 'saved_model_checksum: 18446744073709551615 graph_def_program_hash: 0'],
    ['google.protobuf.UInt64Value', 'value: 18446744073709551615'],
    ['google.protobuf.Int32Value', 'value: -2147483648'],
  ],
  'floating point': [
    [SAVER, 'keep_checkpoint_every_n_hours: -0.0'],
    [SAVER, 'keep_checkpoint_every_n_hours: 0.0'],
    [SAVER, 'keep_checkpoint_every_n_hours: -0.0 keep_checkpoint_every_n_hours: 1'],
    [SAVER, 'keep_checkpoint_every_n_hours: 0.0 keep_checkpoint_every_n_hours: 1'],
    [SAVER, 'keep_checkpoint_every_n_hours: 3.4028235e38'],
    [SAVER, 'keep_checkpoint_every_n_hours: 3.4028235677973366e38'],
    [SAVER, 'keep_checkpoint_every_n_hours: 3.402823567797337e38'],
    [SAVER, 'keep_checkpoint_every_n_hours: -3.4028235677973366e38'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1e39'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1e-50'],
    [SAVER, 'keep_checkpoint_every_n_hours: -1e-50'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1.401298464324817e-45'],
    [SAVER, 'keep_checkpoint_every_n_hours: 7.006492321624086e-46'],
    [SAVER, 'keep_checkpoint_every_n_hours: 0.1'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1.5f'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1F'],
    [SAVER, 'keep_checkpoint_every_n_hours: 0f'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1'],
    [SAVER, 'keep_checkpoint_every_n_hours: 0x10'],
    [SAVER, 'keep_checkpoint_every_n_hours: 010'],
    [SAVER, 'keep_checkpoint_every_n_hours: 00.5'],
    [SAVER, 'keep_checkpoint_every_n_hours: 0e5'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1.e5'],
    [SAVER, 'keep_checkpoint_every_n_hours: .5'],
    [SAVER, 'keep_checkpoint_every_n_hours: 5.'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1e'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1e+'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1.5e+3f'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1.5fx'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1.2.3'],
    [SAVER, 'keep_checkpoint_every_n_hours: 99999999999999999999999'],
    [SAVER, 'keep_checkpoint_every_n_hours: 18446744073709551616'],
    [SAVER, 'keep_checkpoint_every_n_hours: 1e400'],
    [SAVER, 'keep_checkpoint_every_n_hours: -1e-400'],
    [SAVER, 'keep_checkpoint_every_n_hours: Infinity'],
    [SAVER, 'keep_checkpoint_every_n_hours: INF'],
    [SAVER, 'keep_checkpoint_every_n_hours: -inF'],
    [SAVER, 'keep_checkpoint_every_n_hours: NaN'],
    [SAVER, 'keep_checkpoint_every_n_hours: -nan'],
    [SAVER, 'keep_checkpoint_every_n_hours: - inf'],
    [SAVER, 'keep_checkpoint_every_n_hours: infinit'],
    [SAVER, 'keep_checkpoint_every_n_hours: "1"'],
    [SAVER, 'keep_checkpoint_every_n_hours: --1'],
    [T, 'float_val: -nan float_val: nan double_val: -nan double_val: -0.0 float_val: -0 double_val: 0.1 double_val: 1e308'],
    [STRUCT, 'float64_value: -0.0'],
    [STRUCT, 'float64_value: 2.2250738585072014e-308'],
    [STRUCT, 'float64_value: 4.9e-324'],
    [STRUCT, 'float64_value: 123456789012345678901234567890'],
    [SHAPE, 'dim { size: 1 } foo.5'],
  ],
  'bools': [
    ...['true', 'True', 't', 'TRUE', 'false', 'False', 'f', '1', '0', '0x1', '01', '2', '-1', 'yes', '"true"']
      .map((v): Case => [SHAPE, `unknown_rank: ${v}`]),
  ],
  'enums': [
    ...['DT_FLOAT', '1', '-1', '999', '2147483647', '2147483648', '-2147483648', '-2147483649', 'DT_NOPE', 'dt_float', '0x3', '"DT_FLOAT"', '1.0', 'DT_INVALID', '0']
      .map((v): Case => [T, `dtype: ${v}`]),
    [T, 'dtype: DT_FLOAT dtype: DT_INVALID'],
    [T, 'dtype: DT_INVALID dtype: DT_FLOAT'],
  ],
  'oneofs and presence': [
    [ATTR, 'i: 0 f: 1'],
    [ATTR, 'i: 0 i: 1'],
    [ATTR, 's: "" i: 1'],
    [ATTR, 'list {} list {}'],
    [ATTR, 'i: 0'],
    [ATTR, 'b: false'],
    [ATTR, 'shape {}'],
    [FLC, 'line: 0 file_index: 0 func: ""'],
    [FLC, 'line: 0 line: 1'],
    ['tensorflow.GraphDebugInfo.StackTrace', 'frame_id: [1, 2] frame_id: 3'],
    [SAVED_OBJ, 'user_object { identifier: "x" } variable { name: "v" }'],
  ],
  'maps': [
    [NODE, 'attr { key: "b" value { i: 1 } } attr { key: "a" value { i: 2 } } attr { key: "b" value { i: 3 } }'],
    [NODE, 'attr { key: "" value { } }'],
    [NODE, 'attr { }'],
    [NODE, 'attr { value {} key: "z" }'],
    [NODE, 'attr: [{ key: "x" value { s: "y" } }, { key: "w" }]'],
    [FN, 'resource_arg_unique_id { key: 10 value: 1 } resource_arg_unique_id { key: 2 value: 0 } resource_arg_unique_id { key: 0 value: 0 }'],
    [FN, 'ret { key: "b" value: "x" } ret { key: "B" value: "" } ret { key: "\\xff" value: "q" }'],
    [FN, 'ret { key: "b" value: "x" key: "c" }'],
    [FN, 'ret { key: "" key: "b" }'],
    [FN, 'ret { value: "" value: "b" }'],
    [FN, 'ret { key: "a" nope: 1 }'],
    [DEBUG, 'frames_by_id { key: 0 key: 1 }'],
    [DEBUG, 'frames_by_id { key: 1 value { line: 2 } } traces_by_id { key: 18446744073709551615 }'],
    [DEBUG, 'name_to_trace_id { value: 0 value: 1 }'],
    [DEBUG, 'files: "a" traces { key: "k" value { file_line_cols { line: 1 } frame_id: [] } }'],
  ],
  'google.protobuf.Any': [
    [ANY, `${A} { unknown_rank: true }`],
    [ANY, `${A}: < unknown_rank: true >`],
    [ANY, '[type.googleprod.com/tensorflow.TensorShapeProto] { }'],
    [ANY, '[example.com/tensorflow.TensorShapeProto] { }'],
    [ANY, '[type.googleapis.com/tensorflow.Nope] { }'],
    [ANY, '[type.googleapis.com/tensorflow.NodeDef.AttrEntry] { key: "a" }'],
    [ANY, '[ type . googleapis . com / tensorflow . TensorShapeProto ] { }'],
    [ANY, '[type.googleapis.com/.tensorflow.TensorShapeProto] { }'],
    [ANY, '[type.googleapis.com/a/tensorflow.TensorShapeProto] { }'],
    [ANY, '[type.googleapis.com/tensorflow.TensorShapeProto { }'],
    [ANY, `type_url: "" ${A} { }`],
    [ANY, `value: "" ${A} { }`],
    [ANY, `${A} { } value: ""`],
    [ANY, `${A} { } value: "x"`],
    [ANY, `${A} { unknown_rank: true } value: ""`],
    [ANY, `${A} { } type_url: ""`],
    [ANY, `${A} { };`],
    [ANY, `${A} { } ${A} { }`],
    [ANY, `${A} 5`],
    [ANY, 'value: "x" type_url: "y"'],
    [ANY, '[type.googleapis.com/tensorflow.NodeDef] { attr {key: "b" value {}} attr {key: "a" value{}} }'],
    [ANY, `[type.googleapis.com/google.protobuf.Any] { ${A} {unknown_rank: 1} }`],
    [SAVED_OBJ, `user_object { identifier: "x" } serialized_user_proto { ${A} { dim { size: 3 } } }`],
    [NODE, `${A} { }`],
  ],
};

for (const [group, cases] of Object.entries(groups)) {
  test(`syntax: ${group} (protoc decides)`, { skip: protocMissing() }, () => {
    for (const [typeName, text] of cases) checkAgainstProtoc(typeName, text);
  });
}

function checkAgainstProtoc(typeName: string, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const expected = protocEncode(bytes, typeName);
  const parsed = parseText(bytes, typeName);
  const label = `${typeName} ${JSON.stringify(text)}`;
  if (!expected.ok) {
    assert.ok(parsed.errors.length > 0, `${label}: protoc rejects it (${expected.stderr.trim()}) but we report no error`);
    for (const e of parsed.errors) assert.ok(e.start >= 0 && e.end <= bytes.length && e.start <= e.end, `${label}: range of ${e.message}`);
    return;
  }
  assert.deepEqual(parsed.errors, [], `${label}: protoc accepts it`);
  assert.equal(Buffer.from(encodeText(parsed.root)).toString('hex'), expected.stdout.toString('hex'), label);
}
