// The OpDefs a meta graph declares (MetaInfoDef.stripped_op_list), decoded whole: the type check
// needs each arg's dtype source (fixed type, type attr, number attr, type list, ref) and which
// attrs have defaults. Library functions declare their own signature as an OpDef too.
import { SavedModelDoc, MetaGraph } from '../savedmodel';
import { decodePlain, fieldsOf, MessageInfo, PlainMessage, msg, msgList, str } from '../protobuf';

export interface ArgSpec {
  readonly name: string;
  /** A fixed dtype (`DT_FLOAT`), when the arg is not polymorphic. */
  readonly type: string | undefined;
  readonly typeAttr: string;
  readonly numberAttr: string;
  readonly typeListAttr: string;
  readonly isRef: boolean;
}

export interface AttrSpec {
  readonly name: string;
  /** The attr's kind: `type`, `int`, `list(type)`... */
  readonly type: string;
  readonly defaultValue: PlainMessage | undefined;
}

export interface OpDefInfo {
  readonly name: string;
  readonly inputs: readonly ArgSpec[];
  readonly outputs: readonly ArgSpec[];
  readonly attrs: ReadonlyMap<string, AttrSpec>;
}

export type OpDefTable = ReadonlyMap<string, OpDefInfo>;

const SKIP = new Set(['description', 'summary', 'deprecation']);

/** The OpDefs of stripped_op_list of meta graph `mg`, by op name. */
export function declaredOpDefs(doc: SavedModelDoc, mg: MetaGraph): OpDefTable {
  const out = new Map<string, OpDefInfo>();
  for (const [name, def] of declaredOpDefMessages(doc, mg)) out.set(name, opDefInfo(def));
  return out;
}

/** The OpDefs of stripped_op_list of meta graph `mg` as decoded messages (docs left out), by op name. */
export function declaredOpDefMessages(doc: SavedModelDoc, mg: MetaGraph): Map<string, PlainMessage> {
  const out = new Map<string, PlainMessage>();
  const s = doc.schema;
  const span = childSpans(doc, [0, doc.bytes.length], s.message('tensorflow.SavedModel'), 'meta_graphs')[mg.index];
  if (!span) return out;
  const opDef = s.message('tensorflow.OpDef');
  for (const info of childSpans(doc, span, s.message('tensorflow.MetaGraphDef'), 'meta_info_def')) {
    for (const l of childSpans(doc, info, s.message('tensorflow.MetaGraphDef.MetaInfoDef'), 'stripped_op_list')) {
      for (const o of childSpans(doc, l, s.message('tensorflow.OpList'), 'op')) {
        const def = decodePlain(doc.bytes, o[0], o[1], opDef, { skip: SKIP });
        out.set(str(def.name), def);
      }
    }
  }
  return out;
}

/** The `versions` of meta graph `mg`'s GraphDef (producer, min_consumer), or undefined. */
export function graphVersions(doc: SavedModelDoc, mg: MetaGraph): PlainMessage | undefined {
  const s = doc.schema;
  const span = childSpans(doc, [0, doc.bytes.length], s.message('tensorflow.SavedModel'), 'meta_graphs')[mg.index];
  if (!span) return undefined;
  for (const g of childSpans(doc, span, s.message('tensorflow.MetaGraphDef'), 'graph_def')) {
    for (const v of childSpans(doc, g, s.message('tensorflow.GraphDef'), 'versions')) return decodePlain(doc.bytes, v[0], v[1], s.message('tensorflow.VersionDef'));
  }
  return undefined;
}

/** The signatures of the library functions of meta graph `mg`, as OpDefs by function name. */
export function functionOpDefs(doc: SavedModelDoc, mg: MetaGraph): OpDefTable {
  const out = new Map<string, OpDefInfo>();
  const s = doc.schema;
  const span = childSpans(doc, [0, doc.bytes.length], s.message('tensorflow.SavedModel'), 'meta_graphs')[mg.index];
  if (!span || mg.functions.size === 0) return out;
  for (const g of childSpans(doc, span, s.message('tensorflow.MetaGraphDef'), 'graph_def')) {
    for (const lib of childSpans(doc, g, s.message('tensorflow.GraphDef'), 'library')) {
      for (const fn of childSpans(doc, lib, s.message('tensorflow.FunctionDefLibrary'), 'function')) {
        for (const sig of childSpans(doc, fn, s.message('tensorflow.FunctionDef'), 'signature')) {
          const def = opDefInfo(decodePlain(doc.bytes, sig[0], sig[1], s.message('tensorflow.OpDef'), { skip: SKIP }));
          out.set(def.name, def);
        }
      }
    }
  }
  return out;
}

export function opDefInfo(def: PlainMessage): OpDefInfo {
  const args = (v: PlainMessage[string]): ArgSpec[] => msgList(v).map((a) => ({
    name: str(a.name),
    type: typeof a.type === 'string' && a.type !== 'DT_INVALID' ? a.type : undefined,
    typeAttr: str(a.type_attr),
    numberAttr: str(a.number_attr),
    typeListAttr: str(a.type_list_attr),
    isRef: a.is_ref === true,
  }));
  const attrs = new Map<string, AttrSpec>();
  for (const a of msgList(def.attr)) {
    attrs.set(str(a.name), { name: str(a.name), type: str(a.type), defaultValue: a.default_value === undefined ? undefined : msg(a.default_value) });
  }
  return { name: str(def.name), inputs: args(def.input_arg), outputs: args(def.output_arg), attrs };
}

type Span = readonly [number, number];

function childSpans(doc: SavedModelDoc, span: Span, type: MessageInfo, name: string): Span[] {
  const number = type.byName.get(name)?.number;
  const out: Span[] = [];
  for (const f of fieldsOf(doc.bytes, span[0], span[1])) if (f.number === number && f.wireType === 2) out.push([f.start, f.end]);
  return out;
}
