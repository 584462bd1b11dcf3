// What the wire walk can record on its way: for every message of one type, where it lies and where
// some of its length-delimited fields lie. The SavedModel decoder asks for NodeDef's name and op, so
// the node table is built from these spans instead of walking each of 300k nodes a second time.
import type { MessageInfo } from './schema';

export interface SpanRequest {
  readonly type: MessageInfo;
  /** Field numbers of length-delimited fields to locate (at most 8). */
  readonly fields: readonly number[];
}

export class MessageSpans {
  /**
   * Per record: the message's [start, end), then [start, end) of each requested field, as the
   * parser keeps a singular field (its last occurrence); 0, 0 when absent. File offsets below 4 GiB.
   */
  data = new Uint32Array(1024);
  count = 0;
  readonly stride: number;
  /** By field number: 1 + the field's place in the request; 0 for fields not recorded. */
  private readonly slot: Uint8Array;

  constructor(readonly request: SpanRequest) {
    if (request.fields.length > 8) throw new Error('at most 8 fields per span request');
    this.stride = 2 + 2 * request.fields.length;
    this.slot = new Uint8Array(Math.max(0, ...request.fields) + 1);
    request.fields.forEach((n, i) => (this.slot[n] = i + 1));
  }

  /** A new record for the message at [start, end); returns its offset in data. */
  begin(start: number, end: number): number {
    const at = this.count * this.stride;
    if (at + this.stride > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[at] = start;
    this.data[at + 1] = end;
    this.count++;
    return at;
  }

  /** The walk met field `num` at [start, end) inside the record at offset rec. */
  field(rec: number, num: number, start: number, end: number): void {
    const s = num < this.slot.length ? this.slot[num] : 0;
    if (s === 0) return;
    this.data[rec + 2 * s] = start;
    this.data[rec + 2 * s + 1] = end;
  }

  /**
   * The record index of the message that starts at `start`, looking forward from record `from`
   * (callers visit messages in file order, as the walk recorded them); -1 when there is none.
   */
  find(start: number, from: number): number {
    const { data, stride } = this;
    for (let k = from; k < this.count; k++) {
      const s = data[k * stride];
      if (s === start) return k;
      if (s > start) return -1;
    }
    return -1;
  }
}
