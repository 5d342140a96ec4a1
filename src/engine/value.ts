import { isGradEnabled } from "./grad-mode.ts";
import { forwardOf, gradA, gradB, OP_CODE, OP_NAMES, OPS, type OpName } from "./ops.ts";
import { type Chunk, chunksFrom, currentChunk, findChunk } from "./tape.ts";

const LEAF = OP_CODE.leaf;
const LAST_BINARY = OP_CODE.max;
let passCount = 0;

/**
 * A scalar that remembers how it was computed, so that `backward()` can fill in the gradient
 * of every value it depends on: micrograd's `Value`.
 *
 * @example
 * const a = new Value(2), b = new Value(-3);
 * const y = a.mul(b).add(10).tanh();
 * y.backward();
 * a.grad; // dy/da
 */
export class Value {
  /** @internal The chunk that stores this value. */
  readonly chunk: Chunk;
  /** @internal The value's slot in its chunk. */
  readonly slot: number;

  constructor(data: number, label?: string) {
    if (typeof data !== "number") throw new TypeError(`Value: data must be a number, got ${typeof data}`);
    const c = currentChunk();
    if (c.size === c.data.length) c.grow();
    const i = c.size++;
    c.data[i] = data;
    if (label) c.labels.set(i, label);
    this.chunk = c;
    this.slot = i;
  }

  /** The number this value holds. */
  get data(): number {
    return this.chunk.data[this.slot];
  }
  /** Overwrites the number (as an optimiser does to a parameter). */
  set data(x: number) {
    this.chunk.data[this.slot] = x;
  }

  /** d(output)/d(this) after the last `backward()` that reached this value. */
  get grad(): number {
    return this.chunk.grad[this.slot];
  }
  /** Overwrites the gradient (e.g. `p.grad = 0` before a new `backward()`). */
  set grad(x: number) {
    this.chunk.grad[this.slot] = x;
  }

  /** A name shown in graphs (`""` when none was given). */
  get label(): string {
    return this.chunk.labels.get(this.slot) ?? "";
  }
  /** Names the value for `toDot` and `topologicalOrder`. */
  set label(name: string) {
    this.chunk.labels.set(this.slot, name);
  }

  /** The primitive that produced this value (`"leaf"` for values made with `new Value`). */
  get op(): OpName {
    return opName(this.chunk.op[this.slot]);
  }

  /** `this + other`. */
  add(other: Value | number): Value {
    const o = toValue(other);
    return node(OP_CODE.add, this.data + o.data, this, o);
  }
  /** `this · other`. */
  mul(other: Value | number): Value {
    const o = toValue(other);
    return node(OP_CODE.mul, this.data * o.data, this, o);
  }
  /** The larger of the two (the gradient flows to the larger one). */
  max(other: Value | number): Value {
    const o = toValue(other);
    return node(OP_CODE.max, OPS.max.forward(this.data, o.data), this, o);
  }
  /** `this ** exponent`, for a constant exponent. */
  pow(exponent: number): Value {
    if (typeof exponent !== "number") throw new TypeError("pow: the exponent must be a number");
    return unary(OP_CODE.pow, this, exponent);
  }
  /** `e^this`. */
  exp(): Value {
    return unary(OP_CODE.exp, this, 0);
  }
  /** Natural logarithm of `this`. */
  log(): Value {
    return unary(OP_CODE.log, this, 0);
  }
  /** Hyperbolic tangent: squashes into (-1, 1); its derivative is `1 - tanh²`. */
  tanh(): Value {
    return unary(OP_CODE.tanh, this, 0);
  }
  /** `max(0, this)`: passes positive values, zeroes the rest (and their gradient). */
  relu(): Value {
    return unary(OP_CODE.relu, this, 0);
  }
  /** `1 / (1 + e^-this)`: squashes into (0, 1). */
  sigmoid(): Value {
    return unary(OP_CODE.sigmoid, this, 0);
  }

  // Composites, built from the primitives as in micrograd: they need no backward code.
  /** `-this` (built from `mul`, as in micrograd). */
  neg(): Value {
    return this.mul(-1);
  }
  /** `this - other` (built from `add` and `neg`). */
  sub(other: Value | number): Value {
    return this.add(typeof other === "number" ? -other : other.neg());
  }
  /** `this / other` (built from `mul` and `pow(-1)`). */
  div(other: Value | number): Value {
    return this.mul(typeof other === "number" ? 1 / other : other.pow(-1));
  }

  /**
   * Fills in `grad` of every value this one depends on, by the chain rule in reverse
   * topological order, summing over every path. Leaves (values made with `new Value`)
   * accumulate across calls, like micrograd and PyTorch (`zeroGrad()` clears them); the
   * gradients of computed values are recomputed from zero on each call.
   */
  backward(): void {
    const pass = ++passCount;
    const root = this.chunk;
    const chunks = chunksFrom(root);
    for (const c of chunks) {
      c.hi = -1;
      c.lo = c.size;
    }
    root.seen[this.slot] = pass;
    if (root.op[this.slot] === LEAF) root.grad[this.slot] += 1;
    else {
      root.grad[this.slot] = 1;
      root.hi = root.lo = this.slot;
    }
    for (let ci = 0; ci < chunks.length; ci++) {
      const c = chunks[ci];
      const { data, grad, op, a, b, seen, base } = c;
      // Inputs always sit below the node that uses them, so `lo` only falls as the sweep goes.
      for (let i = c.hi; i >= c.lo; i--) {
        if (seen[i] !== pass || op[i] === LEAF) continue;
        const code = op[i];
        const g = grad[i];
        const ida = a[i];
        const ca = ida >= base ? c : findChunk(chunks, ci, ida);
        const ia = ida - ca.base;
        const xa = ca.data[ia];
        if (code <= LAST_BINARY) {
          const idb = b[i];
          const cb = idb >= base ? c : findChunk(chunks, ci, idb);
          const ib = idb - cb.base;
          const xb = cb.data[ib];
          accumulate(ca, ia, g * gradA(code, xa, xb, data[i]), pass);
          accumulate(cb, ib, g * gradB(code, xa, xb), pass);
        } else {
          accumulate(ca, ia, g * gradA(code, xa, b[i], data[i]), pass);
        }
      }
    }
    if (root === currentChunk()) root.sealed = true;
  }

  /** `Value(data=…, grad=…)`, as micrograd prints a value. */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}

/**
 * Wraps a number as a leaf value; passes values through.
 *
 * @example
 * toValue(3).data; // 3 (a Value is returned as it is)
 */
export function toValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}

/** Name of an op code. */
export function opName(code: number): OpName {
  return OP_NAMES[code];
}

function node(code: number, data: number, a: Value, b: Value): Value {
  const out = new Value(data);
  if (!isGradEnabled()) return out; // under noGrad: a plain leaf, linked to nothing
  const c = out.chunk;
  const i = out.slot;
  c.op[i] = code;
  c.a[i] = a.chunk.base + a.slot;
  c.b[i] = b.chunk.base + b.slot;
  if (a.chunk !== c) c.use(a.chunk);
  if (b.chunk !== c) c.use(b.chunk);
  return out;
}

function unary(code: number, a: Value, constant: number): Value {
  const out = new Value(forwardOf(code, a.data, constant));
  if (!isGradEnabled()) return out;
  const c = out.chunk;
  const i = out.slot;
  c.op[i] = code;
  c.a[i] = a.chunk.base + a.slot;
  c.b[i] = constant;
  if (a.chunk !== c) c.use(a.chunk);
  return out;
}

function accumulate(c: Chunk, i: number, g: number, pass: number): void {
  if (c.seen[i] !== pass) {
    c.seen[i] = pass;
    if (c.op[i] !== LEAF) {
      c.grad[i] = 0;
      if (i > c.hi) c.hi = i;
      if (i < c.lo) c.lo = i;
    }
  }
  c.grad[i] += g;
}
