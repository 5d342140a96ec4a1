import { nodeId, topologicalOrder } from "./graph.ts";
import { forwardOf, gradA, gradB, OP_CODE, OP_NAMES } from "./ops.ts";
import type { Value } from "./value.ts";

const LAST_BINARY = OP_CODE.max;

/**
 * A computation graph recorded once and replayed over flat typed arrays: the same ops in the
 * same order as the `Value`s it was recorded from (so the same numbers), with no allocation per
 * step. Training loops whose graph has the same shape every step (same model, same batch size)
 * record once, then write new inputs into the leaf slots and call `forward()` and `backward()`.
 *
 * The leaves passed to the constructor take slots 0, 1, 2, … in that order, so a run of them
 * (the parameters) can be handed to an optimiser as one block.
 */
export class CompiledGraph {
  /** Values of every node; leaves are written by the caller. */
  readonly data: Float64Array;
  /** d(root)/d(node) after `backward()`. */
  readonly grad: Float64Array;
  readonly #op: Uint8Array;
  readonly #a: Int32Array;
  /** Slot of the second input, or `pow`'s exponent. */
  readonly #b: Float64Array;
  readonly #firstInterior: number;
  /** Slot of the root: the last one, unless the root is itself a leaf. */
  readonly #root: number;
  readonly #slots = new Map<number, number>();

  constructor(root: Value, leaves: readonly Value[]) {
    const nodes = topologicalOrder(root);
    const slots = this.#slots;
    for (const leaf of leaves) {
      if (leaf.op !== "leaf") throw new RangeError("CompiledGraph: the given leaves must be leaf values");
      if (!slots.has(nodeId(leaf))) slots.set(nodeId(leaf), slots.size);
    }
    const isLeaf = (n: (typeof nodes)[number]): boolean => n.op === "leaf";
    for (const n of nodes) if (isLeaf(n) && !slots.has(n.id)) slots.set(n.id, slots.size);
    this.#firstInterior = slots.size;
    for (const n of nodes) if (!isLeaf(n)) slots.set(n.id, slots.size);

    const size = slots.size;
    this.data = new Float64Array(size);
    this.grad = new Float64Array(size);
    this.#op = new Uint8Array(size);
    this.#a = new Int32Array(size);
    this.#b = new Float64Array(size);
    for (const n of nodes) {
      const s = slots.get(n.id) as number;
      this.data[s] = n.data;
      this.#op[s] = OP_NAMES.indexOf(n.op);
      if (n.inputs.length > 0) this.#a[s] = slots.get(n.inputs[0]) as number;
      this.#b[s] = n.inputs.length === 2 ? (slots.get(n.inputs[1]) as number) : (n.exponent ?? 0);
    }
    for (const leaf of leaves) this.data[this.slotOf(leaf)] = leaf.data;
    this.#root = this.slotOf(root);
  }

  /** Number of nodes. */
  get size(): number {
    return this.data.length;
  }

  /** The slot of a value that was part of the recorded graph. */
  slotOf(v: Value): number {
    const s = this.#slots.get(nodeId(v));
    if (s === undefined) throw new RangeError("CompiledGraph: that value is not part of the recorded graph");
    return s;
  }

  /** Recomputes every node from the leaves; returns the root's value. */
  forward(): number {
    const { data } = this;
    const op = this.#op;
    const a = this.#a;
    const b = this.#b;
    for (let i = this.#firstInterior; i < data.length; i++) {
      const code = op[i];
      data[i] = forwardOf(code, data[a[i]], code <= LAST_BINARY ? data[b[i]] : b[i]);
    }
    return data[this.#root];
  }

  /** Sets `grad` to d(root)/d(node) for every node (not accumulated: each call starts from zero). */
  backward(): void {
    const { data, grad } = this;
    const op = this.#op;
    const a = this.#a;
    const b = this.#b;
    grad.fill(0);
    grad[this.#root] = 1;
    for (let i = data.length - 1; i >= this.#firstInterior; i--) {
      const g = grad[i];
      const code = op[i];
      const ia = a[i];
      if (code <= LAST_BINARY) {
        const ib = b[i];
        grad[ia] += g * gradA(code, data[ia], data[ib], data[i]);
        grad[ib] += g * gradB(code, data[ia], data[ib]);
      } else {
        grad[ia] += g * gradA(code, data[ia], b[i], data[i]);
      }
    }
  }
}
