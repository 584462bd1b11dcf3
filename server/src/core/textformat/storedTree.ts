// The parse tree's objects (TextMessage, TextField, TextScalar), made on demand over a TextStore.
// Each access builds fresh, small objects that the caller may keep or drop: walking a whole graph
// allocates as it goes, but nothing keeps the walked nodes alive, so a tree of millions of values
// costs its typed arrays only. Two accesses give equal, not identical, objects.
import { ScalarDecoder } from './scalarDecoder';
import type { FieldInfo, MessageInfo } from '../protobuf';
import { RecordKind, TextStore } from './textStore';
import type { ScalarValue, TextAnyExpansion, TextField, TextMessage, TextScalar, TextValue } from './textTree';

/** Messages with this many fields keep their field list (a few per text: graphs, function libraries). */
const MANY_FIELDS = 4096;

const decoders = new WeakMap<TextStore, ScalarDecoder>();

/** The store's decoder, made on first use (most trees are only walked for ranges). */
export function decoderOf(store: TextStore): ScalarDecoder {
  let d = decoders.get(store);
  if (!d) decoders.set(store, (d = new ScalarDecoder(store.buf)));
  return d;
}

/** The root message of a parse: every top-level record. */
export function storedRoot(store: TextStore, type: MessageInfo): TextMessage {
  return new StoredMessage(store, -1, type);
}

/** Where a message of a parsed tree is stored (record -1: the root), or undefined for another object. */
export function storedAt(msg: TextMessage): { store: TextStore; record: number } | undefined {
  return msg instanceof StoredMessage ? { store: msg.store, record: msg.record } : undefined;
}

/** The message held by record r. */
export function storedMessage(store: TextStore, r: number, type: MessageInfo): TextMessage {
  return new StoredMessage(store, r, type);
}

class StoredMessage implements TextMessage {
  readonly kind = 'message';

  /** record: the one holding the message, or -1 for the root. */
  constructor(readonly store: TextStore, readonly record: number, readonly type: MessageInfo) {}

  get start(): number {
    return this.record < 0 ? 0 : this.store.valueStart(this.record);
  }

  get end(): number {
    return this.record < 0 ? this.store.buf.length : this.store.end(this.record);
  }

  get fields(): readonly TextField[] {
    const { store } = this;
    const cached = store.manyFields.get(this.record);
    if (cached) return cached;
    const out: TextField[] = [];
    const stop = this.childrenEnd();
    for (let c = this.record + 1; c < stop; c = store.next(c)) {
      if (store.kindOf(c) !== RecordKind.AnyExpansion) out.push(new StoredField(store, c));
    }
    // A graph's node list is searched on every hover: build it once.
    if (out.length >= MANY_FIELDS) store.manyFields.set(this.record, out);
    return out;
  }

  get any(): TextAnyExpansion | undefined {
    const { store } = this;
    if (!store.anys.size) return undefined;
    const stop = this.childrenEnd();
    // Should the text expand it twice (an error), the last expansion counts, as in the encoder.
    let found: TextAnyExpansion | undefined;
    for (let c = this.record + 1; c < stop; c = store.next(c)) {
      const any = store.kindOf(c) === RecordKind.AnyExpansion ? store.anys.get(c) : undefined;
      if (any) found = { url: any.url, start: any.start, end: any.end, message: new StoredMessage(store, c, any.type) };
    }
    return found;
  }

  private childrenEnd(): number {
    return this.record < 0 ? this.store.count : this.store.next(this.record);
  }
}

class StoredField implements TextField {
  readonly info: FieldInfo;

  constructor(private readonly store: TextStore, private readonly r: number) {
    this.info = store.info(r);
  }

  get nameStart(): number {
    return this.store.nameStart(this.r);
  }

  /** The name as written is the field's name, byte for byte (ASCII). */
  get nameEnd(): number {
    return this.store.nameStart(this.r) + this.info.name.length;
  }

  get end(): number {
    return this.store.occurrenceEnd(this.r);
  }

  get values(): TextValue[] {
    const { store, r } = this;
    switch (store.kindOf(r)) {
      case RecordKind.Scalar: return [new StoredScalar(store, r, this.info)];
      case RecordKind.Message: return [new StoredMessage(store, r, this.info.message as MessageInfo)];
      case RecordKind.List: return this.elements();
      default: return [];
    }
  }

  private elements(): TextValue[] {
    const { store, r, info } = this;
    const out: TextValue[] = [];
    for (let c = r + 1, stop = store.next(r); c < stop; c = store.next(c)) {
      out.push(store.kindOf(c) === RecordKind.Message ? new StoredMessage(store, c, info.message as MessageInfo) : new StoredScalar(store, c, info));
    }
    return out;
  }
}

class StoredScalar implements TextScalar {
  readonly kind = 'scalar';
  private decoded: ScalarValue | undefined;

  constructor(private readonly store: TextStore, private readonly r: number, private readonly info: FieldInfo) {}

  get start(): number {
    return this.store.valueStart(this.r);
  }

  get end(): number {
    return this.store.end(this.r);
  }

  get value(): ScalarValue {
    if (this.decoded === undefined) this.decoded = decoderOf(this.store).decode(this.info, this.store.valueStart(this.r));
    return this.decoded;
  }
}
