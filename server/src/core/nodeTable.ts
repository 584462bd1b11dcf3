// The nodes of a GraphDef or FunctionDef in compact form: offsets of each NodeDef in the file plus
// its name and op. Inputs and attributes are decoded on demand, so a graph of hundreds of thousands
// of nodes costs a few typed arrays and two strings per node.
import { MessageInfo, FieldInfo } from './schema';
import { WireReader, RawField, utf8At } from './wire';
import { decodePlain } from './plainDecoder';
import { PlainMessage } from './plainMessage';

export interface NodeFields {
  readonly type: MessageInfo;
  readonly name: number;
  readonly op: number;
  readonly input: number;
  readonly attr: FieldInfo;
}

export function nodeFields(nodeDef: MessageInfo): NodeFields {
  const get = (n: string): FieldInfo => nodeDef.byName.get(n) as FieldInfo;
  return { type: nodeDef, name: get('name').number, op: get('op').number, input: get('input').number, attr: get('attr') };
}

export class NodeTable {
  readonly names: string[] = [];
  readonly ops: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private byName: Map<string, number> | undefined;

  constructor(readonly buf: Uint8Array, private readonly fields: NodeFields) {}

  get count(): number {
    return this.names.length;
  }

  /** Record the NodeDef at [start, end); reads only its name and op. */
  add(start: number, end: number): void {
    const r = new WireReader(this.buf, start, end);
    const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    let name = '';
    let op = '';
    while (!r.atEnd()) {
      r.next(f);
      if (f.number === this.fields.name && f.wireType === 2) name = utf8At(this.buf, f.start, f.end);
      else if (f.number === this.fields.op && f.wireType === 2) op = utf8At(this.buf, f.start, f.end);
    }
    this.names.push(name);
    this.ops.push(op);
    this.starts.push(start);
    this.ends.push(end);
  }

  indexOf(name: string): number {
    if (!this.byName) {
      this.byName = new Map();
      // First definition wins, as TensorFlow rejects duplicates anyway.
      for (let i = this.names.length - 1; i >= 0; i--) this.byName.set(this.names[i], i);
    }
    return this.byName.get(name) ?? -1;
  }

  span(i: number): { start: number; end: number } {
    return { start: this.starts[i], end: this.ends[i] };
  }

  inputs(i: number): string[] {
    const out: string[] = [];
    const r = new WireReader(this.buf, this.starts[i], this.ends[i]);
    const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    while (!r.atEnd()) {
      r.next(f);
      if (f.number === this.fields.input && f.wireType === 2) out.push(utf8At(this.buf, f.start, f.end));
    }
    return out;
  }

  /** The node's attr map, decoded (tensor contents stay views into the file). */
  attrs(i: number): PlainMessage {
    const full = decodePlain(this.buf, this.starts[i], this.ends[i], this.fields.type);
    return (full.attr as PlainMessage | undefined) ?? {};
  }
}
