// The dtypes an op's input or output args stand for on one node: an arg is one tensor of a fixed
// type or of a type attr, N tensors (number_attr) of one type, or one tensor per entry of a type
// list; refs are the `_REF` variant of the type. Attrs come from the node, else the op's defaults.
import { PlainMessage, list, msg, num } from '../protobuf';
import { ArgSpec, OpDefInfo } from './opDefTable';

/** A dtype per tensor, `undefined` where the node does not say; undefined when the count is unknown. */
export type ArgTypes = ReadonlyArray<string | undefined>;

export function attrValue(node: PlainMessage, op: OpDefInfo, name: string): PlainMessage | undefined {
  const own = node[name];
  if (own !== undefined) return msg(own);
  return op.attrs.get(name)?.defaultValue;
}

export function expandArgs(args: readonly ArgSpec[], op: OpDefInfo, node: PlainMessage): ArgTypes | undefined {
  const out: Array<string | undefined> = [];
  for (const a of args) {
    const types = argTypes(a, op, node);
    if (!types) return undefined;
    out.push(...types);
  }
  return out;
}

function argTypes(a: ArgSpec, op: OpDefInfo, node: PlainMessage): ArgTypes | undefined {
  const ref = (t: string | undefined): string | undefined => (t !== undefined && a.isRef ? `${t}_REF` : t);
  if (a.typeListAttr) {
    const v = attrValue(node, op, a.typeListAttr);
    if (!v) return undefined;
    return list(msg(v.list).type).map((t) => ref(typeof t === 'string' ? t : undefined));
  }
  const one = ref(a.type ?? typeOf(attrValue(node, op, a.typeAttr)));
  if (!a.numberAttr) return [one];
  const n = attrValue(node, op, a.numberAttr);
  if (!n) return undefined;
  return new Array<string | undefined>(Math.max(0, num(n.i))).fill(one);
}

function typeOf(v: PlainMessage | undefined): string | undefined {
  return v && typeof v.type === 'string' ? v.type : undefined;
}

/** TensorFlow's TypesCompatible: a ref tensor may feed a non-ref input of its base type, not the reverse. */
export function typesCompatible(expected: string, actual: string): boolean {
  return expected === actual || expected === baseType(actual);
}

export function baseType(t: string): string {
  return t.endsWith('_REF') ? t.slice(0, -4) : t;
}
