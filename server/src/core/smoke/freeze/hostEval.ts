// Values the init phase computes on the host, before anything runs: what a table initializer or a
// variable assignment takes is almost always a constant, an asset's path (fed by the loader), a
// variable holding one, or the contents of an asset file. Anything else is "not computable here",
// and whatever needed it stays refused with that reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { msg } from '../../protobuf';
import { FlatGraph, FlatNode, refIndex, refNode } from './flatGraph';
import { RawTensor, ValueError, tensorProtoValue } from '../request/rawTensor';

export class NotComputable extends Error {}

export interface HostEvalContext {
  readonly graph: FlatGraph;
  /** The model's folder: only files inside it (its assets) are read. */
  readonly modelDir: string;
  /** Variable node name → the tensor the init phase assigns it. */
  readonly assigned: ReadonlyMap<string, string>;
  /** Variable node name → its checkpoint value, when it has one. */
  readonly checkpoint: (variable: FlatNode) => RawTensor | undefined;
  /** Values of Const nodes that hold them outside their attrs (variables turned constants). */
  readonly known?: ReadonlyMap<string, RawTensor>;
}

const PASS_THROUGH = new Set(['Identity', 'Snapshot', 'StopGradient', 'IdentityN']);
const MAX_DEPTH = 10_000;

/** The value of a tensor of the flat graph, or NotComputable saying why not. */
export function hostValue(ctx: HostEvalContext, ref: string | undefined, depth = 0): RawTensor {
  if (ref === undefined) throw new NotComputable('an input the node does not have');
  if (depth > MAX_DEPTH) throw new NotComputable(`${ref} depends on a chain too long to follow`);
  const r = ctx.graph.resolve(ref);
  const node = ctx.graph.nodes.get(refNode(r));
  if (!node) throw new NotComputable(`the graph has no node ${refNode(r)}`);
  if (node.op === 'Const') return ctx.known?.get(node.name) ?? constValue(node);
  if (PASS_THROUGH.has(node.op)) return hostValue(ctx, node.inputs[node.op === 'IdentityN' ? refIndex(r) : 0], depth + 1);
  if (node.op === 'ReadVariableOp' || node.op === 'VarHandleOp' || node.op === 'VariableV2') return variableValue(ctx, node, depth);
  if (node.op === 'ReadFile') return readAsset(ctx, hostValue(ctx, node.inputs[0], depth + 1));
  throw new NotComputable(`${node.name} (${node.op}) is computed at run time`);
}

function constValue(node: FlatNode): RawTensor {
  try {
    return tensorProtoValue(msg(msg(node.attrs.value).tensor));
  } catch (e) {
    if (e instanceof ValueError) throw new NotComputable(`constant ${node.name}: ${e.message}`);
    throw e;
  }
}

function variableValue(ctx: HostEvalContext, node: FlatNode, depth: number): RawTensor {
  const handle = node.inputs[0];
  const variable = node.op !== 'ReadVariableOp' ? node : handle === undefined ? undefined : ctx.graph.nodes.get(refNode(ctx.graph.resolve(handle)));
  if (!variable) throw new NotComputable(`${node.name} reads a variable the graph does not define`);
  const assigned = ctx.assigned.get(variable.name);
  if (assigned !== undefined) return hostValue(ctx, assigned, depth + 1);
  const stored = ctx.checkpoint(variable);
  if (stored) return stored;
  throw new NotComputable(`variable ${variable.name} has no value before the model runs`);
}

/** ReadFile of a path inside the model's folder (an asset); nothing else is read. */
function readAsset(ctx: HostEvalContext, name: RawTensor): RawTensor {
  const file = stringScalar(name, 'ReadFile\'s file name');
  return { dtype: 'DT_STRING', shape: [], strings: [readModelFile(ctx.modelDir, file, 'ReadFile')] };
}

/** A file inside the model's folder (its assets); a path outside it is refused, not read. */
export function readModelFile(modelDir: string, file: string, reader: string): Uint8Array {
  // Real paths, so a link inside the model cannot lead the read outside it.
  const real = (p: string): string => { try { return fs.realpathSync(p); } catch { return path.resolve(p); } };
  const resolved = real(path.resolve(modelDir, file));
  const root = real(modelDir) + path.sep;
  if (!resolved.startsWith(root)) throw new NotComputable(`${reader} reads ${file}, outside the model's folder`);
  try {
    return new Uint8Array(fs.readFileSync(resolved));
  } catch (e) {
    throw new NotComputable(`${reader} cannot read ${file}: ${(e as Error).message}`);
  }
}

/** A scalar string value as text. */
export function stringScalar(t: RawTensor, what: string): string {
  const s = t.strings;
  if (t.dtype !== 'DT_STRING' || !s || s.length !== 1) throw new NotComputable(`${what} is not one string`);
  return new TextDecoder().decode(s[0]);
}
