// The serving copy's saved_model.pb: one meta graph tagged serve holding the frozen GraphDef, the
// same signature keys, methods, input and output keys, dtypes and shapes (tensor names point into
// the new graph), and an OpDef list of exactly the ops it uses: the source's definitions, else
// TensorFlow's own for the ops shrink adds (Cast, Mul, AddV2...). Before anything is written, the
// bytes are decoded again and must pass the graph type check.
import { PlainMessage, encodePlain, loadSchema, str } from '../protobuf';
import { MetaGraph, SavedModelDoc, Signature, TensorSpec, decodeSavedModel, shapeProto } from '../savedmodel';
import { checkMetaGraph, coreOpDef, declaredOpDefMessages, graphVersions } from '../graphcheck';
import { normalizeRef, refIndex, refNode } from '../smoke';
import { ShrinkError } from './shrinkError';
import { PROTO_LIMIT } from './protoLimit';


export interface CopyInput {
  readonly doc: SavedModelDoc;
  readonly metaGraph: MetaGraph;
  readonly signatures: readonly Signature[];
  readonly nodes: readonly PlainMessage[];
  /** Per signature key: source tensor name → the tensor in the copy. */
  readonly tensors: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Nodes the copy's init op runs at load (filling lookup tables). */
  readonly initNodes: readonly string[];
}

/** The copy's init op: TensorFlow runs the node `__saved_model_init_op` names once, at load. */
export const INIT_OP = 'shrink_init_op';
const INIT_KEY = '__saved_model_init_op';

export function copyModelBytes(c: CopyInput): Uint8Array {
  const nodes = c.initNodes.length ? [...c.nodes, { name: INIT_OP, op: 'NoOp', input: c.initNodes.map((n) => `^${n}`), attr: {} }] : [...c.nodes];
  const ops = [...new Set(nodes.map((n) => str(n.op)))].sort();
  const signatures: Array<[string, PlainMessage]> = c.signatures.map((s) => [s.key, signatureDef(s, c.tensors.get(s.key) ?? new Map())]);
  if (c.initNodes.length) signatures.push([INIT_KEY, { outputs: { [INIT_KEY]: { name: INIT_OP } } }]);
  const mg: PlainMessage = {
    meta_info_def: {
      tags: ['serve'],
      tensorflow_version: c.metaGraph.tensorflowVersion,
      tensorflow_git_version: str(c.metaGraph.metaInfo.tensorflow_git_version),
      stripped_op_list: { op: opDefs(c.doc, c.metaGraph, ops) },
    },
    graph_def: { node: nodes, versions: graphVersions(c.doc, c.metaGraph) ?? { producer: 1 } },
    signature_def: Object.fromEntries(signatures),
  };
  const bytes = encodePlain({ saved_model_schema_version: 1, meta_graphs: [mg] }, loadSchema().message('tensorflow.SavedModel'));
  if (bytes.length > PROTO_LIMIT) {
    throw new ShrinkError(`the frozen graph would be ${bytes.length} bytes, over the 2 GB limit of one GraphDef; shrink cannot keep weights as variables yet`);
  }
  typeCheck(bytes);
  return bytes;
}

function opDefs(doc: SavedModelDoc, mg: MetaGraph, ops: readonly string[]): PlainMessage[] {
  const declared = declaredOpDefMessages(doc, mg);
  return ops.map((op) => {
    const def = declared.get(op) ?? coreOpDef(op);
    if (!def) throw new ShrinkError(`op '${op}' is used by the serving graph, but the source's OpDef list does not declare it`);
    return def;
  });
}

function signatureDef(s: Signature, tensors: ReadonlyMap<string, string>): PlainMessage {
  const info = (t: TensorSpec): PlainMessage => {
    const copy = tensors.get(normalizeRef(t.name as string));
    if (copy === undefined) throw new ShrinkError(`signature '${s.key}' tensor '${t.key}' (${t.name}) is not in the frozen graph`);
    const name = refIndex(copy) === 0 ? `${refNode(copy)}:0` : copy;
    return { name, dtype: t.dtype, tensor_shape: t.shape.dims ? shapeProto(t.shape.dims) : { unknown_rank: true } };
  };
  return {
    inputs: Object.fromEntries(s.inputs.map((t) => [t.key, info(t)])),
    outputs: Object.fromEntries(s.outputs.map((t) => [t.key, info(t)])),
    method_name: s.method,
  };
}

/** Our own writer's output must pass the check TensorFlow's importer makes; a failure is a bug here. */
function typeCheck(bytes: Uint8Array): void {
  const doc = decodeSavedModel(bytes);
  const problems = doc.metaGraphs.flatMap((mg) => checkMetaGraph(doc, mg, { exactOpList: true }));
  if (problems.length) throw new ShrinkError(`the copy does not type-check (a shrink defect; nothing was written): ${problems.slice(0, 3).map((p) => p.message).join('; ')}`);
}
