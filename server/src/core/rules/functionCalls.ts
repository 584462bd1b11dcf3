// The library functions a node calls: through an attribute holding a function (`f` of
// StatefulPartitionedCall/PartitionedCall, `then_branch`/`else_branch` of If, `cond`/`body` of
// While, `branches` of Case, dataset functions...) or by naming a function as its op type. Read
// straight from the NodeDef's bytes, so walking a large serving graph decodes no attribute values.
import { loadSchema, FieldInfo, MessageInfo, WireType } from '../schema';
import { NodeTable } from '../nodeTable';
import { fieldsOf, utf8At } from '../wire';

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
  for (const f of fieldsOf(buf, start, end)) {
    if (f.number !== F.nodeAttr || f.wireType !== WireType.LengthDelimited) continue;
    for (const v of fieldsOf(buf, f.start, f.end)) {
      if (v.number === F.entryValue && v.wireType === WireType.LengthDelimited) attrValueFunctions(buf, v.start, v.end, out, 0);
    }
  }
  return out;
}

// Nested function attributes (a function's own attrs holding functions) are rare and shallow.
const MAX_DEPTH = 8;

function attrValueFunctions(buf: Uint8Array, start: number, end: number, out: string[], depth: number): void {
  const F = callFields();
  for (const f of fieldsOf(buf, start, end)) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.number === F.valueFunc) nameAttrList(buf, f.start, f.end, out, depth);
    else if (f.number === F.valueList) {
      for (const g of fieldsOf(buf, f.start, f.end)) {
        if (g.number === F.listFunc && g.wireType === WireType.LengthDelimited) nameAttrList(buf, g.start, g.end, out, depth);
      }
    }
  }
}

function nameAttrList(buf: Uint8Array, start: number, end: number, out: string[], depth: number): void {
  const F = callFields();
  for (const f of fieldsOf(buf, start, end)) {
    if (f.wireType !== WireType.LengthDelimited) continue;
    if (f.number === F.nameAttrName) {
      const name = utf8At(buf, f.start, f.end);
      if (name) out.push(name);
    } else if (f.number === F.nameAttrAttr && depth < MAX_DEPTH) {
      for (const v of fieldsOf(buf, f.start, f.end)) {
        if (v.number === F.entryValue && v.wireType === WireType.LengthDelimited) attrValueFunctions(buf, v.start, v.end, out, depth + 1);
      }
    }
  }
}
