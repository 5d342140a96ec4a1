import { OP_CODE, OP_NAMES, type OpName, RULES } from "./ops.ts";
import type { Chunk } from "./tape.ts";
import type { Value } from "./value.ts";

/**
 * One node of a computation graph, as plain data (for drawing, compiling, inspecting).
 *
 * @example
 * for (const node of topologicalOrder(loss)) console.log(node.id, node.op, node.data, node.grad);
 */
export interface GraphNode {
  /** Unique id of the node (ids grow in creation order). */
  readonly id: number;
  /** The primitive that produced the value (`leaf` for inputs and parameters). */
  readonly op: OpName;
  /** The value's number. */
  readonly data: number;
  /** Its gradient after the last `backward()`. */
  readonly grad: number;
  /** Its name (`""` when none was given). */
  readonly label: string;
  /** Ids of the inputs (none for leaves). */
  readonly inputs: readonly number[];
  /** `pow`'s constant exponent. */
  readonly exponent?: number;
}

/**
 * Every node `root` depends on, itself included, in topological order: each node comes after
 * its inputs. Found with an explicit stack, so chains of any length work.
 *
 * @example
 * const a = new Value(2, "a");
 * const y = a.mul(a).add(1);
 * topologicalOrder(y).map((n) => n.op); // ["leaf", "mul", "leaf", "add"] (inputs first)
 */
export function topologicalOrder(root: Value): GraphNode[] {
  const found = new Map<number, [Chunk, number]>();
  const stack: number[] = [];
  const visit = (c: Chunk, i: number): void => {
    const id = c.base + i;
    if (!found.has(id)) {
      found.set(id, [c, i]);
      stack.push(id);
    }
  };
  visit(root.chunk, root.slot);
  while (stack.length > 0) {
    for (const [c, i] of inputsOf(...(found.get(stack.pop() as number) as [Chunk, number]))) visit(c, i);
  }
  // Ids grow in creation order, and a node is always created after its inputs.
  return [...found.keys()]
    .sort((x, y) => x - y)
    .map((id) => {
      const [c, i] = found.get(id) as [Chunk, number];
      const code = c.op[i];
      return {
        id,
        op: OP_NAMES[code],
        data: c.data[i],
        grad: c.grad[i],
        label: c.labels.get(i) ?? "",
        inputs: inputsOf(c, i).map(([ci, slot]) => ci.base + slot),
        ...(code === OP_CODE.pow ? { exponent: c.data[c.b[i]] } : {}),
      };
    });
}

/** The chunk and slot of each input of slot `i` of `c` (an import stands for its value). */
export function inputsOf(c: Chunk, i: number): [Chunk, number][] {
  const arity = RULES[c.op[i]].arity;
  return arity === 2 ? [c.source(c.a[i]), c.source(c.b[i])] : arity === 1 ? [c.source(c.a[i])] : [];
}

/**
 * The unique id of a value (the id `topologicalOrder` uses).
 *
 * @example
 * const a = new Value(1);
 * const nodes = topologicalOrder(a.mul(2));
 * nodes.some((n) => n.id === nodeId(a)); // true
 */
export function nodeId(v: Value): number {
  return v.chunk.base + v.slot;
}
