// A growable byte buffer, reused while decoding string literals so that decoding allocates only
// the final copy.

export class ByteScratch {
  bytes = new Uint8Array(256);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  push(b: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }

  /** Make room for n more bytes. */
  reserve(n: number): void {
    if (this.length + n > this.bytes.length) this.grow(n);
  }

  /** A copy of the collected bytes. */
  take(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private grow(n: number): void {
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }
}
