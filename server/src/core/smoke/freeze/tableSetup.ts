// The lookup tables of a frozen signature: those the init op fills get an initializer graph tfjs
// runs once at load; those it does not stay refused, saying why.
import * as path from 'node:path';
import { FlatNode } from './flatGraph';
import { RawTensor } from '../request/rawTensor';
import { Initializer } from './graphArtifacts';
import { constAttrs } from './resourceReads';
import { InitEffects, TABLE_OPS, tableIdentity } from './initPhase';
import { stringScalar } from './hostEval';
import { SmokeModel } from '../smokeModel';

export interface TableSetup {
  readonly initializer?: Initializer;
  readonly constants: Array<[string, RawTensor]>;
  /** Tables the init op fills. */
  readonly filled: string[];
}

/**
 * The graph tfjs runs at load to fill the tables the init op fills: the same table node (tfjs
 * shares tables by node name) and a LookupTableImportV2 of constant keys and values.
 */
export function tableInitializer(nodes: readonly FlatNode[], init: InitEffects): TableSetup {
  const out: FlatNode[] = [];
  const constants: Array<[string, RawTensor]> = [];
  const filled: string[] = [];
  for (const table of nodes) {
    const contents = TABLE_OPS.has(table.op) ? init.tables.get(tableIdentity(table, table.name)) : undefined;
    if (!contents) continue;
    // A mutable table the init op fills and the signature only reads is a static one to tfjs.
    if (table.op === 'MutableHashTableV2' || table.op === 'MutableHashTable') table.op = table.op.replace('Mutable', '');
    const [keys, values, load] = [`${table.name}/lens_init/keys`, `${table.name}/lens_init/values`, `${table.name}/lens_init/import`];
    out.push({ ...table }, { name: keys, op: 'Const', inputs: [], attrs: constAttrs(contents.keys) }, { name: values, op: 'Const', inputs: [], attrs: constAttrs(contents.values) });
    out.push({ name: load, op: 'LookupTableImportV2', inputs: [`${table.name}:0`, `${keys}:0`, `${values}:0`], attrs: { Tin: { type: contents.keys.dtype }, Tout: { type: contents.values.dtype } } });
    constants.push([keys, contents.keys], [values, contents.values]);
    filled.push(table.name);
  }
  const initializer = filled.length ? { nodes: out, outputs: filled.map((t) => `${t}/lens_init/import:0`) } : undefined;
  return { ...(initializer ? { initializer } : {}), constants, filled };
}

export function initSummary(model: SmokeModel, tables: number, fromInit: ReadonlySet<string>, values: ReadonlyMap<string, RawTensor>): string {
  const assets = path.join(path.resolve(model.dir), 'assets') + path.sep;
  const fromAsset = [...fromInit].filter((v) => {
    const t = values.get(v);
    try {
      return t !== undefined && path.resolve(stringScalar(t, v)).startsWith(assets);
    } catch {
      return false;
    }
  }).length;
  const parts = [
    ...(tables ? [`${tables} table${tables > 1 ? 's' : ''}`] : []),
    ...(fromAsset ? [`${fromAsset} variable${fromAsset > 1 ? 's' : ''} from an asset`] : []),
    ...(fromInit.size > fromAsset ? [`${fromInit.size - fromAsset} variable(s) assigned`] : []),
  ];
  return parts.join(', ');
}

export function tableReason(table: FlatNode, init: InitEffects): string {
  const why = init.tableProblems.get(tableIdentity(table, table.name));
  if (why) return `table ${table.name} is filled by the model's init op, but ${why}`;
  if (table.op.startsWith('Mutable')) return 'a mutable table, filled while the model runs: TensorFlow.js has no kernel for it';
  return `no init op fills table ${table.name} (the built-in runtime fills tables from the model's init op)`;
}

