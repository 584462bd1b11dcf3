// The state of each message being parsed (one frame per nesting level, reused): which singular
// fields and oneofs it has set, to reject repeats the way protoc's FORBID_SINGULAR_OVERWRITES
// policy does, and the indentation of its fields, to spot a missing `}`.
import { FieldSlot, MessageTable } from './parseTables';
import { encodeMessage } from './textEncoder';
import { isDefaultScalar, TextField, TextMessage, TextValue } from './textTree';

const UNSET = 0;
const SET = 1;
/** The Any `value` set by an expansion: set only if the packed message encodes to some bytes. */
const SET_IF_NONEMPTY = 2;
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
  /** The occurrences parsed so far; copied to an exactly sized array when the message ends. */
  fields: TextField[] = [];
  fieldCount = 0;

  reset(t: MessageTable, openStart: number): void {
    this.table = t;
    this.fieldCount = 0;
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
  presenceError(msg: TextMessage, slot: FieldSlot): string | undefined {
    if (this.isSet(msg, slot.index)) return `Non-repeated field "${slot.info.name}" is specified multiple times.`;
    if (slot.oneof >= 0 && this.oneofBy[slot.oneof] !== 0) {
      const t = this.table as MessageTable;
      const other = t.slots[this.oneofBy[slot.oneof] - 1].info.name;
      return `Field "${slot.info.name}" is specified along with field "${other}", another member of oneof "${t.oneofs[slot.oneof]}".`;
    }
    return undefined;
  }

  /** Record a singular field's values: set unless an implicit-presence scalar holds its default. */
  notePresence(slot: FieldSlot, values: readonly TextValue[]): void {
    if (values.length === 0) return;
    const v = values[values.length - 1];
    const explicit = slot.info.hasPresence || v.kind === 'message';
    this.has[slot.index] = explicit || !isDefaultScalar(v.value) ? SET : UNSET;
    if (slot.oneof >= 0) this.oneofBy[slot.oneof] = slot.index + 1;
  }

  /** An Any (msg) already has its type_url or value set. */
  anyIsSet(msg: TextMessage): boolean {
    const t = this.table as MessageTable;
    return this.has[t.slots[0].index] !== UNSET || this.isSet(msg, t.slots[1].index);
  }

  /** An expansion sets the Any's type_url, and its value if the packed message has bytes. */
  noteAnyExpansion(): void {
    const t = this.table as MessageTable;
    this.has[t.slots[0].index] = SET;
    this.has[t.slots[1].index] = SET_IF_NONEMPTY;
  }

  private isSet(msg: TextMessage, index: number): boolean {
    const state = this.has[index];
    return state === SET || (state === SET_IF_NONEMPTY && msg.any !== undefined && encodeMessage(msg.any.message).length > 0);
  }
}
