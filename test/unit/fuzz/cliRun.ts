// The CLI in this process: mainAsync (what dist/cli.js runs) with stdout and stderr captured. An
// exception out of it is what the real CLI would print as a stack trace before exiting 1, so it is
// reported as an escape, with the exit status the process would have had.
import { mainAsync } from '../../../server/src/cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** The exception that escaped main, as the stack trace the process would print. */
  readonly escaped?: string;
}

type Write = typeof process.stdout.write;

function collector(sink: string[]): Write {
  return ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    cb?.();
    return true;
  }) as Write;
}

/** Run one command line as the CLI would; never throws. */
export async function runCli(argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = collector(out);
  process.stderr.write = collector(err);
  const t0 = performance.now();
  let code: number;
  let escaped: string | undefined;
  try {
    code = await mainAsync(argv);
  } catch (e) {
    escaped = e instanceof Error ? e.stack ?? `${e.name}: ${e.message}` : String(e);
    code = 1; // node's status for an uncaught exception
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
  return { code, stdout: out.join(''), stderr: err.join(''), ms: performance.now() - t0, ...(escaped ? { escaped } : {}) };
}
