// tf.Example parsing as a host stage before the graph: each ParseExample-family node whose
// serialized Examples come straight from a signature input (through Identity nodes) is taken out
// of the flat graph; its outputs become Placeholders, fed with what parseExamples computes from
// the request. TensorFlow.js has no kernel for these ops, and the Examples are protobuf messages,
// which our own engine reads.
import { FlatGraph, FlatNode, TensorRef, normalizeRef, refNode } from '../freeze/flatGraph';
import { RawTensor } from '../request/rawTensor';
import { HostTensor } from '../request/hostTensor';
import { ConfigError, PARSE_OPS, ParseConfig, outputDtypes, parseConfig } from './parseConfig';
import { parseExamples } from './parseExamples';
import { constantAt, throughIdentity } from './graphValues';

export interface ExampleStage {
  /** The node it replaces. */
  readonly node: string;
  /** The signature input the serialized Examples come from, and its feed tensor. */
  readonly inputKey: string;
  readonly input: TensorRef;
  /** Example names (the op's `names` input) when constant. */
  readonly names: readonly string[];
  readonly config: ParseConfig;
  /** The op's outputs the graph still uses: flat output index → the Placeholder fed with it. */
  readonly outputs: ReadonlyArray<{ readonly index: number; readonly tensor: TensorRef }>;
}

/**
 * Replace the parse nodes fed from the given tensors with Placeholders. `values` holds the
 * constants read from the checkpoint or computed on the host (their Const nodes carry no value).
 */
export function hoistExampleParsing(graph: FlatGraph, feeds: ReadonlyArray<{ readonly key: string; readonly tensor: TensorRef }>, values: ReadonlyMap<string, RawTensor>): ExampleStage[] {
  const fed = new Map(feeds.map((f) => [normalizeRef(f.tensor), f.key]));
  const stages: ExampleStage[] = [];
  for (const node of [...graph.nodes.values()]) {
    if (!PARSE_OPS.has(node.op)) continue;
    const input = throughIdentity(graph, node.inputs[0] ?? '');
    const inputKey = fed.get(input);
    if (inputKey === undefined) continue;
    const constant = (i: number): RawTensor | undefined => constantAt(graph, node.inputs[i], values);
    let config: ParseConfig;
    try {
      config = parseConfig(node.op, node.attrs, node.inputs.length, constant);
    } catch (e) {
      // Left in the graph: the missing-op report names it.
      if (e instanceof ConfigError) continue;
      throw e;
    }
    const names = node.op === 'ParseSingleExample' ? [] : (constant(1)?.strings ?? []).map((s) => new TextDecoder().decode(s));
    stages.push({ node: node.name, inputKey, input, names, config, outputs: replaceWithPlaceholders(graph, node, config) });
  }
  return stages;
}

/** The stages with only the outputs the pruned graph still uses (and none left unused). */
export function usedStages(stages: readonly ExampleStage[], nodes: readonly FlatNode[]): ExampleStage[] {
  const kept = new Set(nodes.map((n) => n.name));
  return stages
    .map((s) => ({ ...s, outputs: s.outputs.filter((o) => kept.has(refNode(o.tensor))) }))
    .filter((s) => s.outputs.length > 0);
}

/** Every tensor the stages feed. */
export function stageFeeds(stages: readonly ExampleStage[]): TensorRef[] {
  return stages.flatMap((s) => s.outputs.map((o) => o.tensor));
}

/**
 * Run the stages on the request's serialized Examples (inputs by signature key): the tensors to
 * feed, by tensor name. Throws ExampleError for Examples TensorFlow would refuse.
 */
export function runExampleStages(stages: readonly ExampleStage[], inputs: Readonly<Record<string, HostTensor>>): Array<[TensorRef, HostTensor]> {
  return stages.flatMap((s) => {
    const t = inputs[s.inputKey];
    if (!t) throw new Error(`no value for input '${s.inputKey}', the serialized Examples of ${s.node}`);
    const strings = t.values.map((v) => (v instanceof Uint8Array ? v : new TextEncoder().encode(String(v))));
    const out = parseExamples(s.config, { shape: t.shape, values: strings, names: s.names });
    return s.outputs.map((o): [TensorRef, HostTensor] => [o.tensor, out[o.index]]);
  });
}

function replaceWithPlaceholders(graph: FlatGraph, node: FlatNode, config: ParseConfig): Array<{ index: number; tensor: TensorRef }> {
  const outputs = outputDtypes(config).map((dtype, index) => {
    let name = `${node.name}/host_output_${index}`;
    for (let k = 1; graph.nodes.has(name); k++) name = `${node.name}/host_output_${index}_${k}`;
    graph.add({ name, op: 'Placeholder', inputs: [], attrs: { dtype: { type: dtype } } });
    graph.alias(`${node.name}:${index}`, `${name}:0`);
    return { index, tensor: `${name}:0` };
  });
  graph.nodes.delete(node.name);
  return outputs;
}
