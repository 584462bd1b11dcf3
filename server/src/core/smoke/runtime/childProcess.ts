// Run one job in a child process and wait for its answer, with progress, cancel and a time limit.
// Used by both runtimes; the caller's process never loads TensorFlow.js or TensorFlow.
import { ChildProcess } from 'node:child_process';

export type ChildOutcome<T> =
  | { readonly kind: 'answer'; readonly value: T }
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'spawn-failed'; readonly message: string };

export interface WaitOptions<T> {
  /** Whether an IPC message is the final answer (others are progress). */
  readonly isAnswer: (m: unknown) => m is T;
  /** Keep what the child writes to stdout (a program that answers there); else it is drained. */
  readonly collectStdout?: boolean;
  readonly onMessage?: (m: unknown) => void;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

const STDERR_KEEP = 8192;

export function waitForChild<T>(child: ChildProcess, opts: WaitOptions<T>): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    let stderr = '';
    const stdout: Buffer[] = [];
    let done = false;
    const finish = (o: ChildOutcome<T>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (o.kind !== 'answer' && o.kind !== 'exited' && child.exitCode === null) child.kill();
      // The child exits by itself after answering; make sure it does not linger.
      if (o.kind === 'answer') setTimeout(() => child.exitCode === null && child.kill(), 5000).unref();
      resolve(o);
    };
    const onAbort = (): void => finish({ kind: 'cancelled' });
    const timer = opts.timeoutMs ? setTimeout(() => finish({ kind: 'timeout', ms: opts.timeoutMs as number }), opts.timeoutMs) : undefined;
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) onAbort();
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_KEEP)));
    child.stdout?.on('data', (d: Buffer) => opts.collectStdout && stdout.push(d)); // else drained: libraries print there
    child.on('message', (m: unknown) => (opts.isAnswer(m) ? finish({ kind: 'answer', value: m }) : opts.onMessage?.(m)));
    child.on('error', (e) => finish({ kind: 'spawn-failed', message: e.message }));
    // 'close' (not 'exit'): stdout and stderr are complete then.
    child.on('close', (code, signal) => finish({ kind: 'exited', code, signal, stdout: Buffer.concat(stdout).toString(), stderr }));
  });
}
