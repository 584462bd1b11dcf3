// Dropout has no op type of its own: it is a uniform random tensor compared with the keep
// probability (Keras: `RandomUniform >= rate`; tf.nn.dropout of TF1: `Floor(keep_prob +
// RandomUniform)`, with the scaling of random_uniform in between). Traced for inference, Keras
// drops it, so finding that shape in a serving graph means training behaviour was exported.
import { NodeTable } from '../savedmodel';

const RANDOM = new Set(['RandomUniform', 'StatelessRandomUniform', 'StatelessRandomUniformV2']);
const ARITHMETIC = new Set(['Mul', 'Add', 'AddV2', 'Sub', 'Identity']);
const MASK = new Set(['GreaterEqual', 'Greater', 'Less', 'LessEqual', 'Floor']);
const MAX_HOPS = 4;

export function isRandomOp(op: string): boolean {
  return RANDOM.has(op);
}

/** Random nodes among `members` that feed a keep-mask comparison, each with the mask node. */
export function dropoutSites(nodes: NodeTable, members: readonly number[]): Array<{ random: number; mask: number }> {
  const randoms = members.filter((i) => RANDOM.has(nodes.ops[i]));
  if (!randoms.length) return [];
  const consumers = consumersOf(nodes, members);
  const out: Array<{ random: number; mask: number }> = [];
  for (const r of randoms) {
    const mask = findMask(nodes, consumers, r);
    if (mask !== undefined) out.push({ random: r, mask });
  }
  return out;
}

/** Who consumes each member's outputs (control edges included: harmless for finding a mask). */
function consumersOf(nodes: NodeTable, members: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const j of members) {
    nodes.forEachInput(j, (i) => {
      if (i < 0) return;
      const list = out.get(i);
      if (list) list.push(j);
      else out.set(i, [j]);
    });
  }
  return out;
}

function findMask(nodes: NodeTable, consumers: Map<number, number[]>, start: number): number | undefined {
  let frontier = [start];
  const seen = new Set(frontier);
  for (let hop = 0; hop < MAX_HOPS && frontier.length; hop++) {
    const next: number[] = [];
    for (const i of frontier) {
      for (const c of consumers.get(i) ?? []) {
        if (MASK.has(nodes.ops[c])) return c;
        if (ARITHMETIC.has(nodes.ops[c]) && !seen.has(c)) {
          seen.add(c);
          next.push(c);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}
