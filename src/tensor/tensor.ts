import { isGradEnabled } from "../engine/grad-mode.ts";
import { backend, type Data, type DeviceArray, isHost, type Storage } from "./backend.ts";
import { checkShape, type Shape, shapeText, sizeOf, stridesOf } from "./shape.ts";
import { dtypeOf, release, scratch, storageFor } from "./storage-pool.ts";

// Where op outputs and gradient buffers come from (a file of its own; re-exported here, the
// tensor module's face, for the ops).
export { allocate, dtypeOf, release, scratch, storageFor } from "./storage-pool.ts";

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
export type BackwardFn = (grad: Storage) => void;

function onDevice(what: string, s: DeviceArray): Error {
  return new Error(
    `${what}: this tensor's numbers are on the GPU (${s.device} backend), which the host can only read asynchronously: use \`await t.read()\``,
  );
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
  #storage: Storage;
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
    data: Storage,
    shape: Shape,
    options: { requiresGrad?: boolean; op?: string; inputs?: readonly Tensor[]; backward?: BackwardFn } = {},
  ) {
    checkShape("Tensor", shape);
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: ${data.length} numbers do not fill shape ${shapeText(shape)}`);
    }
    this.#storage = data;
    this.shape = [...shape];
    this.op = options.op ?? "leaf";
    this.inputs = options.inputs ?? [];
    this.backwardFn = options.backward ?? null;
    this.requiresGrad = options.requiresGrad ?? false;
  }

  /**
   * The numbers, row-major, as a typed array. On the webgpu backend a float32 tensor's numbers
   * stay on the GPU: reading them there is an error that points to `await t.read()`.
   */
  get data(): Data {
    const s = this.#storage;
    if (isHost(s)) return s;
    throw onDevice("data", s);
  }

  /** @internal Where the numbers are: a typed array, or device storage (what kernels take). */
  get storage(): Storage {
    return this.#storage;
  }

  /** @internal Moves the numbers (an optimiser moving a parameter to the device, or back). */
  setStorage(s: Storage): void {
    if (s.length !== this.#storage.length) throw new RangeError("setStorage: the size differs");
    this.#storage = s;
  }

  /**
   * The numbers, once every kernel that computes them has run: the tensor's own typed array on
   * the host (js, wasm), a copy read back from the GPU on webgpu. The one way to see a GPU
   * tensor's numbers.
   *
   * @example
   * const [loss] = await crossEntropy(logits, targets).read();
   */
  async read(): Promise<Data> {
    const s = this.#storage;
    if (isHost(s)) return s;
    const k = backend();
    if (k.read === undefined || k.name !== s.device)
      throw new Error(`read: the tensor is on ${s.device}, but the backend now is ${k.name}`);
    return k.read(s);
  }

  /** How far one step along each axis moves in `data` (computed when first asked for). */
  get strides(): readonly number[] {
    if (this.#strides === null) this.#strides = stridesOf(this.shape);
    return this.#strides;
  }

  /** float32 or float64. */
  get dtype(): DType {
    return dtypeOf(this.#storage);
  }

  /** How many numbers the tensor holds. */
  get size(): number {
    return this.#storage.length;
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
    if (!isHost(this.#storage))
      return `Tensor(shape=${shapeText(this.shape)}, dtype=${this.dtype}, backend=${this.#storage.device}, data on the GPU: await t.read())`;
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
    if (!isHost(this.#storage)) throw onDevice("item", this.#storage);
    if (this.data.length !== 1)
      throw new RangeError(`item: tensor of shape ${shapeText(this.shape)} is not one number`);
    return this.data[0];
  }

  /** The numbers as nested arrays of the tensor's shape (a number for a scalar). */
  toArray(): number | unknown[] {
    if (!isHost(this.#storage)) throw onDevice("toArray", this.#storage);
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
    return new Tensor(this.#storage, this.shape);
  }

  /** @internal The gradient's storage, allocated (zeros) on first use. */
  gradData(): Storage {
    if (this.grad === null) this.grad = new Tensor(storageFor(this.dtype, this.size), this.shape);
    return this.grad.storage;
  }

  /**
   * The data and gradient as flat arrays, updated in place by the optimisers: a tensor is a
   * `HasParamBlock`, so `SGD` and `Adam` train tensors as they train `Value`s.
   */
  paramBlock(): { readonly data: Data; readonly grad: Data } {
    const grad = this.gradData();
    if (!isHost(grad)) throw onDevice("paramBlock", grad);
    return { data: this.data, grad };
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
    const grads = new Map<Tensor, Storage>();
    const k = backend();
    const seed = scratch(this.dtype, this.size);
    if (grad === undefined) k.fill(seed, 1);
    else k.binary("add", seed, grad.storage, seed);
    grads.set(this, seed);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      if (t.backwardFn === null) {
        // only the root can be a leaf here: every other leaf's gradient went straight to `grad`
        const acc = t.gradData();
        k.binary("add", acc, g, acc);
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

let pending: Map<Tensor, Storage> | null = null;
let handedOver: Storage | null = null;

/**
 * @internal For backward functions whose input's gradient is the output's, number for number
 * (reshape): hands `g` itself to `t` as its gradient buffer when `t` has none yet, sparing a
 * zeroed buffer and a pass over it. Returns false when the gradient must be added instead
 * (`t` is a leaf, already has a buffer, or needs no gradient).
 */
export function passGradient(t: Tensor, g: Storage): boolean {
  if (!t.requiresGrad || pending === null || t.backwardFn === null || g.length !== t.size) return false;
  // already some tensor's gradient (handed over once in this backward step), or t has a buffer
  if (handedOver === g || pending.has(t)) return false;
  pending.set(t, g);
  handedOver = g;
  return true;
}

/**
 * @internal For backward functions that computed an input's whole gradient into a new buffer
 * `buf` of their own (einsum): makes it `t`'s gradient buffer when `t` has none yet, sparing
 * a zeroed buffer and a pass adding into it. Returns false when it must be added instead.
 */
export function giveGradient(t: Tensor, buf: Storage): boolean {
  if (!t.requiresGrad || pending === null || t.backwardFn === null || buf.length !== t.size) return false;
  if (pending.has(t)) return false;
  pending.set(t, buf);
  return true;
}

/**
 * @internal For backward functions: the gradient buffer of input `t` to add into, or `null`
 * when no gradient flows to `t`.
 */
export function gradFor(t: Tensor): Storage | null {
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
  data: Storage,
  shape: Shape,
  inputs: readonly Tensor[],
  backward: BackwardFn,
): Tensor {
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    return new Tensor(data, shape, { op, inputs, backward, requiresGrad: true });
  }
  return new Tensor(data, shape, { op });
}

/**
 * Brings each tensor's numbers back to the host (after training on the GPU: to save the model,
 * or to read weights with `.data`). Tensors already on the host are left as they are; a later
 * optimiser step on a device backend moves parameters back.
 *
 * @example
 * await toHost(model.parameters()); // now model.parameters()[0].data works
 */
export async function toHost(tensors: Iterable<Tensor>): Promise<void> {
  for (const t of tensors) if (!isHost(t.storage)) t.setStorage(await t.read());
}

/**
 * @internal Moves a float32 tensor's numbers into the backend's device storage (a parameter an
 * optimiser is about to update on the GPU); no change on host backends or for float64.
 */
export function toDevice(t: Tensor): Storage {
  const s = t.storage;
  if (!isHost(s)) return s;
  const k = backend();
  const device = k.alloc?.(t.dtype, t.size);
  if (device === undefined || isHost(device)) return s;
  k.binary("add", device, s, device); // zeros + the host numbers: an upload
  t.setStorage(device);
  return device;
}

export { isGradEnabled, noGrad } from "../engine/grad-mode.ts";
