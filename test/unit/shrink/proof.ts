// What every shrink test asserts of a copy: the source is unchanged (a hash of every file), the copy
// is one serving meta graph that type-checks with its exact op list, decodes with protoc, and
// checks without errors of its own.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { ShrinkReport, WeightMode, shrinkModel } from '../../../server/src/core/shrink';
import { checkMetaGraph } from '../../../server/src/core/graphcheck';
import { loadModel } from '../../../server/src/core/savedmodel';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { tempDir } from '../rules/helpers';

/** Every file's path and SHA-256 under a folder: the source must come out of shrink as it went in. */
export function folderHash(dir: string): string {
  const h = crypto.createHash('sha256');
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      h.update(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
      else h.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Shrink `src` into a fresh folder; asserts the proof every copy must carry. */
export async function shrinkAndProve(src: string, weights: WeightMode, label: string): Promise<{ report: ShrinkReport; out: string }> {
  const before = folderHash(src);
  const out = path.join(tempDir('copy'), 'out');
  const report = await shrinkModel(src, out, { weights });
  assert.equal(folderHash(src), before, `${label}: the source changed`);
  assertProven(out, report, label);
  return { report, out };
}

export function assertProven(out: string, report: ShrinkReport, label: string): void {
  const bytes = fs.readFileSync(path.join(out, 'saved_model.pb'));
  const loaded = loadModel(out);
  assert.ok(loaded.ok, label);
  if (!loaded.ok) return;
  assert.deepEqual(loaded.model.doc.metaGraphs.map((mg) => mg.tags), [['serve']], label);
  for (const mg of loaded.model.doc.metaGraphs) assert.deepEqual(checkMetaGraph(loaded.model.doc, mg, { exactOpList: true }), [], label);
  if (!protocMissing()) assert.ok(protocDecode(bytes).ok, `${label}: protoc cannot decode the copy`);
  assert.equal(report.check.errors - report.check.inheritedErrors, 0, `${label}: ${report.check.errorMessages.join('; ')}`);
  assert.deepEqual(fs.readdirSync(out), ['saved_model.pb'], `${label}: nothing of training is copied`);
}

