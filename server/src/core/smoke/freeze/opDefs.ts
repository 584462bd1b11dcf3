// The op signatures a graph needs when its functions are flattened: inside a FunctionDef a tensor
// is named `node:output_arg:index`, and turning that into the graph's `node:flat_index` needs the
// op's output args (and how many tensors each stands for). The SavedModel carries the OpDefs of the
// ops it uses (MetaInfoDef.stripped_op_list); functions carry their own signature (FunctionDef.signature).
import { SavedModelDoc } from '../../savedmodel';
import { decodePlain } from '../../protobuf';
import { PlainMessage, msg, msgList, str, num, list } from '../../protobuf';
import { fieldsOf } from '../../protobuf';
import { MessageInfo } from '../../protobuf';

export interface ArgDef {
  readonly name: string;
  /** The arg's fixed dtype (`DT_FLOAT`), or '' when an attr gives it. */
  readonly type: string;
  readonly numberAttr: string;
  readonly typeListAttr: string;
}

export interface OpSignature {
  readonly name: string;
  readonly inputArgs: readonly ArgDef[];
  readonly outputArgs: readonly ArgDef[];
  /** Attr defaults (NodeDefs may leave them out). */
  readonly defaults: Readonly<Record<string, PlainMessage>>;
}

export interface OpSignatures {
  readonly ops: ReadonlyMap<string, OpSignature>;
  readonly functions: ReadonlyMap<string, OpSignature>;
}

export function readOpSignatures(doc: SavedModelDoc, metaGraphIndex: number): OpSignatures {
  const ops = new Map<string, OpSignature>();
  const functions = new Map<string, OpSignature>();
  const mg = metaGraphSpan(doc, metaGraphIndex);
  if (!mg) return { ops, functions };
  const s = doc.schema;
  const opDef = s.message('tensorflow.OpDef');
  for (const f of fieldsIn(doc, mg, s.message('tensorflow.MetaGraphDef'), 'meta_info_def')) {
    for (const l of fieldsIn(doc, f, s.message('tensorflow.MetaGraphDef.MetaInfoDef'), 'stripped_op_list')) {
      for (const o of fieldsIn(doc, l, s.message('tensorflow.OpList'), 'op')) addOp(ops, decodePlain(doc.bytes, o[0], o[1], opDef));
    }
  }
  for (const g of fieldsIn(doc, mg, s.message('tensorflow.MetaGraphDef'), 'graph_def')) {
    for (const lib of fieldsIn(doc, g, s.message('tensorflow.GraphDef'), 'library')) {
      for (const fn of fieldsIn(doc, lib, s.message('tensorflow.FunctionDefLibrary'), 'function')) {
        for (const sig of fieldsIn(doc, fn, s.message('tensorflow.FunctionDef'), 'signature')) {
          addOp(functions, decodePlain(doc.bytes, sig[0], sig[1], opDef, { skip: new Set(['description', 'summary']) }));
        }
      }
    }
  }
  return { ops, functions };
}

function addOp(into: Map<string, OpSignature>, def: PlainMessage): void {
  const args = (v: PlainMessage[string]): ArgDef[] =>
    msgList(v).map((a) => ({ name: str(a.name), type: str(a.type), numberAttr: str(a.number_attr), typeListAttr: str(a.type_list_attr) }));
  const defaults: Record<string, PlainMessage> = {};
  for (const a of msgList(def.attr)) if (a.default_value) defaults[str(a.name)] = msg(a.default_value);
  into.set(str(def.name), { name: str(def.name), inputArgs: args(def.input_arg), outputArgs: args(def.output_arg), defaults });
}

type Span = readonly [number, number];

function metaGraphSpan(doc: SavedModelDoc, index: number): Span | undefined {
  const spans = fieldsIn(doc, [0, doc.bytes.length], doc.schema.message('tensorflow.SavedModel'), 'meta_graphs');
  return spans[index];
}

function fieldsIn(doc: SavedModelDoc, span: Span, type: MessageInfo, name: string): Span[] {
  const number = type.byName.get(name)?.number;
  const out: Span[] = [];
  for (const f of fieldsOf(doc.bytes, span[0], span[1])) if (f.number === number && f.wireType === 2) out.push([f.start, f.end]);
  return out;
}

/**
 * Where output `arg:index` of a node sits among the node's outputs. Args before it may stand for
 * several tensors (`number_attr` N, or a type list), read from the node's attrs or the op's defaults.
 */
export function flatOutputIndex(op: OpSignature | undefined, attrs: PlainMessage, arg: string, index: number): number | undefined {
  if (!op) return undefined;
  let offset = 0;
  for (const a of op.outputArgs) {
    if (a.name === arg) return offset + index;
    offset += argSize(a, attrs, op.defaults);
  }
  return undefined;
}

function argSize(a: ArgDef, attrs: PlainMessage, defaults: Readonly<Record<string, PlainMessage>>): number {
  const attr = (n: string): PlainMessage => msg(attrs[n] ?? defaults[n]);
  if (a.numberAttr) return num(attr(a.numberAttr).i, 1);
  if (a.typeListAttr) return list(msg(attr(a.typeListAttr).list).type).length;
  return 1;
}
