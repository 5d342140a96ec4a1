import {
  type BinaryCode,
  DOT,
  forwardOf,
  gradA,
  gradB,
  IMPORT,
  LAST_BINARY,
  OP_CODE,
  type OpCode,
  RULES,
} from "./ops.ts";
import { type Chunk, chunksFrom, closeChunk } from "./tape.ts";
import type { Value } from "./value.ts";

/** Slots per fused term: p, q, the product's slot, the running sum's slot. */
const TERM = 4;

/**
 * A computation graph recorded once and replayed over flat typed arrays: the same ops in the
 * same order as the `Value`s it was recorded from (so the same numbers), with no allocation per
 * step. Training loops whose graph has the same shape every step (same model, same batch size)
 * record once, then write new inputs into the leaf slots and call `forward()` and `backward()`.
 *
 * The leaves passed to the constructor take slots 0, 1, 2, … in that order, so a run of them
 * (the parameters) can be handed to an optimiser as one block.
 *
 * @example
 * const x = new Value(0), w = new Value(0.5);
 * const y = x.mul(w).tanh();
 * const graph = new CompiledGraph(y, [w, x]); // w in slot 0, x in slot 1
 * graph.data[1] = 2;     // a new input
 * graph.forward();       // tanh(2 * 0.5)
 * graph.backward();
 * graph.grad[0];         // dy/dw
 */
export class CompiledGraph {
  /** Values of every node; leaves are written by the caller. */
  readonly data: Float64Array;
  /** d(root)/d(node) after `backward()`. */
  readonly grad: Float64Array;
  readonly #op: Uint8Array;
  /** Slot of the first input; for a fused chain, of its starting sum. */
  readonly #a: Int32Array;
  /** Slot of the second input (binary ops). */
  readonly #b: Int32Array;
  /** `pow`'s constant exponent. */
  readonly #exponent: Float64Array;
  /** A fused chain's first term in `#termSlots` (in units of slots, TERM per term)... */
  readonly #firstTerm: Int32Array;
  /** ...and its number of terms. */
  readonly #terms: Int32Array;
  readonly #termSlots: Int32Array;
  /** Slots of the instructions to run, in order. */
  readonly #program: Int32Array;
  /** Slot of the root: the last one, unless the root is itself a leaf. */
  readonly #root: number;
  readonly #firstInterior: number = 0;
  /** Slot of each recorded node, per chunk it lives in (-1: not part of the graph). */
  readonly #slots = new Map<Chunk, Int32Array>();

  constructor(root: Value, leaves: readonly Value[]) {
    const chunks = chunksFrom(root.chunk); // newest first
    const marks = reachable(chunks, root);
    const slots = this.#slots;
    let size = 0;
    const assign = (c: Chunk, i: number): void => {
      let map = slots.get(c);
      if (map === undefined) {
        map = new Int32Array(c.size).fill(-1);
        slots.set(c, map);
      }
      if (map[i] < 0) map[i] = size++;
    };
    for (const leaf of leaves) {
      if (leaf.op !== "leaf") throw new RangeError("CompiledGraph: the given leaves must be leaf values");
      assign(leaf.chunk, leaf.slot);
    }
    // Other leaves (constants), then computed nodes in creation order: a topological order.
    for (const interior of [false, true]) {
      for (let ci = chunks.length - 1; ci >= 0; ci--) {
        const c = chunks[ci];
        const m = marks[ci];
        for (let i = 0; i < m.length; i++) if (m[i] && (c.op[i] !== OP_CODE.leaf) === interior) assign(c, i);
      }
      if (!interior) this.#firstInterior = size;
    }

    this.data = new Float64Array(size);
    this.grad = new Float64Array(size);
    this.#op = new Uint8Array(size);
    this.#a = new Int32Array(size);
    this.#b = new Int32Array(size);
    this.#exponent = new Float64Array(size);
    this.#firstTerm = new Int32Array(size);
    this.#terms = new Int32Array(size);
    const slotOfInput = (c: Chunk, i: number): number => {
      const [from, slot] = c.source(i);
      return (slots.get(from) as Int32Array)[slot];
    };
    for (const [c, map] of slots) {
      for (let i = 0; i < map.length; i++) {
        const s = map[i];
        if (s < 0) continue;
        const code = c.op[i];
        this.data[s] = c.data[i];
        this.#op[s] = code;
        if (code === OP_CODE.leaf) continue;
        this.#a[s] = slotOfInput(c, c.a[i]);
        if (code <= LAST_BINARY) this.#b[s] = slotOfInput(c, c.b[i]);
        else if (code === OP_CODE.pow) this.#exponent[s] = c.data[c.b[i]];
      }
    }
    this.#root = this.slotOf(root);
    const { program, termSlots } = this.#fuseDotChains(this.#firstInterior);
    this.#program = program;
    this.#termSlots = termSlots;
    // The recorded values are usually thrown away now: let their chunk be collected.
    closeChunk();
  }

  /** Number of nodes. */
  get size(): number {
    return this.data.length;
  }

  /** The slot of a value that was part of the recorded graph. */
  slotOf(v: Value): number {
    const s = this.#slots.get(v.chunk)?.[v.slot] ?? -1;
    if (s < 0) throw new RangeError("CompiledGraph: that value is not part of the recorded graph");
    return s;
  }

  /** Recomputes every node from the leaves; returns the root's value. */
  forward(): number {
    const { data } = this;
    const op = this.#op;
    const a = this.#a;
    const b = this.#b;
    const exponent = this.#exponent;
    const program = this.#program;
    for (let k = 0; k < program.length; k++) {
      const i = program[k];
      const code = op[i] as OpCode | typeof DOT;
      if (code === DOT) this.#forwardDot(i);
      else data[i] = forwardOf(code, data[a[i]], code <= LAST_BINARY ? data[b[i]] : exponent[i]);
    }
    return data[this.#root];
  }

  /** Sets `grad` to d(root)/d(node) for every node (not accumulated: each call starts from zero). */
  backward(): void {
    const { data, grad } = this;
    const op = this.#op;
    const a = this.#a;
    const b = this.#b;
    const exponent = this.#exponent;
    const program = this.#program;
    grad.fill(0);
    grad[this.#root] = 1;
    for (let k = program.length - 1; k >= 0; k--) {
      const i = program[k];
      const code = op[i] as OpCode | typeof DOT;
      const g = grad[i];
      const ia = a[i];
      if (code === DOT) {
        this.#backwardDot(i, g);
      } else if (code <= LAST_BINARY) {
        const ib = b[i];
        grad[ia] += g * gradA(code, data[ia], data[ib], data[i]);
        grad[ib] += g * gradB(code as BinaryCode, data[ia], data[ib]);
      } else {
        grad[ia] += g * gradA(code, data[ia], exponent[i], data[i]);
      }
    }
  }

  // A neuron's `b + w0·x0 + w1·x1 + …` is a chain of mul and add nodes, and such chains are
  // nearly every node of an MLP. Replaying a chain as one loop skips the per-node dispatch.
  // Every node's data and grad are still written, in the same order with the same arithmetic,
  // so results stay bit-identical to the unfused graph.

  #forwardDot(i: number): void {
    const data = this.data;
    const slots = this.#termSlots;
    let sum = data[this.#a[i]];
    const first = this.#firstTerm[i];
    const end = first + this.#terms[i] * TERM;
    for (let t = first; t < end; t += TERM) {
      const product = data[slots[t]] * data[slots[t + 1]];
      data[slots[t + 2]] = product;
      sum = sum + product;
      data[slots[t + 3]] = sum;
    }
  }

  #backwardDot(i: number, g: number): void {
    const { data, grad } = this;
    const slots = this.#termSlots;
    const first = this.#firstTerm[i];
    // Unfused order: each add passes g to its running sum, then to its product; then the
    // product's mul sends g·q to p and g·p to q.
    for (let t = first + (this.#terms[i] - 1) * TERM; t >= first; t -= TERM) {
      grad[t === first ? this.#a[i] : slots[t - 1]] += g;
      grad[slots[t + 2]] += g;
      const p = slots[t];
      const q = slots[t + 1];
      const dp = g * data[q];
      const dq = g * data[p];
      grad[p] += dp;
      grad[q] += dq;
    }
  }

  /**
   * Finds chains `s1 = s0 + m0, s2 = s1 + m1, …` where each `m = p·q` is a mul used only by the
   * next add, each running sum is used only by the next add, and the chain's nodes were created
   * back to back (so the unfused reverse sweep visits them as one block). Each chain becomes one
   * DOT instruction at its last add; its other nodes leave the program.
   */
  #fuseDotChains(firstInterior: number): { program: Int32Array; termSlots: Int32Array } {
    const op = this.#op;
    const a = this.#a;
    const b = this.#b;
    const size = op.length;
    const uses = new Int32Array(size);
    for (let i = firstInterior; i < size; i++) {
      if (op[i] === OP_CODE.leaf) continue;
      uses[a[i]]++;
      if (op[i] <= LAST_BINARY) uses[b[i]]++;
    }
    uses[this.#root]++; // the root is used by the caller
    const isChainAdd = (i: number): boolean =>
      op[i] === OP_CODE.add && b[i] === i - 1 && op[i - 1] === OP_CODE.mul && uses[i - 1] === 1;

    const program: number[] = [];
    const terms: number[] = [];
    for (let i = firstInterior; i < size; i++) {
      if (!isChainAdd(i)) {
        if (op[i] !== OP_CODE.mul || !isChainAdd(i + 1)) program.push(i);
        continue;
      }
      // i is an add of a fresh product; does it continue the chain ending at its first input?
      const previous = a[i];
      const extends_ = previous === i - 2 && op[previous] === DOT && uses[previous] === 1;
      if (extends_) {
        // Move the chain's end from `previous` to i.
        this.#terms[i] = this.#terms[previous] + 1;
        this.#firstTerm[i] = this.#firstTerm[previous];
        a[i] = a[previous];
        program[program.length - 1] = i;
      } else {
        this.#terms[i] = 1;
        this.#firstTerm[i] = terms.length;
        program.push(i);
      }
      op[i] = DOT;
      terms.push(a[i - 1], b[i - 1], i - 1, i);
    }
    return { program: Int32Array.from(program), termSlots: Int32Array.from(terms) };
  }
}

/** Marks, per chunk, the nodes `root` depends on: one sweep per chunk, from the newest node down. */
function reachable(chunks: readonly Chunk[], root: Value): Uint8Array[] {
  const marks = chunks.map((c) => new Uint8Array(c.size));
  const marksOf = new Map(chunks.map((c, ci) => [c, marks[ci]]));
  marks[0][root.slot] = 1;
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci];
    const m = marks[ci];
    // An input is a slot below in the same chunk, or an import: then mark the value it stands for.
    const mark = (j: number): void => {
      if (c.op[j] === IMPORT) {
        const [from, slot] = c.source(j);
        (marksOf.get(from) as Uint8Array)[slot] = 1;
      } else m[j] = 1;
    };
    for (let i = c.size - 1; i >= 0; i--) {
      if (!m[i]) continue;
      const arity = RULES[c.op[i]].arity;
      if (arity >= 1) mark(c.a[i]);
      if (arity === 2) mark(c.b[i]);
    }
  }
  return marks;
}
