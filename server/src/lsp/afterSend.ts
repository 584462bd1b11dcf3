// Work to do once an answer has left the server. Judging a big model takes seconds of one thread:
// started while the answer still sits in this process's write queue, it would hold the answer
// back. The connection writes an answer a turn of the event loop after its handler returns, and
// the transport (stdio, or the IPC channel VS Code uses) sends it as the loop runs.

/** Bytes written to the client and not yet sent, on stdio and on the IPC channel. */
function pendingBytes(): number {
  const channel = (process as { channel?: { writeQueueSize?: number } }).channel;
  return process.stdout.writableLength + (channel?.writeQueueSize ?? 0);
}

const POLL_MS = 5;

/** Run fn once what the server has written so far (the current answer included) has been sent. */
export function afterSend(fn: () => void): void {
  const poll = (): void => {
    if (pendingBytes() > 0) setTimeout(poll, POLL_MS);
    else fn();
  };
  // Two turns: the connection writes the answer in the turn after the handler's.
  setImmediate(() => setImmediate(poll));
}
