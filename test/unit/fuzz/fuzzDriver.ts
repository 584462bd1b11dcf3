// The fuzz from end to end: the CLI half in a worker thread (restarted past a case that hangs), the
// language-server half over the real protocol (dist/server.js), and the tally both report into.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerJob, WorkerMessage } from './fuzzWorker';
import { CaseResult, HANG_MS, Problem, ProblemKind } from './fuzzCase';
import { describeCase, writeCase } from './fuzzCases';
import { lspCase } from './fuzzLsp';
import { LspClient } from '../lsp/lspClient';

export interface FuzzOptions {
  readonly seed: number;
  readonly cases: number;
  readonly smokeEvery: number;
  /** Language-server cases: every n-th case (0: none). */
  readonly lspEvery: number;
  readonly onProgress?: (done: number, tally: Tally) => void;
}

export interface Tally {
  cases: number;
  lspCases: number;
  smokeCases: number;
  protocRefused: number;
  protocAccepted: number;
  slowestMs: number;
  readonly byTarget: Record<string, number>;
  readonly exitCodes: Record<string, number>;
  readonly problems: Problem[];
}

// A command this far past the 10 s limit is stuck: the worker is stopped and the case is a hang.
const KILL_MS = 3 * HANG_MS;

export function count(t: Tally, kind: ProblemKind): number {
  return t.problems.filter((p) => p.kind === kind).length;
}

export async function runFuzz(opts: FuzzOptions): Promise<Tally> {
  const tally: Tally = { cases: 0, lspCases: 0, smokeCases: 0, protocRefused: 0, protocAccepted: 0, slowestMs: 0, byTarget: {}, exitCodes: {}, problems: [] };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-fuzz-'));
  try {
    let next = 0;
    while (next < opts.cases) next = await cliHalf({ seed: opts.seed, from: next, to: opts.cases, smokeEvery: opts.smokeEvery, root }, tally, opts);
    if (opts.lspEvery > 0) await lspHalf(opts, root, tally);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return tally;
}

function record(t: Tally, r: CaseResult, smokeEvery: number): void {
  t.cases++;
  if (smokeEvery > 0 && r.index % smokeEvery === 0) t.smokeCases++;
  t.byTarget[r.target] = (t.byTarget[r.target] ?? 0) + 1;
  if (r.protoc === 'refuses') t.protocRefused++;
  if (r.protoc === 'accepts') t.protocAccepted++;
  t.slowestMs = Math.max(t.slowestMs, r.slowestMs);
  for (const [command, code] of Object.entries(r.codes)) t.exitCodes[`${command} ${code}`] = (t.exitCodes[`${command} ${code}`] ?? 0) + 1;
  t.problems.push(...r.problems);
}

/** Run cases [job.from, job.to) in a worker; answers the index to go on from (past a hang). */
function cliHalf(job: WorkerJob, tally: Tally, opts: FuzzOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit the TypeScript loader: register it first.
    const source = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'fuzzWorker.ts'))});`;
    const worker = new Worker(source, { eval: true, workerData: job });
    let current: { index: number; command: string; label: string; since: number } | undefined;
    let settled = false;
    const finish = (next: number): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate();
      resolve(next);
    };
    const watchdog = setInterval(() => {
      if (!current || Date.now() - current.since < KILL_MS) return;
      tally.problems.push({ kind: 'hang', message: `case ${current.index}: ${current.label}: ${current.command} still running after ${KILL_MS} ms (stopped)` });
      tally.cases++;
      finish(current.index + 1);
    }, 500);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'begin') current = { index: m.index, command: m.command, label: m.label, since: Date.now() };
      else if (m.type === 'result') {
        current = undefined;
        record(tally, m.result, job.smokeEvery);
        opts.onProgress?.(tally.cases, tally);
      } else finish(job.to);
    });
    worker.on('error', (e) => {
      // An error that kills the worker is an escape of the case it was running.
      tally.problems.push({ kind: 'escape', message: `case ${current?.index ?? '?'}: ${current?.label ?? ''}: the worker died: ${e.stack ?? e.message}` });
      if (current) {
        tally.cases++;
        finish(current.index + 1);
      } else if (!settled) {
        settled = true;
        clearInterval(watchdog);
        reject(e);
      }
    });
  });
}

async function lspHalf(opts: FuzzOptions, root: string, tally: Tally): Promise<void> {
  const client = await LspClient.start();
  try {
    for (let i = 0; i < opts.cases; i += opts.lspEvery) {
      const c = writeCase(root, opts.seed, i);
      try {
        const problems = await lspCase(client, c);
        tally.problems.push(...problems);
        tally.lspCases++;
      } finally {
        fs.rmSync(c.dir, { recursive: true, force: true });
      }
      if (!client.alive) {
        tally.problems.push({ kind: 'escape', message: `${describeCase(c)}: the language server exited; log: ${client.log.slice(-500)}` });
        break;
      }
    }
  } finally {
    await client.stop();
  }
}
