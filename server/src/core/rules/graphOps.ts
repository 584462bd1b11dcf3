// Cheap questions about a meta graph's op types and node names, asked before any graph walk: most
// models have no custom or training ops, and then the serving graph need not be computed at all.
import { MetaGraph } from '../savedmodel';

/** Whether any node of the main graph or of any library function has an op type passing `test`. */
export function anyOp(mg: MetaGraph, test: (op: string) => boolean): boolean {
  const seen = new Set<string>();
  const check = (ops: readonly string[]): boolean => {
    for (const op of ops) {
      if (seen.has(op)) continue;
      seen.add(op);
      if (test(op)) return true;
    }
    return false;
  };
  if (check(mg.graph.ops)) return true;
  for (const fn of mg.functions.values()) if (check(fn.nodes.ops)) return true;
  return false;
}

/** The main-graph index of each of `names` that exists (first definition wins). */
export function findNodes(mg: MetaGraph, names: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of names) {
    const i = mg.graph.indexOf(name);
    if (i >= 0) out.set(name, i);
  }
  return out;
}
