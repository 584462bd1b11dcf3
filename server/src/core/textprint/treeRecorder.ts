// The parse tree of a text, recorded by the printer as it writes the text: one record per field
// occurrence, in the same store and with the same offsets that parseText would give for that text
// (test/unit/textprint/treeRecorder.test.ts compares them), so a decoded view is not parsed again.
import { RecordKind, TextStore } from '../textformat';

export class TreeRecorder {
  readonly store = new TextStore(new Uint8Array(0));
  /**
   * Unknown fields were printed (by number): the parser reports those as errors and skips them,
   * which a recorded tree does not imitate, so such a text is to be parsed instead.
   */
  printedUnknown = false;

  /** A scalar occurrence: its name starts at `at`, its value ends at `end`. */
  scalar(fieldId: number, at: number, end: number): void {
    const store = this.store;
    store.close(store.add(fieldId, RecordKind.Scalar, at), end);
  }

  /** A message occurrence whose name starts at `at`; its record, for close. */
  open(fieldId: number, at: number): number {
    return this.store.add(fieldId, RecordKind.Message, at);
  }

  /** The message of record r ends at `end` (after its `}`); its subtree is every record since open. */
  close(r: number, end: number): void {
    this.store.close(r, end);
  }
}
