// The SavedModel tree view's data: the directory and its size against the limit → meta graphs
// (tags) → signatures (method) → inputs/outputs (dtype, shape); functions; variables from the
// checkpoint (largest first); assets. Items that are elements of the model carry their element
// path, which `reveal` turns into a range of the document's text.
import * as path from 'node:path';
import { TreeItemData, TreeTarget } from '../protocol';
import { formatPath, parsePath } from '../core/elementPath';
import { findPath, findPathPrefix } from '../core/textformat';
import { LoadedModel } from '../core/savedmodel';
import { MetaGraph, Signature, TensorSpec, formatShape } from '../core/savedmodel';
import { dtypeShortName } from '../core/dtype';
import { formatBytes } from '../core/units';
import { filesUnder } from '../core/savedmodel';
import { OBJECT_GRAPH_KEY } from '../core/checkpoint';
import { CheckOptions, DEFAULT_OPTIONS, sizeLimit } from '../core/rules/checkOptions';
import { DocumentAnalysis } from './documentAnalysis';

/** Items listed under one parent before a "… N more" item (a TF2 model may have thousands of functions). */
export const MAX_CHILDREN = 5000;

export function modelTree(a: DocumentAnalysis, options: CheckOptions = DEFAULT_OPTIONS): TreeItemData {
  if (!a.load.ok) {
    // A damaged file shows no half model: the tree says so, the tooltip says where.
    const description = a.load.wire ? 'corrupt' : 'not loaded';
    return { label: directoryLabel(path.dirname(a.modelFile)), description, tooltip: a.load.reason, icon: 'error', children: [] };
  }
  return modelTreeOf(a.load.model, options);
}

export function modelTreeOf(model: LoadedModel, options: CheckOptions = DEFAULT_OPTIONS): TreeItemData {
  const limit = sizeLimit(options).bytes;
  const pct = ((model.totalBytes / limit) * 100).toFixed(1);
  const { metaGraphs } = model.doc;
  return {
    label: directoryLabel(model.location.dir),
    description: `${formatBytes(model.totalBytes)} of ${formatBytes(limit)} (${pct}%)`,
    tooltip: model.location.modelFile,
    icon: 'package',
    children: [
      ...metaGraphs.map((mg) => metaGraphItem(mg)),
      functionsItem(metaGraphs),
      variablesItem(model),
      assetsItem(model),
    ],
  };
}

/** `model/00000123` for a TF Serving version folder, whose number alone says little. */
function directoryLabel(dir: string): string {
  const base = path.basename(dir);
  return /^\d+$/.test(base) ? `${path.basename(path.dirname(dir))}/${base}` : base;
}

function metaGraphItem(mg: MetaGraph): TreeItemData {
  return {
    label: `{${mg.tags.join(', ')}}`,
    description: `meta graph ${mg.index} · ${mg.signatures.length} signature${mg.signatures.length === 1 ? '' : 's'}`,
    icon: 'symbol-namespace',
    path: formatPath(mg.path),
    children: mg.signatures.map(signatureItem),
  };
}

function signatureItem(sig: Signature): TreeItemData {
  return {
    label: sig.key,
    description: sig.method.replace(/^tensorflow\/serving\//, '') || 'no method',
    tooltip: sig.method,
    icon: 'symbol-interface',
    path: formatPath(sig.path),
    children: [...sig.inputs.map((t) => tensorItem(t, 'input')), ...sig.outputs.map((t) => tensorItem(t, 'output'))],
  };
}

function tensorItem(t: TensorSpec, side: 'input' | 'output'): TreeItemData {
  return {
    label: t.key,
    description: `${side} · ${dtypeShortName(t.dtype)} ${formatShape(t.shape)}`,
    tooltip: t.name ?? `${t.encoding} tensor`,
    icon: side === 'input' ? 'arrow-right' : 'arrow-left',
    path: formatPath(t.path),
  };
}

function functionsItem(metaGraphs: readonly MetaGraph[]): TreeItemData {
  const items: TreeItemData[] = [];
  for (const mg of metaGraphs) {
    for (const fn of mg.functions.values()) {
      items.push({
        label: fn.name,
        description: `${fn.nodes.count} node${fn.nodes.count === 1 ? '' : 's'}${metaGraphs.length > 1 ? ` · meta graph ${mg.index}` : ''}`,
        icon: 'symbol-function',
        path: formatPath(fn.path),
      });
    }
  }
  return { label: 'Functions', description: String(items.length), icon: 'symbol-function', children: capped(items) };
}

function variablesItem(model: LoadedModel): TreeItemData {
  const v = model.variables;
  const base = { label: 'Variables', icon: 'symbol-variable' };
  if (v.kind === 'none') return { ...base, description: 'none', children: [] };
  if (v.kind !== 'v2') return { ...base, description: v.kind === 'v1' ? 'V1 checkpoint' : 'unreadable', tooltip: v.message, children: [] };
  const entries = v.index.entries.filter((e) => e.slices === 0 && e.name !== OBJECT_GRAPH_KEY).sort((x, y) => y.size - x.size || (x.name < y.name ? -1 : 1));
  const total = entries.reduce((s, e) => s + e.size, 0);
  return {
    ...base,
    description: `${entries.length} · ${formatBytes(total)}`,
    children: capped(entries.map((e) => ({
      label: e.name,
      description: `${dtypeShortName(e.dtype)} ${formatShape({ dims: e.shape })} · ${formatBytes(e.size)}`,
      tooltip: `shard ${e.shardId}, offset ${e.offset}`,
      icon: 'symbol-variable',
    }))),
  };
}

function assetsItem(model: LoadedModel): TreeItemData {
  const files = [...filesUnder(model.files, 'assets'), ...filesUnder(model.files, 'assets.extra')];
  const total = files.reduce((s, f) => s + f.bytes, 0);
  const defs = model.doc.metaGraphs.flatMap((mg) => mg.assetFiles.map((af, i) => ({ af, path: formatPath([...mg.path, { field: 'asset_file_def', index: i }]) })));
  return {
    label: 'Assets',
    description: files.length ? `${files.length} · ${formatBytes(total)}` : 'none',
    icon: 'file',
    children: capped(files.map((f) => {
      const def = defs.find((d) => f.path === `assets/${d.af.filename}`);
      return { label: f.path, description: formatBytes(f.bytes), icon: 'file', ...(def ? { path: def.path, tooltip: def.af.tensorName } : {}) };
    })),
  };
}

function capped(items: TreeItemData[]): TreeItemData[] {
  if (items.length <= MAX_CHILDREN) return items;
  const more = items.length - MAX_CHILDREN;
  return [...items.slice(0, MAX_CHILDREN), { label: `… ${more.toLocaleString('en-US')} more`, icon: 'ellipsis' }];
}

/** Where an element path is in the document's text; the nearest enclosing element when it is not written there. */
export function reveal(a: DocumentAnalysis, pathString: string): TreeTarget | null {
  const p = parsePath(pathString);
  if (!p) return null;
  const exact = findPath(a.tree, p);
  const range = exact ?? findPathPrefix(a.tree, p).range;
  return range ? { uri: a.uri, range: a.lines.rangeOf(range.start, range.end) } : null;
}
