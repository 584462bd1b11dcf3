// The schema records each message's proto syntax (MessageInfo.proto2), checked against the file
// syntax in the reference facts table; map entries take their owner's syntax, and the key and
// value of a proto2 map entry have explicit presence, as proto2 optionals do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { REFERENCE_DIR, referenceMissing } from '../../helpers/corpus';

const TSV = 'tensorflow-savedmodel-schema.tsv';

function rows(): string[][] {
  return fs.readFileSync(path.join(REFERENCE_DIR, TSV), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
}

/** Syntax (`proto2` / `proto3`) of each file, from its `file` row. */
function fileSyntax(all: string[][]): Map<string, string> {
  return new Map(all.filter((r) => r[0] === 'file').map((r) => [r[1], r[3]]));
}

test('every message of the reference says proto2 exactly when its file does', { skip: referenceMissing(TSV) }, () => {
  const all = rows();
  const syntax = fileSyntax(all);
  const schema = loadSchema();
  let proto2 = 0;
  let checked = 0;
  for (const [kind, file, scope] of all) {
    if (kind !== 'message') continue;
    const info = schema.findMessage(scope);
    assert.ok(info, `${scope} missing`);
    assert.equal(info.proto2, syntax.get(file) === 'proto2', `${scope} (${file}, ${syntax.get(file)})`);
    if (info.proto2) proto2++;
    checked++;
  }
  assert.ok(proto2 > 0 && proto2 < checked, `${proto2} of ${checked} messages are proto2: both syntaxes must be exercised`);
});

test('map entries take their file\'s syntax; proto2 keys and values have explicit presence', { skip: referenceMissing(TSV) }, () => {
  const all = rows();
  const syntax = fileSyntax(all);
  const schema = loadSchema();
  const seen = new Set<boolean>();
  for (const [kind, file, scope, name] of all) {
    const entry = kind === 'field' ? schema.findMessage(scope) : undefined;
    if (!entry?.isMapEntry) continue;
    const proto2 = syntax.get(file) === 'proto2';
    assert.equal(entry.proto2, proto2, `${scope}`);
    const field = entry.byName.get(name);
    assert.ok(field, `${scope}.${name} missing`);
    assert.equal(field.hasPresence, proto2 || field.type === 'message', `${scope}.${name} presence`);
    seen.add(proto2);
  }
  assert.deepEqual([...seen].sort(), [false, true], 'map entries of both syntaxes are checked');
});
