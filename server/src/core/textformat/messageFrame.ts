// The state of each message being parsed (one frame per nesting level, reused): which singular
// fields and oneofs it has set, to reject repeats the way protoc's FORBID_SINGULAR_OVERWRITES
// policy does, and the indentation of its fields, to spot a missing `}`.
import { FieldSlot, MessageTable } from './parseTables';

const UNSET = 0;
const SET = 1;

/** What a parsed value means for its field's presence. */
export const enum ValueState {
  /** Missing or wrong (reported): the field stays as it was. */
  None = 0,
  /** A proto3 implicit-presence scalar at its default counts as unset. */
  Default = 1,
  Set = 2,
}
/** MessageFrame.indent before the first field is seen; -1 once seen when it does not start a line. */
const INDENT_UNSEEN = -2;

export class MessageFrame {
  table: MessageTable | undefined;
  has = new Uint8Array(32);
  /** Per oneof: 1 + index of the member that set it, or 0. */
  oneofBy = new Int32Array(8);
  /** Column of the first field name when it starts its line. */
  indent = INDENT_UNSEEN;
  openStart = 0;

  reset(t: MessageTable, openStart: number): void {
    this.table = t;
    this.indent = INDENT_UNSEEN;
    this.openStart = openStart;
    if (this.has.length < t.slots.length) this.has = new Uint8Array(t.slots.length);
    else this.has.fill(UNSET, 0, t.slots.length);
    if (this.oneofBy.length < t.oneofs.length) this.oneofBy = new Int32Array(t.oneofs.length);
    else this.oneofBy.fill(0, 0, t.oneofs.length);
  }

  /** No field seen yet, so its indentation is not known. */
  get indentUnseen(): boolean {
    return this.indent === INDENT_UNSEEN;
  }

  /** Why setting singular field `slot` of msg now is refused (a repeat, or another oneof member set), or undefined. */
  presenceError(slot: FieldSlot): string | undefined {
    if (this.has[slot.index] === SET) return `Non-repeated field "${slot.info.name}" is specified multiple times.`;
    if (slot.oneof >= 0 && this.oneofBy[slot.oneof] !== 0) {
      const t = this.table as MessageTable;
      const other = t.slots[this.oneofBy[slot.oneof] - 1].info.name;
      return `Field "${slot.info.name}" is specified along with field "${other}", another member of oneof "${t.oneofs[slot.oneof]}".`;
    }
    return undefined;
  }

  /** Record a singular field's value: set unless an implicit-presence scalar holds its default. */
  notePresence(slot: FieldSlot, state: ValueState): void {
    if (state === ValueState.None) return;
    this.has[slot.index] = state === ValueState.Set || slot.info.hasPresence ? SET : UNSET;
    if (slot.oneof >= 0) this.oneofBy[slot.oneof] = slot.index + 1;
  }

  /** An Any already has its type_url or value set. */
  anyIsSet(): boolean {
    const t = this.table as MessageTable;
    return this.has[t.slots[0].index] !== UNSET || this.has[t.slots[1].index] !== UNSET;
  }

  /** An expansion sets the Any's type_url, and its value if the packed message encodes to some bytes. */
  noteAnyExpansion(valueHasBytes: boolean): void {
    const t = this.table as MessageTable;
    this.has[t.slots[0].index] = SET;
    this.has[t.slots[1].index] = valueHasBytes ? SET : UNSET;
  }
}
