import { OP_CODE, OP_NAMES, type OpName, RULES } from "./ops.ts";
import { type Chunk, chunksFrom, findChunk } from "./tape.ts";
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
  const chunks = chunksFrom(root.chunk);
  const locate = (id: number): [Chunk, number] => {
    const c = id >= chunks[0].base ? chunks[0] : findChunk(chunks, 0, id);
    return [c, id - c.base];
  };
  const rootId = root.chunk.base + root.slot;
  const seen = new Set<number>([rootId]);
  const stack = [rootId];
  while (stack.length > 0) {
    const [c, i] = locate(stack.pop() as number);
    const arity = RULES[c.op[i]].arity;
    const inputs = arity === 2 ? [c.a[i], c.b[i]] : arity === 1 ? [c.a[i]] : [];
    for (const id of inputs) {
      if (!seen.has(id)) {
        seen.add(id);
        stack.push(id);
      }
    }
  }
  // Ids grow in creation order, and a node is always created after its inputs.
  return [...seen]
    .sort((x, y) => x - y)
    .map((id) => {
      const [c, i] = locate(id);
      const code = c.op[i];
      const arity = RULES[code].arity;
      return {
        id,
        op: OP_NAMES[code],
        data: c.data[i],
        grad: c.grad[i],
        label: c.labels.get(i) ?? "",
        inputs: arity === 2 ? [c.a[i], c.b[i]] : arity === 1 ? [c.a[i]] : [],
        ...(code === OP_CODE.pow ? { exponent: c.b[i] } : {}),
      };
    });
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
