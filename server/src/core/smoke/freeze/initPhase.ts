// The model's init op, as TensorFlow runs it once at load: `__saved_model_init_op` (TF2),
// `saved_model_main_op` / `main_op` / `legacy_init_op` and the `table_initializer` collection (TF1).
// What it does that matters for serving is filling lookup tables (LookupTableImportV2,
// InitializeTableFromTextFileV2 from a vocabulary asset) and assigning variables (often an asset's
// path). Those effects are computed here on the host: tables become contents the frozen model
// imports when it loads, assigned variables become constants.
import { MetaGraph } from '../../savedmodel';
import { list, msg, str } from '../../protobuf';
import { FlatGraph, FlatNode, refNode } from './flatGraph';
import { HostEvalContext, NotComputable, hostValue, readModelFile, stringScalar } from './hostEval';
import { TableContents, textFileTable } from './textFileTable';
import { RawTensor } from '../request/rawTensor';

export type { TableContents };

export interface InitEffects {
  /** Table identity (tableIdentity) → its contents after the init op. */
  readonly tables: Map<string, TableContents>;
  /** Variable node name → the tensor the init op assigns it. */
  readonly assigned: Map<string, string>;
  /** Variable node name → the value the init op assigns it, where the host can compute it. */
  readonly values: Map<string, RawTensor>;
  /** Table node name → why its contents could not be computed. */
  readonly tableProblems: Map<string, string>;
}

const INIT_COLLECTIONS = ['saved_model_main_op', 'main_op', 'legacy_init_op', 'table_initializer'];
const IMPORT_OPS = new Set(['LookupTableImportV2', 'LookupTableImport', 'InitializeTableV2', 'InitializeTable']);
const TEXT_FILE_OPS = new Set(['InitializeTableFromTextFileV2', 'InitializeTableFromTextFile']);
const ASSIGN_OPS = new Set(['AssignVariableOp', 'Assign']);
export const TABLE_OPS: ReadonlySet<string> = new Set(['HashTable', 'HashTableV2', 'MutableHashTable', 'MutableHashTableV2', 'MutableDenseHashTableV2']);

/** The graph nodes TensorFlow runs once at load (the init op and table initializers). */
export function initRoots(mg: MetaGraph): string[] {
  const names: string[] = [];
  for (const s of mg.signatures) if (s.key === '__saved_model_init_op') for (const o of s.outputs) if (o.name) names.push(refNode(o.name));
  for (const c of INIT_COLLECTIONS) {
    for (const v of list(msg(mg.collections[c]?.node_list).value)) names.push(refNode(str(v).replace(/^\^/, '')));
  }
  return [...new Set(names)].filter((n) => mg.graph.indexOf(n) >= 0);
}

/**
 * The effects of the init nodes of a flattened graph. `isInit` says which nodes the init op runs
 * (the effects of other nodes, a serving function's own assignments, are not init's).
 */
export function initEffects(graph: FlatGraph, isInit: (node: FlatNode) => boolean, ctx: Omit<HostEvalContext, 'assigned'>): InitEffects {
  const init = [...graph.nodes.values()].filter(isInit);
  const assigned = new Map<string, string>();
  for (const n of init) if (ASSIGN_OPS.has(n.op) && n.inputs.length >= 2) assigned.set(refNode(graph.resolve(n.inputs[0])), n.inputs[1]);
  const full: HostEvalContext = { ...ctx, assigned };
  const values = new Map<string, RawTensor>();
  for (const [variable, ref] of assigned) {
    try {
      values.set(variable, hostValue(full, ref));
    } catch (e) {
      if (!(e instanceof NotComputable)) throw e;
    }
  }
  const tables = new Map<string, TableContents>();
  const tableProblems = new Map<string, string>();
  for (const n of init) {
    if ((!IMPORT_OPS.has(n.op) && !TEXT_FILE_OPS.has(n.op)) || !n.inputs.length) continue;
    const table = tableNode(graph, n.inputs[0]);
    const id = tableIdentity(graph.nodes.get(table), table);
    try {
      tables.set(id, IMPORT_OPS.has(n.op) ? { keys: hostValue(full, n.inputs[1]), values: hostValue(full, n.inputs[2]) } : fromTextFile(full, n, table));
    } catch (e) {
      if (!(e instanceof NotComputable)) throw e;
      tableProblems.set(id, `its initializer ${n.name} (${n.op}) needs ${e.message}`);
    }
  }
  return { tables, assigned, values, tableProblems };
}

/** The table node a handle comes from, through the Identity nodes functions return it by. */
function tableNode(graph: FlatGraph, ref: string): string {
  let name = refNode(graph.resolve(ref));
  for (let hops = 0; hops < 1000; hops++) {
    const node = graph.nodes.get(name);
    if (!node || node.op !== 'Identity' || !node.inputs.length) break;
    name = refNode(graph.resolve(node.inputs[0]));
  }
  return name;
}

/**
 * Which table a table node stands for: TensorFlow's resource manager shares a table among the
 * nodes with the same `shared_name` (a TF2 table used in several functions is one table).
 */
export function tableIdentity(node: FlatNode | undefined, name: string): string {
  const shared = node?.attrs.shared_name !== undefined ? msg(node.attrs.shared_name).s : undefined;
  const text = shared instanceof Uint8Array ? new TextDecoder().decode(shared) : '';
  return text ? `shared:${text}` : `node:${name}`;
}

function fromTextFile(ctx: HostEvalContext, n: FlatNode, table: string): TableContents {
  const tableNode = ctx.graph.nodes.get(table);
  if (!tableNode) throw new NotComputable(`table ${table}, which the graph does not define`);
  const file = stringScalar(hostValue(ctx, n.inputs[1]), `${n.name}'s file name`);
  const text = new TextDecoder().decode(readModelFile(ctx.modelDir, file, n.op));
  const dtype = (a: string): string => str(msg(tableNode.attrs[a]).type, 'DT_INVALID');
  return textFileTable(text, n.attrs, dtype('key_dtype'), dtype('value_dtype'), file);
}
