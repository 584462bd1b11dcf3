// The rule catalog: the public ids of the table, kebab-case and unique, each documented in
// docs/rules.md under its own anchor; and the shipped standard op list still matching the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../server/src/core/rules/index';
import { STANDARD_OPS } from '../../../server/src/core/rules/standardOps';
import { STANDARD_OPS_FILE, parseOpList, referenceOpsFile, standardOpsSource } from '../../../scripts/genStandardOps';
import { referenceMissing } from '../../helpers/corpus';

const PUBLIC_IDS = [
  'not-a-savedmodel', 'serve-tag-missing', 'multiple-serve-meta-graphs', 'predict-signature-missing', 'serving-default-missing',
  'invalid-method-name', 'dangling-tensor-reference', 'batch-dimension-fixed', 'training-op-in-serving-graph', 'custom-op',
  'model-size-limit', 'training-artifact', 'high-precision-dtype', 'variables-missing', 'asset-missing',
  'explanation-metadata-invalid', 'syntax-error', 'schema-error',
];

test('every public rule id of the issue is there, ids are unique kebab-case', () => {
  const ids = RULES.map((r) => r.id);
  for (const id of PUBLIC_IDS) assert.ok(ids.includes(id), id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  for (const r of RULES) assert.ok(r.description.length > 10, r.id);
});

test('docs/rules.md has one section per rule, anchored at its id, with what, why and fix', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
  const sections = doc.split(/^## /m).slice(1).map((s) => ({ id: s.slice(0, s.indexOf('\n')).trim(), body: s }));
  const ruleSections = sections.filter((s) => /^[a-z0-9-]+$/.test(s.id));
  assert.deepEqual(ruleSections.map((s) => s.id), RULES.map((r) => r.id));
  for (const s of ruleSections) for (const part of ['**What.**', '**Why.**', '**Fix.**']) assert.ok(s.body.includes(part), `${s.id}: ${part}`);
});

test('standardOps.json equals what scripts/genStandardOps.ts makes of the reference op list', { skip: referenceMissing('tensorflow-core-ops.txt') }, () => {
  const ops = parseOpList(fs.readFileSync(referenceOpsFile(), 'utf8'));
  assert.deepEqual([...STANDARD_OPS], ops);
  assert.equal(fs.readFileSync(STANDARD_OPS_FILE, 'utf8'), standardOpsSource(ops));
});

test('the standard op list is sorted and holds the ops serving graphs use', () => {
  assert.ok(STANDARD_OPS.length > 1000);
  for (let i = 1; i < STANDARD_OPS.length; i++) assert.ok(STANDARD_OPS[i - 1] < STANDARD_OPS[i]);
  for (const op of ['MatMul', 'StatefulPartitionedCall', 'Placeholder', 'VarHandleOp']) assert.ok(STANDARD_OPS.includes(op));
  assert.ok(!STANDARD_OPS.includes('TokenizerFromLogits'));
});
