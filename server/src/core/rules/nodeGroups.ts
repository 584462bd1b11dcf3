// Findings about node types name the first node and list some of the others as related locations:
// a graph can hold hundreds of nodes of one kind, and one finding per type reads better.
import { ElementPath } from '../elementPath';
import { RelatedLocation, elementAt } from './finding';

const MAX_RELATED = 10;

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function relatedNodes(nodes: ReadonlyArray<{ name: string; path: ElementPath }>): RelatedLocation[] {
  return nodes.slice(0, MAX_RELATED).map((n) => ({ location: elementAt(n.path), message: `also '${n.name}'` }));
}
