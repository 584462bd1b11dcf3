// The CLI half of the fuzz, in a worker thread: a command stuck in a loop cannot stop the parent,
// which watches the messages below and stops this worker when one runs far past the limit.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { writeCase } from './fuzzCases';
import { CaseResult, runCase } from './fuzzCase';

export interface WorkerJob {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  /** Run the built-in smoke test on every n-th case (0: never). */
  readonly smokeEvery: number;
  /** Where the cases' folders are written (each removed after its case). */
  readonly root: string;
}

export type WorkerMessage =
  | { readonly type: 'begin'; readonly index: number; readonly command: string; readonly label: string }
  | { readonly type: 'result'; readonly result: CaseResult }
  | { readonly type: 'done' };

async function work(job: WorkerJob): Promise<void> {
  const post = (m: WorkerMessage): void => parentPort?.postMessage(m);
  for (let i = job.from; i < job.to; i++) {
    const c = writeCase(job.root, job.seed, i);
    const label = `${c.model}/${c.file} ${c.label}`;
    try {
      const result = await runCase(c, { smoke: job.smokeEvery > 0 && i % job.smokeEvery === 0, onCommand: (command) => post({ type: 'begin', index: i, command, label }) });
      post({ type: 'result', result });
    } finally {
      fs.rmSync(c.dir, { recursive: true, force: true });
    }
  }
  post({ type: 'done' });
}

if (parentPort) void work(workerData as WorkerJob);
