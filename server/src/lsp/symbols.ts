// The outline: meta graphs → signatures → inputs/outputs; the graph's nodes; the function library →
// functions → their nodes. Read from the text tree, so a .pbtxt and a decoded .pb outline alike.
// Nodes are capped per graph and in all, so a graph of 300k nodes still answers quickly.
import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { TextField, TextMessage, TextValue } from '../core/textformat';
import { formatShape } from '../core/savedmodel';
import { dtypeShortName } from '../core/dtype';
import { DocumentAnalysis } from './documentAnalysis';
import { elementRange, entryKey, entryMessage, lastMessage, lastValue, messagesOf, stringOf, valuesOf } from './treeQuery';

/** Node symbols listed per graph or function before a "… N more nodes" entry. */
export const MAX_NODES_PER_GRAPH = 2000;
/** Node symbols in the whole outline. */
export const MAX_NODES_TOTAL = 20000;

interface ByteRange {
  start: number;
  end: number;
}

interface Budget {
  left: number;
}

export function documentSymbols(a: DocumentAnalysis): DocumentSymbol[] {
  const budget: Budget = { left: MAX_NODES_TOTAL };
  const out: DocumentSymbol[] = [];
  let index = 0;
  for (const occ of a.tree.fields) {
    if (occ.info.name !== 'meta_graphs') continue;
    for (const v of occ.values) {
      if (v.kind === 'message') out.push(metaGraphSymbol(a, occ, v, index, budget));
      index++;
    }
  }
  return out;
}

function symbol(
  a: DocumentAnalysis, name: string, detail: string, kind: SymbolKind, range: ByteRange, selection: ByteRange,
  children?: DocumentSymbol[],
): DocumentSymbol {
  // The selection must lie inside the range (the client rejects the outline otherwise).
  const selStart = Math.min(Math.max(selection.start, range.start), range.end);
  const selEnd = Math.max(selStart, Math.min(selection.end, range.end));
  return {
    name: name || '(unnamed)',
    detail,
    kind,
    range: a.lines.rangeOf(range.start, range.end),
    selectionRange: a.lines.rangeOf(selStart, selEnd),
    ...(children ? { children } : {}),
  };
}

/** Where to select an element: its field name when written alone, else the value's start. */
function nameRange(occ: TextField, value: TextValue): ByteRange {
  return occ.values.length === 1 ? { start: occ.nameStart, end: occ.nameEnd } : { start: value.start, end: value.start };
}

function valueRange(v: TextValue | undefined, fallback: ByteRange): ByteRange {
  return v ? { start: v.start, end: v.end } : fallback;
}

function metaGraphSymbol(a: DocumentAnalysis, occ: TextField, mg: TextMessage, index: number, budget: Budget): DocumentSymbol {
  const info = lastMessage(mg, 'meta_info_def');
  const tags = info ? valuesOf(info, 'tags').map(stringOf).filter((t): t is string => t !== undefined) : [];
  const children: DocumentSymbol[] = [];
  for (const f of mg.fields) {
    for (const v of f.values) {
      if (v.kind !== 'message') continue;
      if (f.info.name === 'signature_def') children.push(signatureSymbol(a, f, v));
      else if (f.info.name === 'graph_def') children.push(graphSymbol(a, f, v, budget));
    }
  }
  return symbol(a, `meta_graphs[${index}]`, tags.length ? `tags: ${tags.join(', ')}` : 'no tags', SymbolKind.Module,
    elementRange(occ, mg), nameRange(occ, mg), children);
}

function signatureSymbol(a: DocumentAnalysis, occ: TextField, entry: TextMessage): DocumentSymbol {
  const key = entryKey(entry);
  const def = entryMessage(entry);
  const range = elementRange(occ, entry);
  const selection = valueRange(lastValue(entry, 'key'), nameRange(occ, entry));
  const children: DocumentSymbol[] = [];
  for (const side of ['inputs', 'outputs'] as const) {
    if (!def) break;
    for (const f of def.fields) {
      if (f.info.name !== side) continue;
      for (const t of f.values) if (t.kind === 'message') children.push(tensorSymbol(a, side, f, t));
    }
  }
  const method = def ? stringOf(lastValue(def, 'method_name')) ?? '' : '';
  return symbol(a, key, method || 'no method', SymbolKind.Interface, range, selection, children);
}

function tensorSymbol(a: DocumentAnalysis, side: 'inputs' | 'outputs', occ: TextField, entry: TextMessage): DocumentSymbol {
  const info = entryMessage(entry);
  const selection = valueRange(lastValue(entry, 'key'), nameRange(occ, entry));
  const detail = `${side === 'inputs' ? 'input' : 'output'}: ${info ? tensorDetail(info) : '?'}`;
  return symbol(a, entryKey(entry), detail, side === 'inputs' ? SymbolKind.Variable : SymbolKind.Property, elementRange(occ, entry), selection);
}

/** `float32 (-1, 28, 28)` from a TensorInfo's dtype and tensor_shape. */
export function tensorDetail(info: TextMessage): string {
  const dtype = lastValue(info, 'dtype');
  const dtypeText = dtype?.kind === 'scalar' && typeof dtype.value === 'number' ? dtypeShortName(dtype.value) : 'invalid';
  const shape = lastMessage(info, 'tensor_shape');
  if (!shape) return `${dtypeText} <unknown rank>`;
  const unknownRank = lastValue(shape, 'unknown_rank');
  if (unknownRank?.kind === 'scalar' && unknownRank.value === true) return `${dtypeText} <unknown rank>`;
  const dims = messagesOf(shape, 'dim').map((d) => {
    const size = lastValue(d, 'size');
    return size?.kind === 'scalar' && (typeof size.value === 'bigint' || typeof size.value === 'number') ? Number(size.value) : 0;
  });
  return `${dtypeText} ${formatShape({ dims })}`;
}

function graphSymbol(a: DocumentAnalysis, occ: TextField, graph: TextMessage, budget: Budget): DocumentSymbol {
  const nodes = nodeSymbols(a, graph, 'node', budget);
  const children = nodes.symbols;
  for (const libOcc of graph.fields) {
    if (libOcc.info.name !== 'library') continue;
    for (const lib of libOcc.values) if (lib.kind === 'message') children.push(librarySymbol(a, libOcc, lib, budget));
  }
  return symbol(a, 'graph_def', nodeCount(nodes.count), SymbolKind.Namespace, elementRange(occ, graph), nameRange(occ, graph), children);
}

function librarySymbol(a: DocumentAnalysis, occ: TextField, lib: TextMessage, budget: Budget): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  for (const f of lib.fields) {
    if (f.info.name !== 'function') continue;
    for (const fn of f.values) if (fn.kind === 'message') children.push(functionSymbol(a, f, fn, budget));
  }
  return symbol(a, 'library', `${children.length} function${children.length === 1 ? '' : 's'}`, SymbolKind.Namespace, elementRange(occ, lib), nameRange(occ, lib), children);
}

function functionSymbol(a: DocumentAnalysis, occ: TextField, fn: TextMessage, budget: Budget): DocumentSymbol {
  const sig = lastMessage(fn, 'signature');
  const nameValue = sig ? lastValue(sig, 'name') : undefined;
  const nodes = nodeSymbols(a, fn, 'node_def', budget);
  return symbol(a, stringOf(nameValue) ?? '', nodeCount(nodes.count), SymbolKind.Function, elementRange(occ, fn),
    valueRange(nameValue, nameRange(occ, fn)), nodes.symbols);
}

/** The node symbols of a graph or function, up to the caps, then one entry for the rest. */
function nodeSymbols(a: DocumentAnalysis, owner: TextMessage, field: string, budget: Budget): { symbols: DocumentSymbol[]; count: number } {
  const symbols: DocumentSymbol[] = [];
  let count = 0;
  let rest: ByteRange | undefined;
  for (const occ of owner.fields) {
    if (occ.info.name !== field) continue;
    for (const node of occ.values) {
      if (node.kind !== 'message') continue;
      count++;
      const range = elementRange(occ, node);
      if (symbols.length < MAX_NODES_PER_GRAPH && budget.left > 0) {
        budget.left--;
        symbols.push(nodeSymbol(a, occ, node, range));
      } else {
        rest = rest ? { start: rest.start, end: range.end } : range;
      }
    }
  }
  if (rest) {
    const more = count - symbols.length;
    symbols.push(symbol(a, `… ${more.toLocaleString('en-US')} more nodes`, 'not listed', SymbolKind.Namespace, rest, { start: rest.start, end: rest.start }));
  }
  return { symbols, count };
}

function nodeSymbol(a: DocumentAnalysis, occ: TextField, node: TextMessage, range: ByteRange): DocumentSymbol {
  const nameValue = lastValue(node, 'name');
  const op = stringOf(lastValue(node, 'op')) ?? '';
  return symbol(a, stringOf(nameValue) ?? '', op, SymbolKind.Variable, range, valueRange(nameValue, nameRange(occ, node)));
}

function nodeCount(n: number): string {
  return `${n.toLocaleString('en-US')} node${n === 1 ? '' : 's'}`;
}
