// The library functions a node calls: through an attribute holding a function (`f` of
// StatefulPartitionedCall/PartitionedCall, `then_branch`/`else_branch` of If, `cond`/`body` of
// While, `branches` of Case, dataset functions...) or by naming a function as its op type. Read
// straight from the NodeDef's bytes, so walking a large serving graph decodes no attribute values.
import { loadSchema, FieldInfo, MessageInfo, WireType } from '../protobuf';
import { NodeTable } from '../savedmodel';
import { RawField, WireReader, utf8At } from '../protobuf';

interface CallFields {
  readonly nodeAttr: number;
  readonly entryValue: number;
  readonly valueFunc: number;
  readonly valueList: number;
  readonly listFunc: number;
  readonly nameAttrName: number;
  readonly nameAttrAttr: number;
}

let cached: CallFields | undefined;

function numberOf(type: MessageInfo, name: string): number {
  return (type.byName.get(name) as FieldInfo).number;
}

function callFields(): CallFields {
  if (cached) return cached;
  const schema = loadSchema();
  const node = schema.message('tensorflow.NodeDef');
  const entry = (node.byName.get('attr') as FieldInfo).message as MessageInfo;
  const value = schema.message('tensorflow.AttrValue');
  const listType = schema.message('tensorflow.AttrValue.ListValue');
  const nameAttr = schema.message('tensorflow.NameAttrList');
  cached = {
    nodeAttr: numberOf(node, 'attr'), entryValue: numberOf(entry, 'value'),
    valueFunc: numberOf(value, 'func'), valueList: numberOf(value, 'list'), listFunc: numberOf(listType, 'func'),
    nameAttrName: numberOf(nameAttr, 'name'), nameAttrAttr: numberOf(nameAttr, 'attr'),
  };
  return cached;
}

/** Names of the functions node i calls (may name functions missing from the library). */
export function calledFunctions(nodes: NodeTable, i: number, library: ReadonlySet<string> | ReadonlyMap<string, unknown>): string[] {
  const out: string[] = [];
  if (library.has(nodes.ops[i])) out.push(nodes.ops[i]);
  const F = callFields();
  const { start, end } = nodes.span(i);
  const buf = nodes.buf;
  eachMessageField(buf, start, end, F.nodeAttr, (s, e) => eachMessageField(buf, s, e, F.entryValue, (vs, ve) => attrValueFunctions(buf, vs, ve, out, 0)));
  return out;
}

// Nested function attributes (a function's own attrs holding functions) are rare and shallow.
const MAX_DEPTH = 8;

function attrValueFunctions(buf: Uint8Array, start: number, end: number, out: string[], depth: number): void {
  const F = callFields();
  eachMessageField(buf, start, end, -1, (s, e, number) => {
    if (number === F.valueFunc) nameAttrList(buf, s, e, out, depth);
    else if (number === F.valueList) eachMessageField(buf, s, e, F.listFunc, (ls, le) => nameAttrList(buf, ls, le, out, depth));
  });
}

function nameAttrList(buf: Uint8Array, start: number, end: number, out: string[], depth: number): void {
  const F = callFields();
  eachMessageField(buf, start, end, -1, (s, e, number) => {
    if (number === F.nameAttrName) {
      const name = utf8At(buf, s, e);
      if (name) out.push(name);
    } else if (number === F.nameAttrAttr && depth < MAX_DEPTH) {
      eachMessageField(buf, s, e, F.entryValue, (vs, ve) => attrValueFunctions(buf, vs, ve, out, depth + 1));
    }
  });
}

/** Calls fn with the payload of each length-delimited field numbered `only` (-1: any number). */
function eachMessageField(buf: Uint8Array, start: number, end: number, only: number, fn: (start: number, end: number, number: number) => void): void {
  const r = new WireReader(buf, start, end);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  while (!r.atEnd()) {
    r.next(f);
    if (f.wireType === WireType.LengthDelimited && (only < 0 || f.number === only)) fn(f.start, f.end, f.number);
  }
}
