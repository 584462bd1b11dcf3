// `check` must cost at most twice what `show` costs on a big graph (the benchmark's many-small-nodes
// shape, scaled down to keep the suite fast). Measured as CPU time in this process, the best of a
// few runs, so other processes on the machine disturb it little.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { manyNodes } from '../../../bench/generate';
import { loadModel } from '../../../server/src/core/loadModel';
import { summarize, formatSummary } from '../../../server/src/core/modelSummary';
import { checkPath } from '../../../server/src/core/check/checkModel';
import { locationResolver } from '../../../server/src/core/check/resolveLocation';
import { formatCheckText } from '../../../server/src/core/check/checkText';
import { tempDir } from './helpers';

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const best = (fn: () => void, runs = 3): number => Math.min(...Array.from({ length: runs }, () => cpuMs(fn)));

test('check costs at most twice what show costs on a 50k-node graph', (t) => {
  const dir = tempDir('perf');
  fs.writeFileSync(path.join(dir, 'saved_model.pb'), manyNodes(50_000));
  const show = best(() => {
    const r = loadModel(dir);
    if (!r.ok) throw new Error(r.reason);
    formatSummary(summarize(r.model));
  });
  const check = best(() => {
    const o = checkPath(dir);
    if (o.kind !== 'checked') throw new Error(o.kind);
    formatCheckText(o, locationResolver(o.model.location, o.model));
  });
  t.diagnostic(`CPU: show ${show.toFixed(0)} ms, check ${check.toFixed(0)} ms`);
  assert.ok(check <= 2 * show, `check ${check.toFixed(0)} ms CPU, show ${show.toFixed(0)} ms CPU`);
});
