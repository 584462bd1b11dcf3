// One GraphDef cannot exceed protobuf's 2 GB message limit, and shrink stores the weights inside
// it. Before anything is read, the checkpoint's entries say how big the constants would be.
import type { LoadedModel } from '../savedmodel';
import { OBJECT_GRAPH_KEY } from '../checkpoint';
import { formatBytes } from '../units';
import { WeightMode } from './weightMode';

/** The 2 GB limit of one protobuf message: TensorFlow cannot parse a bigger saved_model.pb. */
export const PROTO_LIMIT = 2 ** 31 - 1;

const FLOAT_SHARE: Record<WeightMode, number> = { keep: 1, float16: 0.5, int8: 0.25 };

/** Why the weights cannot fit one GraphDef, or undefined when they can (or are not known). */
export function tooBigForOneGraph(model: Pick<LoadedModel, 'variables'>, mode: WeightMode, served?: ReadonlySet<string>): string | undefined {
  if (model.variables.kind !== 'v2') return undefined;
  const entries = model.variables.index.entries.filter((e) => e.name !== OBJECT_GRAPH_KEY && (!served || served.has(e.name)));
  const bytes = entries.reduce((s, e) => s + (e.dtype === 'DT_FLOAT' ? e.size * FLOAT_SHARE[mode] : e.size), 0);
  if (bytes <= PROTO_LIMIT) return undefined;
  return `the served weights would take about ${formatBytes(bytes)} as ${mode}, over the 2 GB limit of one GraphDef; shrink cannot keep them as variables yet`;
}
