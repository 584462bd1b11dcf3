// Scopes our grammar gives to small pbtxt lines, tokenized by VS Code's TextMate engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { innermostScopes, tokenizeLine, tokenizeLines } from './tokenize';

async function scopesOf(line: string): Promise<string[]> {
  return innermostScopes(await tokenizeLine(line));
}

test('a # comment runs to the end of the line', async () => {
  assert.deepEqual(await scopesOf('# saved by TF 2.14 { not: "a field" }'), [
    '# => punctuation.definition.comment.pbtxt',
    ' saved by TF 2.14 { not: "a field" } => comment.line.number-sign.pbtxt',
  ]);
  assert.deepEqual(await scopesOf('size: 3 # rows'), [
    'size => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '3 => constant.numeric.integer.decimal.pbtxt',
    '# => punctuation.definition.comment.pbtxt',
    ' rows => comment.line.number-sign.pbtxt',
  ]);
});

test('a name before ":", "{" or "<" is a field name', async () => {
  assert.deepEqual(await scopesOf('meta_graphs {'), [
    'meta_graphs => variable.other.property.field.pbtxt',
    '{ => punctuation.section.block.begin.pbtxt',
  ]);
  assert.deepEqual(await scopesOf('shape <'), [
    'shape => variable.other.property.field.pbtxt',
    '< => punctuation.section.block.begin.angle.pbtxt',
  ]);
  assert.deepEqual(await scopesOf('key : "x"'), [
    'key => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '" => punctuation.definition.string.begin.pbtxt',
    'x => string.quoted.double.pbtxt',
    '" => punctuation.definition.string.end.pbtxt',
  ]);
  assert.deepEqual(await scopesOf('value: {'), [
    'value => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '{ => punctuation.section.block.begin.pbtxt',
  ]);
});

test('[type.googleapis.com/...] is an Any type URL, [pkg.ext] an extension', async () => {
  assert.deepEqual(await scopesOf('[type.googleapis.com/tensorflow.SavedObject] {'), [
    '[ => punctuation.definition.extension.begin.pbtxt',
    'type.googleapis.com => entity.name.type.any.url-prefix.pbtxt',
    '/ => punctuation.separator.any.pbtxt',
    'tensorflow.SavedObject => entity.name.type.any.pbtxt',
    '] => punctuation.definition.extension.end.pbtxt',
    '{ => punctuation.section.block.begin.pbtxt',
  ]);
  assert.deepEqual(await scopesOf('[tensorflow.my_ext]: 1'), [
    '[ => punctuation.definition.extension.begin.pbtxt',
    'tensorflow.my_ext => entity.name.type.extension.pbtxt',
    '] => punctuation.definition.extension.end.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '1 => constant.numeric.integer.decimal.pbtxt',
  ]);
});

test('a [list] in value position is punctuation around values, not an extension name', async () => {
  assert.deepEqual(await scopesOf('type: [DT_FLOAT, DT_INT32]'), [
    'type => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '[ => punctuation.section.list.begin.pbtxt',
    'DT_FLOAT => variable.other.enummember.pbtxt',
    ', => punctuation.separator.comma.pbtxt',
    'DT_INT32 => variable.other.enummember.pbtxt',
    '] => punctuation.section.list.end.pbtxt',
  ]);
  assert.deepEqual(await scopesOf('tags: ["serve"]'), [
    'tags => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '[ => punctuation.section.list.begin.pbtxt',
    '" => punctuation.definition.string.begin.pbtxt',
    'serve => string.quoted.double.pbtxt',
    '" => punctuation.definition.string.end.pbtxt',
    '] => punctuation.section.list.end.pbtxt',
  ]);
});

test('double- and single-quoted strings keep the other quote as text', async () => {
  assert.deepEqual(await scopesOf(`s: "it's" 'say "hi"'`), [
    's => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '" => punctuation.definition.string.begin.pbtxt',
    "it's => string.quoted.double.pbtxt",
    '" => punctuation.definition.string.end.pbtxt',
    "' => punctuation.definition.string.begin.pbtxt",
    'say "hi" => string.quoted.single.pbtxt',
    "' => punctuation.definition.string.end.pbtxt",
  ]);
});

test('string escapes: C-style, octal, hex, \\u and \\U are valid; others are marked invalid', async () => {
  const valid = ['\\n', '\\t', '\\\\', '\\"', "\\'", '\\?', '\\a', '\\0', '\\101', '\\x4F', '\\xa', '\\u00e9', '\\U0001F600', '\\U0010FFFF'];
  for (const esc of valid) {
    assert.deepEqual(await scopesOf(`"${esc}"`), [
      '" => punctuation.definition.string.begin.pbtxt',
      `${esc} => constant.character.escape.pbtxt`,
      '" => punctuation.definition.string.end.pbtxt',
    ], esc);
  }
  for (const esc of ['\\q', '\\x', '\\u12', '\\U00110000']) {
    const scopes = await scopesOf(`"${esc}"`);
    assert.equal(scopes[1], `${esc.slice(0, 2)} => invalid.illegal.unknown-escape.pbtxt`, esc);
  }
});

test('an unterminated string stops at the end of its line', async () => {
  const [first, second] = await tokenizeLines(['name: "abc', 'op: "Const"']);
  assert.equal(first[first.length - 1].scopes.includes('string.quoted.double.pbtxt'), true);
  assert.deepEqual(innermostScopes(second).slice(0, 2), [
    'op => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
  ]);
});

test('numbers: decimal, negative, hex, octal, float forms, f suffix, inf and nan', async () => {
  const cases: Array<[string, string]> = [
    ['0', 'constant.numeric.integer.decimal.pbtxt'],
    ['42', 'constant.numeric.integer.decimal.pbtxt'],
    ['-1', 'constant.numeric.integer.decimal.pbtxt'],
    ['0x1F', 'constant.numeric.integer.hexadecimal.pbtxt'],
    ['-0XaB', 'constant.numeric.integer.hexadecimal.pbtxt'],
    ['0755', 'constant.numeric.integer.octal.pbtxt'],
    ['1.5', 'constant.numeric.float.pbtxt'],
    ['-2.5e-3', 'constant.numeric.float.pbtxt'],
    ['1e10', 'constant.numeric.float.pbtxt'],
    ['.5', 'constant.numeric.float.pbtxt'],
    ['3.', 'constant.numeric.float.pbtxt'],
    ['1.0f', 'constant.numeric.float.pbtxt'],
    ['2F', 'constant.numeric.float.pbtxt'],
    ['6.02E+23f', 'constant.numeric.float.pbtxt'],
    ['inf', 'constant.numeric.float.special.pbtxt'],
    ['-inf', 'constant.numeric.float.special.pbtxt'],
    ['Infinity', 'constant.numeric.float.special.pbtxt'],
    ['nan', 'constant.numeric.float.special.pbtxt'],
    ['-NaN', 'constant.numeric.float.special.pbtxt'],
  ];
  for (const [text, scope] of cases) {
    assert.deepEqual((await scopesOf(`f: ${text}`))[2], `${text} => ${scope}`, text);
  }
});

test('digits glued to letters are not numbers', async () => {
  for (const text of ['08', '1x', '0x', '12abc']) {
    const scopes = await scopesOf(`f: ${text}`);
    assert.equal(scopes.some((s) => s.includes('constant.numeric')), false, `${text}: ${scopes.join(' | ')}`);
  }
  assert.deepEqual((await scopesOf('f: x1'))[2], 'x1 => variable.other.enummember.pbtxt');
  assert.deepEqual((await scopesOf('f: infinite'))[2], 'infinite => variable.other.enummember.pbtxt');
});

test('true/false/True/False are booleans; a field named like one is still a field', async () => {
  for (const b of ['true', 'false', 'True', 'False']) {
    assert.deepEqual((await scopesOf(`b: ${b}`))[2], `${b} => constant.language.boolean.pbtxt`);
  }
  assert.deepEqual((await scopesOf('true_only: 1'))[0], 'true_only => variable.other.property.field.pbtxt');
  assert.deepEqual((await scopesOf('truex: 1'))[0], 'truex => variable.other.property.field.pbtxt');
});

test('bare identifiers in value position are enum constants', async () => {
  assert.deepEqual(await scopesOf('attr { key: "T" value { type: DT_FLOAT } }'), [
    'attr => variable.other.property.field.pbtxt',
    '{ => punctuation.section.block.begin.pbtxt',
    'key => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '" => punctuation.definition.string.begin.pbtxt',
    'T => string.quoted.double.pbtxt',
    '" => punctuation.definition.string.end.pbtxt',
    'value => variable.other.property.field.pbtxt',
    '{ => punctuation.section.block.begin.pbtxt',
    'type => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    'DT_FLOAT => variable.other.enummember.pbtxt',
    '} => punctuation.section.block.end.pbtxt',
    '} => punctuation.section.block.end.pbtxt',
  ]);
});

test('every punctuation mark has its own scope', async () => {
  assert.deepEqual(await scopesOf('a <b: 1; c: 2,> d {} [x.y]: [1]'), [
    'a => variable.other.property.field.pbtxt',
    '< => punctuation.section.block.begin.angle.pbtxt',
    'b => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '1 => constant.numeric.integer.decimal.pbtxt',
    '; => punctuation.separator.semicolon.pbtxt',
    'c => variable.other.property.field.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '2 => constant.numeric.integer.decimal.pbtxt',
    ', => punctuation.separator.comma.pbtxt',
    '> => punctuation.section.block.end.angle.pbtxt',
    'd => variable.other.property.field.pbtxt',
    '{ => punctuation.section.block.begin.pbtxt',
    '} => punctuation.section.block.end.pbtxt',
    '[ => punctuation.definition.extension.begin.pbtxt',
    'x.y => entity.name.type.extension.pbtxt',
    '] => punctuation.definition.extension.end.pbtxt',
    ': => punctuation.separator.key-value.pbtxt',
    '[ => punctuation.section.list.begin.pbtxt',
    '1 => constant.numeric.integer.decimal.pbtxt',
    '] => punctuation.section.list.end.pbtxt',
  ]);
});
