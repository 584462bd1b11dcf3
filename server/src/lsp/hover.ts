// Hovers with sizes: a node's op, dtype, shapes and constant bytes; a signature tensor's bytes per
// example; a variable's checkpoint entry; tensor_content's elements; the directory against the limit.
import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { pathAt } from '../core/textformat';
import { ElementPath, PathSegment } from '../core/elementPath';
import { MetaGraph, formatShape, TensorSpec } from '../core/savedmodel';
import { NodeTable } from '../core/savedmodel';
import { LoadedModel } from '../core/savedmodel';
import { msg, msgList, num, str, PlainMessage } from '../core/protobuf';
import { tensorValueSize, bytesPerExample } from '../core/savedmodel';
import { dtypeShortName } from '../core/dtype';
import { formatBytes } from '../core/units';
import { sizeReport } from '../core/rules/sizeReport';
import { CheckOptions, MACHINE_LIMITS } from '../core/rules/checkOptions';
import { DocumentAnalysis } from './documentAnalysis';

const VARIABLE_OPS = new Set(['VariableV2', 'Variable', 'VarHandleOp', 'VarIsInitializedOp', 'ReadVariableOp']);

export function hover(a: DocumentAnalysis, position: Position, options: CheckOptions): Hover | null {
  if (!a.load.ok) return null;
  const model = a.load.model;
  const offset = a.lines.offsetAt(position);
  const path = pathAt(a.tree, offset);
  const value = position.line === 0 || path.length <= 1
    ? directoryHover(model, options)
    : elementHover(model, path);
  return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
}

function elementHover(model: LoadedModel, path: ElementPath): string | undefined {
  const mg = metaGraphOf(model, path);
  if (!mg) return undefined;
  const sig = signatureTensor(mg, path);
  if (sig) return signatureHover(sig);
  const node = nodeOf(mg, path);
  if (node) return nodeHover(model, node.table, node.index, path.some((s) => s.field === 'tensor_content'));
  return undefined;
}

function metaGraphOf(model: LoadedModel, path: ElementPath): MetaGraph | undefined {
  const first = path[0];
  return first && first.field === 'meta_graphs' && 'index' in first ? model.doc.metaGraphs[first.index] : undefined;
}

function keyOf(path: ElementPath, field: string): string | undefined {
  const s = path.find((p): p is Extract<PathSegment, { key: string }> => p.field === field && 'key' in p);
  return s?.key;
}

function indexOf(path: ElementPath, field: string): number | undefined {
  const s = path.find((p): p is Extract<PathSegment, { index: number }> => p.field === field && 'index' in p);
  return s?.index;
}

function signatureTensor(mg: MetaGraph, path: ElementPath): TensorSpec | undefined {
  const key = keyOf(path, 'signature_def');
  const sig = key === undefined ? undefined : mg.signatures.find((s) => s.key === key);
  if (!sig) return undefined;
  const input = keyOf(path, 'inputs');
  const output = keyOf(path, 'outputs');
  if (input !== undefined) return sig.inputs.find((t) => t.key === input);
  if (output !== undefined) return sig.outputs.find((t) => t.key === output);
  return undefined;
}

function signatureHover(t: TensorSpec): string {
  const per = bytesPerExample(t.dtype, t.shape);
  return [
    `**${t.key}** — \`${t.name ?? '(composite)'}\``,
    '',
    `dtype \`${dtypeShortName(t.dtype) ?? t.dtype}\` · shape \`${formatShape(t.shape)}\``,
    '',
    per === undefined ? 'bytes per example: not fixed (string dtype or unknown dimensions)' : `**${formatBytes(per)} per example** (${per.toLocaleString('en-US')} bytes)`,
  ].join('\n');
}

function nodeOf(mg: MetaGraph, path: ElementPath): { table: NodeTable; index: number } | undefined {
  const fn = indexOf(path, 'function');
  if (fn !== undefined) {
    const f = [...mg.functions.values()][fn];
    const i = indexOf(path, 'node_def');
    return f && i !== undefined && i < f.nodes.count ? { table: f.nodes, index: i } : undefined;
  }
  const i = indexOf(path, 'node');
  return i !== undefined && i < mg.graph.count ? { table: mg.graph, index: i } : undefined;
}

function nodeHover(model: LoadedModel, table: NodeTable, i: number, onContent: boolean): string {
  const attrs = table.attrs(i);
  const lines = [`**${table.name(i)}** — op \`${table.ops[i]}\``, ''];
  const dtype = str(msg(attrs.dtype).type) || str(msg(attrs.T).type);
  if (dtype) lines.push(`dtype \`${dtypeShortName(dtype) ?? dtype}\``);
  const shapes = msgList(msg(msg(attrs._output_shapes).list).shape).map((s) => formatShape(shapeOf(s)));
  if (shapes.length) lines.push(`output shape${shapes.length > 1 ? 's' : ''} \`${shapes.join(', ')}\``);
  const tensor = msg(attrs.value).tensor;
  if (tensor) {
    const t = tensorValueSize(msg(tensor));
    lines.push('', `${onContent ? '**tensor_content**: ' : 'value: '}${t.elements.toLocaleString('en-US')} elements of \`${dtypeShortName(t.dtype) ?? t.dtype}\` \`${formatShape({ dims: t.dims })}\`, **${formatBytes(t.bytes ?? t.storedBytes)}**${t.storedBytes && t.storedBytes !== t.bytes ? ` (${formatBytes(t.storedBytes)} stored)` : ''}`);
  }
  if (VARIABLE_OPS.has(table.ops[i])) lines.push('', variableLine(model, table.name(i), attrString(attrs.shared_name)));
  return lines.join('\n');
}

/** A string attr (AttrValue.s holds bytes). */
function attrString(attr: PlainMessage[string]): string {
  const s = msg(attr).s;
  return s instanceof Uint8Array ? Buffer.from(s.buffer, s.byteOffset, s.length).toString('utf8') : '';
}

function shapeOf(s: PlainMessage): { dims: number[] | undefined } {
  return s.unknown_rank === true ? { dims: undefined } : { dims: msgList(s.dim).map((d) => num(d.size)) };
}

function variableLine(model: LoadedModel, name: string, sharedName: string): string {
  if (model.variables.kind !== 'v2') return `variable: checkpoint not readable here (${model.variables.kind})`;
  const candidates = [name, sharedName, `${sharedName}/.ATTRIBUTES/VARIABLE_VALUE`, `${name}/.ATTRIBUTES/VARIABLE_VALUE`].filter(Boolean);
  const e = model.variables.index.entries.find((x) => candidates.includes(x.name));
  if (!e) return 'variable: no checkpoint entry of this name';
  return `checkpoint \`${e.name}\`: \`${dtypeShortName(e.dtype) ?? e.dtype}\` \`${formatShape({ dims: e.shape })}\`, **${formatBytes(e.size)}** in shard ${e.shardId}`;
}

function directoryHover(model: LoadedModel, options: CheckOptions): string {
  const r = sizeReport(model, options);
  const pct = (limit: number): string => `${((r.total / limit) * 100).toFixed(1)}%`;
  const lines = [
    `**SavedModel directory: ${formatBytes(r.total)}**`,
    '',
    `- ${pct(MACHINE_LIMITS.mls1)} of the 500 MB limit (MLS1 machine types)`,
    `- ${pct(MACHINE_LIMITS.n1)} of the 10 GB limit (N1 machine types)`,
    '',
    `model file ${formatBytes(r.parts.modelFile)} · variables ${formatBytes(r.parts.variables)} · assets ${formatBytes(r.parts.assets)} · other ${formatBytes(r.parts.other)}`,
  ];
  if (r.contributors.length) {
    lines.push('', 'Biggest parts:', ...r.contributors.slice(0, 5).map((c) => `- \`${c.name}\` ${formatBytes(c.bytes)}${c.dtype ? ` (${dtypeShortName(c.dtype) ?? c.dtype})` : ''}`));
  }
  if (r.float32Bytes > 0) {
    lines.push('', `With float32 weights as float16: ${formatBytes(r.estimates.float16)}; as 8-bit: ${formatBytes(r.estimates.int8)}`);
  }
  return lines.join('\n');
}
