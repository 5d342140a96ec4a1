import { isGradEnabled } from "../engine/grad-mode.ts";
import { backend, type Data } from "./backend.ts";
import { checkShape, type Shape, shapeText, sizeOf, stridesOf } from "./shape.ts";

/**
 * The number types a tensor can hold: float32 (default, fast) or float64 (for gradient checks).
 *
 * @example
 * const x = tensor([1, 2], { dtype: "float64" satisfies DType });
 */
export type DType = "float32" | "float64";

/**
 * Given the gradient of an op's output, adds the gradients of its inputs into theirs.
 *
 * @example
 * // mul's backward: d(a·b)/da = b, d(a·b)/db = a, each times the output's gradient
 * const backward: BackwardFn = (grad) => {
 *   for (let i = 0; i < grad.length; i++) { ga[i] += grad[i] * b[i]; gb[i] += grad[i] * a[i]; }
 * };
 */
export type BackwardFn = (grad: Data) => void;

/** A new zero-filled array of the dtype. */
export function allocate(dtype: DType, n: number): Data {
  return dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
}

// Gradient buffers live only during a backward pass: once a tensor's gradient has been pushed
// to its inputs, its buffer is returned here and handed out again (zeroed) to the next op that
// needs one of the same size, so a training step allocates far fewer typed arrays.
const pool = new Map<number, Data[]>();
const POOL_DEPTH = 16;

/** @internal A zeroed scratch buffer, reused from the pool when one of this size is free. */
export function scratch(dtype: DType, n: number): Data {
  const key = dtype === "float64" ? -n - 1 : n;
  const free = pool.get(key);
  const buf = free?.pop();
  if (buf === undefined) return allocate(dtype, n);
  buf.fill(0);
  return buf;
}

/** @internal Gives a scratch buffer back; nothing may use it afterwards. */
export function release(buf: Data): void {
  const key = buf instanceof Float64Array ? -buf.length - 1 : buf.length;
  let free = pool.get(key);
  if (free === undefined) {
    free = [];
    pool.set(key, free);
  }
  if (free.length < POOL_DEPTH) free.push(buf);
}

/** The dtype of a typed array. */
export function dtypeOf(data: Data): DType {
  return data instanceof Float64Array ? "float64" : "float32";
}

/**
 * An n-dimensional array of numbers that remembers how it was computed, so that `backward()`
 * fills in the gradient of every tensor it depends on: `Value`, one matrix at a time.
 * Data is stored contiguously in row-major order (`strides` say how).
 *
 * @example
 * const w = randn([3, 2], { rng: new Rng(1), requiresGrad: true });
 * const y = sum(relu(matmul(x, w)));
 * y.backward();
 * w.grad; // a tensor of w's shape
 */
export class Tensor {
  /** The numbers, row-major. */
  readonly data: Data;
  /** The dimensions. */
  readonly shape: Shape;
  #strides: readonly number[] | null = null;
  /** Whether gradients flow to (and through) this tensor. */
  requiresGrad: boolean;
  /** d(output)/d(this) after `backward()` (leaf tensors only), or `null` before. */
  grad: Tensor | null = null;
  /** The op that produced this tensor (`"leaf"` for tensors made directly). */
  readonly op: string;
  /** @internal The tensors this one was computed from. */
  readonly inputs: readonly Tensor[];
  /** @internal Pushes this tensor's gradient to its inputs. */
  readonly backwardFn: BackwardFn | null;

  constructor(
    data: Data,
    shape: Shape,
    options: { requiresGrad?: boolean; op?: string; inputs?: readonly Tensor[]; backward?: BackwardFn } = {},
  ) {
    checkShape("Tensor", shape);
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: ${data.length} numbers do not fill shape ${shapeText(shape)}`);
    }
    this.data = data;
    this.shape = [...shape];
    this.op = options.op ?? "leaf";
    this.inputs = options.inputs ?? [];
    this.backwardFn = options.backward ?? null;
    this.requiresGrad = options.requiresGrad ?? false;
  }

  /** How far one step along each axis moves in `data` (computed when first asked for). */
  get strides(): readonly number[] {
    if (this.#strides === null) this.#strides = stridesOf(this.shape);
    return this.#strides;
  }

  /** float32 or float64. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** How many numbers the tensor holds. */
  get size(): number {
    return this.data.length;
  }

  /** How many axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * A summary, as `console.log` shows it: shape, dtype, the backend ops run on, and the first
   * and last few numbers, e.g. `Tensor(shape=[2,3], dtype=float32, backend=js, data=[1, 2, 3, 4, 5, 6])`.
   */
  toString(): string {
    const n = this.size;
    const show = (from: number, to: number): string[] =>
      Array.from(this.data.subarray(from, to), (x) => String(Number(x.toPrecision(4))));
    const numbers = n <= 6 ? show(0, n) : [...show(0, 3), "…", ...show(n - 3, n)];
    const extras = [
      this.requiresGrad ? ", requiresGrad" : "",
      this.op === "leaf" ? "" : `, op=${this.op}`,
    ].join("");
    const count = n > 6 ? ` (${n} numbers)` : "";
    return `Tensor(shape=${shapeText(this.shape)}, dtype=${this.dtype}, backend=${backend().name}${extras}, data=[${numbers.join(", ")}]${count})`;
  }

  /** What `console.log` shows in Node: `toString()`, not the whole typed array. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** The single number of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1)
      throw new RangeError(`item: tensor of shape ${shapeText(this.shape)} is not one number`);
    return this.data[0];
  }

  /** The numbers as nested arrays of the tensor's shape (a number for a scalar). */
  toArray(): number | unknown[] {
    const build = (axis: number, offset: number): number | unknown[] => {
      if (axis === this.shape.length) return this.data[offset];
      return Array.from({ length: this.shape[axis] }, (_, i) =>
        build(axis + 1, offset + i * this.strides[axis]),
      );
    };
    return build(0, 0);
  }

  /** The same numbers, cut off from the graph: no gradient flows through the result. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** @internal The gradient's numbers, allocated (zeros) on first use. */
  gradData(): Data {
    if (this.grad === null) this.grad = new Tensor(allocate(this.dtype, this.size), this.shape);
    return this.grad.data;
  }

  /**
   * The data and gradient as flat arrays, updated in place by the optimisers: a tensor is a
   * `HasParamBlock`, so `SGD` and `Adam` train tensors as they train `Value`s.
   */
  paramBlock(): { readonly data: Data; readonly grad: Data } {
    return { data: this.data, grad: this.gradData() };
  }

  /**
   * Computes d(this)/d(t) for every tensor `t` this one depends on that requires gradients,
   * and adds it to `t.grad` (leaves keep theirs; intermediate gradients are recycled).
   * Without an argument the tensor must hold one number (a loss); otherwise `grad` seeds it.
   */
  backward(grad?: Tensor): void {
    if (grad === undefined && this.size !== 1) {
      throw new RangeError(
        `backward: the output has shape ${shapeText(this.shape)}; pass its gradient or reduce it to one number`,
      );
    }
    if (grad !== undefined && grad.size !== this.size) {
      throw new RangeError(
        `backward: gradient of shape ${shapeText(grad.shape)} for output of shape ${shapeText(this.shape)}`,
      );
    }
    if (!this.requiresGrad)
      throw new Error("backward: this tensor does not depend on any tensor that requires gradients");
    const order = topologicalOrder(this);
    const grads = new Map<Tensor, Data>();
    const seed = scratch(this.dtype, this.size);
    if (grad === undefined) seed.fill(1);
    else seed.set(grad.data);
    grads.set(this, seed);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      if (t.backwardFn === null) {
        // only the root can be a leaf here: every other leaf's gradient went straight to `grad`
        const acc = t.gradData();
        for (let j = 0; j < g.length; j++) acc[j] += g[j];
      } else {
        // Each input gets a zeroed buffer to add into, created when first needed.
        pending = grads;
        t.backwardFn(g);
      }
      if (handedOver === g)
        handedOver = null; // now the gradient of an input (passGradient)
      else release(g);
    }
    pending = null;
  }
}

let pending: Map<Tensor, Data> | null = null;
let handedOver: Data | null = null;

/**
 * @internal For backward functions whose input's gradient is the output's, number for number
 * (reshape): hands `g` itself to `t` as its gradient buffer when `t` has none yet, sparing a
 * zeroed buffer and a pass over it. Returns false when the gradient must be added instead
 * (`t` is a leaf, already has a buffer, or needs no gradient).
 */
export function passGradient(t: Tensor, g: Data): boolean {
  if (!t.requiresGrad || pending === null || t.backwardFn === null || g.length !== t.size) return false;
  if (pending.has(t)) return false;
  pending.set(t, g);
  handedOver = g;
  return true;
}

/**
 * @internal For backward functions: the gradient buffer of input `t` to add into, or `null`
 * when no gradient flows to `t`.
 */
export function gradFor(t: Tensor): Data | null {
  if (!t.requiresGrad || pending === null) return null;
  // a leaf's gradient is added straight into its own `grad`
  if (t.backwardFn === null) return t.gradData();
  let g = pending.get(t);
  if (g === undefined) {
    g = scratch(t.dtype, t.size);
    pending.set(t, g);
  }
  return g;
}

/** Tensors that `root` depends on through tensors requiring gradients, inputs before outputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    if (next < t.inputs.length) {
      top[1]++;
      const input = t.inputs[next];
      if (input.requiresGrad && !seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * @internal Makes an op's output. It records its inputs and backward function only when some
 * input requires gradients and gradients are enabled.
 */
export function result(
  op: string,
  data: Data,
  shape: Shape,
  inputs: readonly Tensor[],
  backward: BackwardFn,
): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    return new Tensor(data, shape, { op, inputs, backward, requiresGrad: true });
  }
  return new Tensor(data, shape, { op });
}

export { isGradEnabled, noGrad } from "../engine/grad-mode.ts";
