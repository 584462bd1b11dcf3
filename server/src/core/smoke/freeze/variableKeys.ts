// Which checkpoint entry holds the value of each variable node of the graph.
// TF1 graphs: the variable's node name (a Saver's default key). TF2 SavedModels: the graph's
// VarHandleOps are the captured inputs of the signature's call nodes; the SavedObjectGraph says
// which object each capture is (concrete_functions[f].bound_inputs), and the checkpoint's
// TrackableObjectGraph (the `_CHECKPOINTABLE_OBJECT_GRAPH` entry) gives that object's
// VARIABLE_VALUE key. The two object graphs are matched by the path of child names from the root.
import { MetaGraph } from '../../savedmodel';
import { CheckpointIndex, readObjectGraphBytes } from '../../checkpoint';
import { decodePlain } from '../../protobuf';
import { loadSchema } from '../../protobuf';
import { PlainMessage, list, msg, msgList, num, str } from '../../protobuf';

/** A node of the top-level graph, as far as finding variables needs. */
export interface GraphNodeView {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly attrs: PlainMessage;
}

export interface VariableKeys {
  /** The checkpoint key for a variable node, or undefined when none is found. */
  keyOf(node: GraphNodeView): string | undefined;
}

export function variableKeys(mg: MetaGraph, nodes: readonly GraphNodeView[], variablesDir: string, index: CheckpointIndex): VariableKeys {
  const names = new Set(index.entries.map((e) => e.name));
  const captured = capturedObjectKeys(mg, nodes, variablesDir, index);
  return {
    keyOf(node) {
      const viaObjects = captured.get(node.name);
      if (viaObjects && names.has(viaObjects)) return viaObjects;
      if (names.has(node.name)) return node.name;
      const shared = bytesText(msg(node.attrs.shared_name).s);
      return shared && names.has(shared) ? shared : undefined;
    },
  };
}

function bytesText(v: PlainMessage[string]): string {
  return v instanceof Uint8Array ? new TextDecoder().decode(v) : str(v);
}

/** Graph node name → checkpoint key, for variables captured by the graph's call nodes (TF2). */
function capturedObjectKeys(mg: MetaGraph, nodes: readonly GraphNodeView[], variablesDir: string, index: CheckpointIndex): Map<string, string> {
  const out = new Map<string, string>();
  const objects = mg.objectGraph;
  if (!objects) return out;
  const keyOfObject = objectCheckpointKeys(objects, variablesDir, index);
  const functions = msg(objects.concrete_functions);
  for (const node of nodes) {
    const fn = str(msg(msg(node.attrs.f).func).name);
    if (!fn) continue;
    const bound = list(msg(functions[fn]).bound_inputs).map((v) => num(v));
    const data = node.inputs.filter((i) => !i.startsWith('^'));
    const captures = data.slice(data.length - bound.length);
    captures.forEach((input, j) => {
      const key = keyOfObject.get(bound[j]);
      if (key !== undefined) out.set(input.split(':')[0], key);
    });
  }
  return out;
}

/** SavedObjectGraph node id → checkpoint key of its VARIABLE_VALUE. */
function objectCheckpointKeys(objects: PlainMessage, variablesDir: string, index: CheckpointIndex): Map<number, string> {
  const out = new Map<number, string>();
  const bytes = readObjectGraphBytes(variablesDir, index);
  if (!bytes) return out;
  const trackable = decodePlain(bytes, 0, bytes.length, loadSchema().message('tensorflow.TrackableObjectGraph'));
  const savedNodes = msgList(objects.nodes);
  const ckptNodes = msgList(trackable.nodes);
  const ckptByPath = new Map<string, number>();
  for (const [id, p] of paths(ckptNodes)) ckptByPath.set(p, id);
  const savedPaths = paths(savedNodes);
  savedNodes.forEach((n, id) => {
    if (!n.variable) return;
    const p = savedPaths.get(id);
    const ckptId = p !== undefined ? ckptByPath.get(p) ?? id : id;
    const attr = msgList(ckptNodes[ckptId]?.attributes).find((a) => str(a.name) === 'VARIABLE_VALUE');
    if (attr) out.set(id, str(attr.checkpoint_key));
  });
  return out;
}

/** Each node's path of child names from the root (breadth first: the shortest path wins). */
function paths(nodes: readonly PlainMessage[]): Map<number, string> {
  const out = new Map<number, string>([[0, '']]);
  const queue = [0];
  while (queue.length) {
    const id = queue.shift() as number;
    for (const c of msgList(nodes[id]?.children)) {
      const child = num(c.node_id);
      if (out.has(child)) continue;
      out.set(child, `${out.get(id)}/${str(c.local_name)}`);
      queue.push(child);
    }
  }
  return out;
}
