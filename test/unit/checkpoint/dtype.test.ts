import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataTypeEnum, dtypeByteSize, dtypeLabel, dtypeName, dtypeShortName, dtypeValue } from '../../../server/src/core/dtype';

test('enum names and numbers come from the schema', () => {
  assert.equal(dtypeName(1), 'DT_FLOAT');
  assert.equal(dtypeName(7), 'DT_STRING');
  assert.equal(dtypeName(9), 'DT_INT64');
  assert.equal(dtypeName(101), 'DT_FLOAT_REF');
  assert.equal(dtypeName(9999), undefined);
  assert.equal(dtypeLabel(9999), 'DataType(9999)');
  assert.ok(dataTypeEnum().nameOf.size > 40);
});

test('short names follow tf.dtypes', () => {
  const expected: Record<string, string> = {
    DT_FLOAT: 'float32', DT_DOUBLE: 'float64', DT_HALF: 'float16', DT_BFLOAT16: 'bfloat16', DT_INT64: 'int64',
    DT_UINT8: 'uint8', DT_STRING: 'string', DT_BOOL: 'bool', DT_COMPLEX128: 'complex128', DT_RESOURCE: 'resource',
    DT_VARIANT: 'variant', DT_FLOAT_REF: 'float32_ref', DT_QINT8: 'qint8', DT_FLOAT8_E4M3FN: 'float8_e4m3fn',
  };
  for (const [name, short] of Object.entries(expected)) {
    assert.equal(dtypeShortName(name), short, name);
    assert.equal(dtypeShortName(dtypeValue(name) ?? -1), short, name);
  }
});

test('every enum value round-trips through its short name and its enum name', () => {
  for (const [value, name] of dataTypeEnum().nameOf) {
    assert.equal(dtypeValue(name), value, name);
    assert.equal(dtypeValue(dtypeShortName(value)), value, `${name} via ${dtypeShortName(value)}`);
  }
  assert.equal(dtypeValue('float'), 1);
  assert.equal(dtypeValue('no_such_type'), undefined);
});

test('element sizes; undefined for variable-size types', () => {
  const sizes: Array<[string, number | undefined]> = [
    ['float32', 4], ['DT_DOUBLE', 8], ['int8', 1], ['int16', 2], ['uint16', 2], ['int32', 4], ['int64', 8], ['uint64', 8],
    ['bool', 1], ['float16', 2], ['bfloat16', 2], ['complex64', 8], ['complex128', 16], ['qint32', 4],
    ['string', undefined], ['variant', undefined], ['resource', undefined], ['DT_INVALID', undefined], ['bogus', undefined],
  ];
  for (const [dtype, size] of sizes) assert.equal(dtypeByteSize(dtype), size, dtype);
  assert.equal(dtypeByteSize(1), 4);
});
