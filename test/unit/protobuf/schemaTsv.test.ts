// Our .proto files must say exactly what TensorFlow's schema says: names, numbers and types are the
// wire format. Checked against the facts table in ../shared/reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { REFERENCE_DIR, referenceMissing } from '../../helpers/corpus';

const TSV = 'tensorflow-savedmodel-schema.tsv';

function rows(): string[][] {
  return fs.readFileSync(path.join(REFERENCE_DIR, TSV), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
}

function fieldType(f: protobuf.Field): string {
  if (f.resolvedType instanceof protobuf.Type) return 'message';
  if (f.resolvedType instanceof protobuf.Enum) return 'enum';
  return f.type;
}

test('every field of the reference schema is in our .proto files, with the same number, type and label', { skip: referenceMissing(TSV) }, () => {
  const root = loadSchema().root;
  let checked = 0;
  for (const r of rows()) {
    const [kind, , scope, name, number, type, label, typeName, oneof, options] = r;
    if (kind !== 'field') continue;
    const owner = root.lookup(scope);
    if (owner instanceof protobuf.Type) {
      const f = owner.fields[name];
      assert.ok(f, `${scope}.${name} missing`);
      assert.equal(f.id, Number(number), `${scope}.${name} number`);
      assert.equal(f instanceof protobuf.MapField ? 'message' : fieldType(f), type, `${scope}.${name} type`);
      assert.equal(f.repeated || f instanceof protobuf.MapField, label === 'repeated', `${scope}.${name} label`);
      if (typeName && f.resolvedType && !(f instanceof protobuf.MapField)) assert.equal(f.resolvedType.fullName, `.${typeName}`, `${scope}.${name} type name`);
      if (oneof) assert.equal(f.partOf?.name, oneof, `${scope}.${name} oneof`);
      if (options === 'packed=True') assert.equal(f.options?.packed, true, `${scope}.${name} packed`);
    } else {
      // Fields of synthetic map entries: the map field carries key and value types.
      const entry = scope.slice(scope.lastIndexOf('.') + 1);
      const parent = root.lookup(scope.slice(0, scope.lastIndexOf('.')));
      assert.ok(parent instanceof protobuf.Type, `${scope} owner missing`);
      const map = parent.fieldsArray.find((f) => f instanceof protobuf.MapField && `${toCamel(f.name)}Entry` === entry);
      assert.ok(map instanceof protobuf.MapField, `${scope} is not a map entry of ours`);
      if (name === 'key') assert.equal(map.keyType, type, `${scope}.key`);
      else assert.equal(fieldType(map), type, `${scope}.value`);
    }
    checked++;
  }
  assert.ok(checked > 350, `only ${checked} fields checked`);
});

test('every enum value of the reference schema is in our .proto files', { skip: referenceMissing(TSV) }, () => {
  const root = loadSchema().root;
  for (const [kind, , scope, name, number] of rows()) {
    if (kind !== 'enum_value') continue;
    const e = root.lookup(scope);
    assert.ok(e instanceof protobuf.Enum, `${scope} missing`);
    assert.equal(e.values[name], Number(number), `${scope}.${name}`);
  }
});

test('our .proto files declare no message or field that the reference lacks', { skip: referenceMissing(TSV) }, () => {
  const known = new Set(rows().filter((r) => r[0] === 'field').map((r) => `${r[2]}.${r[3]}`));
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) {
        for (const f of child.fieldsArray) {
          const full = `${child.fullName.slice(1)}.${f.name}`;
          assert.ok(known.has(full), `${full} is not in the reference`);
        }
      }
      if (child instanceof protobuf.Namespace) visit(child);
    }
  };
  visit(loadSchema().root);
});

function toCamel(s: string): string {
  return s.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
