// Random mutations of real model texts: the parser never throws or hangs, its ranges stay inside
// the text, and whenever it reports no error its encoding is byte-identical to protoc's (protoc
// must accept the text too). A sample of the texts we reject is checked to be rejected by protoc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { corpusMissing } from '../../helpers/corpus';
import { protocMissing } from '../../helpers/protoc';
import type { FuzzOptions, FuzzReport } from './fuzzWorker';

const OPTIONS: FuzzOptions = { cases: 2500, seed: 0x5eed, rejectSample: 20 };
/** Far more than the loop needs (a few seconds): past this the parser is taken to hang. */
const TIME_LIMIT_MS = 120_000;

function runWorker(options: FuzzOptions): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit the TypeScript loader: register it first.
    const source = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'fuzzWorker.ts'))});`;
    const worker = new Worker(source, { eval: true, workerData: options });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`fuzz loop still running after ${TIME_LIMIT_MS} ms: the parser hangs on some input`));
    }, TIME_LIMIT_MS);
    worker.once('message', (report: FuzzReport) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(report);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

test(`fuzz: ${OPTIONS.cases} mutated model texts against protoc`, { skip: corpusMissing() ?? protocMissing() }, async (t) => {
  const report = await runWorker(OPTIONS);
  assert.equal(report.failure, undefined);
  t.diagnostic(`${report.accepted} accepted (bytes = protoc), ${report.rejectedChecked} rejections confirmed by protoc, slowest parse ${report.slowestMs.toFixed(1)} ms`);
  assert.ok(report.accepted > OPTIONS.cases / 20, `enough accepted cases (${report.accepted})`);
  assert.ok(report.slowestMs < 2000, 'no parse takes long');
});
