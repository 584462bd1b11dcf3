// A graph being flattened: nodes by name with graph-style inputs (`node:index`, control inputs
// dropped: the flat graph is pure dataflow) and aliases, tensors that stand for other tensors
// (a call node's outputs once its function is inlined, a variable read once the variable is a
// constant). Aliases are followed when the graph is emitted.
import { PlainMessage } from '../../protobuf';

export type TensorRef = string;

export interface FlatNode {
  readonly name: string;
  op: string;
  inputs: TensorRef[];
  attrs: PlainMessage;
}

export class FreezeError extends Error {}

/** `node` → `node:0`; `node:2` stays. */
export function normalizeRef(ref: string): TensorRef {
  return /:\d+$/.test(ref) ? ref : `${ref}:0`;
}

export function refNode(ref: TensorRef): string {
  const i = ref.lastIndexOf(':');
  return i < 0 ? ref : ref.slice(0, i);
}

export function refIndex(ref: TensorRef): number {
  const i = ref.lastIndexOf(':');
  return i < 0 ? 0 : Number(ref.slice(i + 1));
}

const LOOP_MERGES: ReadonlySet<string> = new Set(['Merge', 'RefMerge']);

export class FlatGraph {
  readonly nodes = new Map<string, FlatNode>();
  private readonly aliases = new Map<TensorRef, TensorRef>();

  add(node: FlatNode): void {
    if (this.nodes.has(node.name)) throw new FreezeError(`two nodes named ${node.name} after flattening`);
    this.nodes.set(node.name, node);
  }

  alias(from: TensorRef, to: TensorRef): void {
    this.aliases.set(from, to);
  }

  /** The tensor a reference stands for, after all aliases. */
  resolve(ref: TensorRef): TensorRef {
    let r = normalizeRef(ref);
    for (let hops = 0; this.aliases.has(r); hops++) {
      if (hops > 10000) throw new FreezeError(`alias cycle at ${ref}`);
      r = this.aliases.get(r) as TensorRef;
    }
    return r;
  }

  /** Rewrite every input through the aliases. */
  resolveAll(): void {
    for (const n of this.nodes.values()) n.inputs = n.inputs.map((i) => this.resolve(i));
  }

  /** Keep only the nodes the given tensors depend on; returns them in dependency order. */
  prune(outputs: readonly TensorRef[]): FlatNode[] {
    const order: FlatNode[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string): void => {
      const stack: Array<[string, number]> = [[name, 0]];
      while (stack.length) {
        const top = stack[stack.length - 1];
        const node = this.nodes.get(top[0]);
        if (!node) throw new FreezeError(`the graph needs node ${top[0]}, which does not exist`);
        if (top[1] === 0) {
          if (state.get(top[0]) === 'done') { stack.pop(); continue; }
          if (state.get(top[0]) === 'visiting') throw new FreezeError(`the graph has a cycle through ${top[0]} (only TF1 while loops, closed at a Merge, may cycle)`);
          state.set(top[0], 'visiting');
        }
        if (top[1] < node.inputs.length) {
          const dep = refNode(node.inputs[top[1]++]);
          // A TF1 while loop closes at its Merge (NextIteration → Merge): that back edge is
          // followed once the Merge is placed, so the loop body orders after it.
          if (LOOP_MERGES.has(node.op) && this.nodes.get(dep)?.op === 'NextIteration') {
            deferred.push(dep);
            continue;
          }
          if (state.get(dep) !== 'done') stack.push([dep, 0]);
          continue;
        }
        state.set(top[0], 'done');
        order.push(node);
        stack.pop();
      }
    };
    const deferred: string[] = [];
    for (const o of outputs) visit(refNode(this.resolve(o)));
    while (deferred.length) visit(deferred.pop() as string);
    for (const name of [...this.nodes.keys()]) if (state.get(name) !== 'done') this.nodes.delete(name);
    return order;
  }
}
