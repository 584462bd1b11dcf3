// The corrupt-model fuzz in the unit suite: a few hundred seeded mutants of the corpus's binary
// and text models, checkpoint indexes and data shards, through check, show, the exports, the
// built-in smoke test and the language server. `npm run fuzz` runs 10,000 (test/unit/fuzz/run.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { corpusMissing } from '../../helpers/corpus';
import { protocMissing } from '../../helpers/protoc';
import { count, runFuzz } from './fuzzDriver';
import { describeCase, writeCase } from './fuzzCases';
import { runCli } from './cliRun';
import { ROOT, ensureServerBuilt } from '../lsp/lspClient';

const skip = corpusMissing() ?? protocMissing();
const SEED = 7;

test('300 corrupt models: no escape, no hang, exit codes 0/1/2, protoc\'s refusals never called fine', { skip }, async (t) => {
  const tally = await runFuzz({ seed: SEED, cases: 300, smokeEvery: 100, lspEvery: 15 });
  t.diagnostic(`cases ${tally.cases} (${JSON.stringify(tally.byTarget)}), language server ${tally.lspCases}, smoke ${tally.smokeCases}; ` +
    `protoc refuses ${tally.protocRefused}, accepts ${tally.protocAccepted}; slowest ${Math.round(tally.slowestMs)} ms`);
  for (const p of tally.problems.slice(0, 30)) t.diagnostic(`[${p.kind}] ${p.message}`);
  assert.equal(tally.cases, 300);
  assert.ok(tally.protocRefused > 50 && tally.protocAccepted > 5, 'the mutants exercise both verdicts');
  assert.ok(tally.byTarget.shard > 10 && tally.byTarget.index > 10 && tally.byTarget.pbtxt > 10);
  for (const kind of ['escape', 'hang', 'exit-code', 'contract', 'protoc-disagreement', 'protoc-false-alarm', 'export-mismatch', 'checksum-miss', 'checksum-false-alarm'] as const) {
    assert.equal(count(tally, kind), 0, `${kind}: ${tally.problems.find((p) => p.kind === kind)?.message}`);
  }
});

test('the in-process CLI gives the exit status of dist/cli.js on the same mutants', { skip }, async () => {
  ensureServerBuilt(); // builds every bundle, dist/cli.js included
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-fuzz-cli-'));
  try {
    for (const i of [0, 1, 2, 3, 5, 8, 13]) {
      const c = writeCase(root, SEED, i);
      for (const argv of [['check', c.dir], ['show', c.dir]]) {
        const inProcess = await runCli(argv);
        const real = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...argv], { encoding: 'utf8' });
        assert.equal(real.status, inProcess.code, `${describeCase(c)}: ${argv[0]}: ${real.stderr.slice(0, 300)}`);
        assert.doesNotMatch(real.stderr, /^\s+at .+:\d+:\d+\)?$/m, `${describeCase(c)}: ${argv[0]} printed a stack trace`);
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
