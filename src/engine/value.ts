import { isGradEnabled } from "./grad-mode.ts";
import {
  type BinaryCode,
  forwardOf,
  gradA,
  gradB,
  IMPORT,
  LAST_BINARY,
  OP_CODE,
  OP_NAMES,
  OPS,
  type OpCode,
  type OpName,
} from "./ops.ts";
import { type Chunk, chunksFrom, chunkWithRoom, currentChunk } from "./tape.ts";

// Codes as module constants, which the engine folds into the hot paths (an object's fields it reloads).
const { leaf: LEAF, add: ADD, mul: MUL, max: MAX, pow: POW, exp: EXP, log: LOG } = OP_CODE;
const { tanh: TANH, relu: RELU, sigmoid: SIGMOID } = OP_CODE;
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
    const i = c.push(data);
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
    return node(ADD, this.data + o.data, this, o);
  }
  /** `this · other`. */
  mul(other: Value | number): Value {
    const o = toValue(other);
    return node(MUL, this.data * o.data, this, o);
  }
  /** The larger of the two (the gradient flows to the larger one). */
  max(other: Value | number): Value {
    const o = toValue(other);
    return node(MAX, OPS.max.forward(this.data, o.data), this, o);
  }
  /** `this ** exponent`, for a constant exponent. */
  pow(exponent: number): Value {
    if (typeof exponent !== "number") throw new TypeError("pow: the exponent must be a number");
    return unary(POW, this, exponent);
  }
  /** `e^this`. */
  exp(): Value {
    return unary(EXP, this, 0);
  }
  /** Natural logarithm of `this`. */
  log(): Value {
    return unary(LOG, this, 0);
  }
  /** Hyperbolic tangent: squashes into (-1, 1); its derivative is `1 - tanh²`. */
  tanh(): Value {
    return unary(TANH, this, 0);
  }
  /** `max(0, this)`: passes positive values, zeroes the rest (and their gradient). */
  relu(): Value {
    return unary(RELU, this, 0);
  }
  /** `1 / (1 + e^-this)`: squashes into (0, 1). */
  sigmoid(): Value {
    return unary(SIGMOID, this, 0);
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
    for (const c of chunks) sweep(c, pass);
    if (root === currentChunk()) root.sealed = true;
  }

  /** `Value(data=…, grad=…)`, as micrograd prints a value. */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }

  /** What `console.log` shows in Node: `toString()`, not the typed arrays behind the value. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
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

/**
 * `bias + w[0]·x[0] + w[1]·x[1] + …`, summed left to right: a neuron's weighted sum, where nearly
 * every node of an MLP is made. It records exactly the nodes, numbers and gradients of the loop
 * `let s = bias; for (k) s = s.add(w[k].mul(x[k]))` (tested bit for bit), but makes a `Value`
 * for the result only: the products and partial sums are on the tape, in graphs and in backward
 * passes as usual, and no code holds them (micrograd's demo step takes about a quarter less time).
 *
 * @example
 * const w = [new Value(0.5), new Value(-1)];
 * const s = weightedSum(new Value(0.1), w, [2, 3]); // 0.1 + 0.5·2 + (-1)·3 = -1.9
 * s.backward();
 * w[0].grad; // 2
 */
export function weightedSum(bias: Value, w: readonly Value[], x: readonly (Value | number)[]): Value {
  const n = w.length;
  if (n === 0) return bias;
  let sum = bias.data;
  if (!isGradEnabled()) {
    for (let k = 0; k < n; k++) sum = sum + w[k].data * dataOf(x[k]);
    return new Value(sum);
  }
  // Each term takes at most 5 slots (a leaf for a number, two imports, the product, the sum):
  // keep the whole chain in one chunk.
  const c = chunkWithRoom(5 * n + 5);
  let sumSlot = inputSlot(c, bias);
  let out = bias;
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    // A number input is a leaf slot, as `mul` would make it, without a handle.
    const xSlot = typeof xk === "number" ? c.push(xk) : inputSlot(c, toValue(xk));
    const product = w[k].data * dataOf(xk);
    const productSlot = record(c, MUL, inputSlot(c, w[k]), xSlot, c.push(product));
    sum = sum + product;
    // The last sum is the result, the one node with a handle (made in `c`, which has room).
    if (k === n - 1) out = new Value(sum);
    sumSlot = record(c, ADD, sumSlot, productSlot, k < n - 1 ? c.push(sum) : out.slot);
  }
  return out;
}

/** The number an input stands for (a non-number, non-Value input fails as `new Value` does). */
function dataOf(x: Value | number): number {
  return typeof x === "number" ? x : toValue(x).data;
}

/** The slot in chunk `c` through which a node of `c` uses `v`. */
function inputSlot(c: Chunk, v: Value): number {
  return v.chunk === c ? v.slot : c.importSlot(v.chunk, v.slot);
}

/**
 * Makes slot `at` of `c` the node `code(a, b)`; returns `at`. Its callers compute `a` and `b`
 * first (as arguments), since importing an input may grow the chunk's arrays.
 */
function record(c: Chunk, code: number, a: number, b: number, at: number): number {
  c.op[at] = code;
  c.a[at] = a;
  c.b[at] = b;
  return at;
}

function node(code: BinaryCode, data: number, x: Value, y: Value): Value {
  const out = new Value(data);
  if (!isGradEnabled()) return out; // under noGrad: a plain leaf, linked to nothing
  const c = out.chunk;
  record(c, code, inputSlot(c, x), inputSlot(c, y), out.slot);
  return out;
}

function unary(code: OpCode, x: Value, constant: number): Value {
  const out = new Value(forwardOf(code, x.data, constant));
  if (!isGradEnabled()) return out;
  const c = out.chunk;
  // pow's exponent is kept as a leaf slot, so that every input is a slot
  record(c, code, inputSlot(c, x), code === POW ? c.push(constant) : 0, out.slot);
  return out;
}

/**
 * One chunk's part of a backward pass: its reached nodes from `hi` down, each passing its
 * gradient to its inputs (all in this chunk), then its imports passing theirs on.
 */
function sweep(c: Chunk, pass: number): void {
  const { data, grad, op, a, b, seen, imports, importChunks, importSources } = c;
  // An import holds a copy of its value's number, which may have changed since (a parameter
  // update): read it afresh, as micrograd's backward reads its inputs' current data.
  for (let k = 0; k < imports.length; k++) data[imports[k]] = importChunks[k].data[importSources[k]];
  // Inputs always sit below the node that uses them, so `lo` only falls as the sweep goes.
  let lo = c.lo;
  for (let i = c.hi; i >= lo; i--) {
    if (seen[i] !== pass) continue;
    const code = op[i] as OpCode | typeof LEAF | typeof IMPORT;
    if (code === LEAF || code === IMPORT) continue;
    const g = grad[i];
    const ia = a[i];
    const ib = b[i];
    const xa = data[ia];
    const xb = data[ib];
    if (seen[ia] !== pass) {
      seen[ia] = pass;
      if (op[ia] !== LEAF) {
        grad[ia] = 0;
        if (ia < lo) lo = ia;
      }
    }
    grad[ia] += g * gradA(code, xa, xb, data[i]);
    if (code <= LAST_BINARY) {
      if (seen[ib] !== pass) {
        seen[ib] = pass;
        if (op[ib] !== LEAF) {
          grad[ib] = 0;
          if (ib < lo) lo = ib;
        }
      }
      grad[ib] += g * gradB(code as BinaryCode, xa, xb);
    }
  }
  for (let k = 0; k < imports.length; k++) {
    const i = imports[k];
    if (seen[i] === pass) accumulate(importChunks[k], importSources[k], grad[i], pass);
  }
}

/** Adds `g` to slot `i` of an older chunk, resetting a computed value on its first touch. */
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
