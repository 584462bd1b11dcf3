// Debounced, cancellable analysis per document: typing replaces the pending run, so only the latest
// version is analyzed, and the work runs off the request path (requests use the last result or
// compute it on demand).

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly run: (uri: string) => void) {}

  schedule(uri: string, delayMs: number): void {
    this.cancel(uri);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri);
    }, delayMs));
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }
}
