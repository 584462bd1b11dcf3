// Which signature inputs are serialized tf.Examples, and what the graph parses out of them: found
// without freezing (no variables are read), so a request can be synthesized for either runtime.
// The top-level graph is copied whole, its function calls inlined, and every ParseExample-family
// node whose serialized input is a signature input (through Identity nodes) is read.
import type { Signature } from '../../savedmodel';
import { FlatGraph, normalizeRef } from '../freeze/flatGraph';
import { inlineCalls } from '../freeze/inline';
import { readOpSignatures } from '../freeze/opDefs';
import { SmokeModel } from '../smokeModel';
import { ConfigError, PARSE_OPS, ParseConfig, parseConfig } from './parseConfig';
import { constantAt, throughIdentity } from './graphValues';

/** Signature input key → the configs of the parse nodes reading it. Empty when none. */
export function exampleInputSpecs(model: SmokeModel, signature: Signature): Map<string, ParseConfig[]> {
  const out = new Map<string, ParseConfig[]>();
  const strings = signature.inputs.filter((s) => s.dtype === 'DT_STRING' && s.name !== undefined);
  if (!strings.length || !hasParseOps(model)) return out;
  const graph = wholeGraph(model);
  const keyOf = new Map(strings.map((s) => [normalizeRef(s.name as string), s.key]));
  for (const node of graph.nodes.values()) {
    if (!PARSE_OPS.has(node.op)) continue;
    const key = keyOf.get(throughIdentity(graph, node.inputs[0] ?? ''));
    if (key === undefined) continue;
    try {
      const config = parseConfig(node.op, node.attrs, node.inputs.length, (i) => constantAt(graph, node.inputs[i]));
      out.set(key, [...(out.get(key) ?? []), config]);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
  }
  return out;
}

function hasParseOps(model: SmokeModel): boolean {
  const mg = model.metaGraph;
  if (mg.graph.ops.some((op) => PARSE_OPS.has(op))) return true;
  return [...mg.functions.values()].some((f) => f.nodes.ops.some((op) => PARSE_OPS.has(op)));
}

function wholeGraph(model: SmokeModel): FlatGraph {
  const graph = new FlatGraph();
  const table = model.metaGraph.graph;
  for (let i = 0; i < table.count; i++) {
    const inputs = table.inputs(i).filter((r) => !r.startsWith('^')).map(normalizeRef);
    graph.add({ name: table.name(i), op: table.ops[i], inputs, attrs: table.attrs(i) });
  }
  inlineCalls(graph, model.metaGraph, readOpSignatures(model.doc, model.metaGraph.index));
  graph.resolveAll();
  return graph;
}
