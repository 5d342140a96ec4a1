import type { BinaryKernel, UnaryKernel } from "../engine/expr.ts";
import { jsBackend } from "./backends/js.ts";
import type { WasmBackendOptions } from "./backends/wasm/wasm-backend.ts";
import type { WebGpuOptions } from "./backends/webgpu/webgpu-backend.ts";
import type { ElementwiseArrays, ElementwiseExpr } from "./elementwise-expr.ts";

/**
 * The typed arrays tensors store their numbers in.
 *
 * @example
 * const data: Data = tensor([1, 2, 3]).data; // a Float32Array
 */
export type Data = Float32Array | Float64Array;

/**
 * Numbers that live on a device (a GPU buffer): the host holds only this handle. Reading them
 * is asynchronous (`await tensor.read()`); only the backend that made them runs kernels on them.
 *
 * @example
 * const onGpu: DeviceArray = { length: 4, dtype: "float32", device: "webgpu" };
 */
export interface DeviceArray {
  /** How many numbers. */
  readonly length: number;
  /** Devices hold float32 only. */
  readonly dtype: "float32";
  /** The backend that owns the buffer, e.g. "webgpu". */
  readonly device: string;
}

/**
 * Where a tensor's numbers are: a typed array on the host (js, wasm, and float64 everywhere)
 * or a `DeviceArray` (float32 on the webgpu backend). Kernels take and write storages.
 *
 * @example
 * const s: Storage = new Float32Array(3);
 */
export type Storage = Data | DeviceArray;

/**
 * True when the numbers are in a typed array the host can read now.
 *
 * @example
 * isHost(new Float32Array(2)); // true
 */
export function isHost(s: Storage): s is Data {
  return s instanceof Float32Array || s instanceof Float64Array;
}

// The elementwise kernels' names are the expression language's (engine/expr.ts).
export type { BinaryKernel, UnaryKernel } from "../engine/expr.ts";

/**
 * Reductions along one axis (`argmax` gives the index of the first maximum, as a number; a NaN
 * wins, as in `max`).
 *
 * @example
 * const k: ReduceKernel = "sum";
 */
export type ReduceKernel = "sum" | "max" | "argmax";

/**
 * Kernels a backend may add for speed: each does in one pass what a chain of forward kernels
 * does, and must give the same numbers as that chain (the composite; see
 * `test/tensor/fused.test.ts`). A backend without them loses speed, never correctness.
 *
 * @example
 * const fused: FusedKernels = { elementwise: () => false }; // has none: the composite runs
 */
export interface FusedKernels<S extends Storage = Storage> {
  /**
   * `out[i] = e(inputs[i])`, or `out[i] += e(inputs[i])` when `accumulate`, generated from the
   * expression (e.g. an op's derivative rule from `engine/rules.ts`). Returns false, having
   * done nothing, when the backend has no kernel for this expression or these arrays.
   */
  elementwise?(e: ElementwiseExpr, inputs: ElementwiseArrays<S>, out: S, accumulate: boolean): boolean;
  /**
   * Layer normalisation of each row of `rows × cols` `x` (`ops/layer-norm.ts`): writes
   * `rstd = (var + eps)^−½` per row, `xhat = (x − mean)·rstd` and `y = xhat·w + b` (`w`, `b`
   * of length `cols`, either null). Returns false, having done nothing, when it cannot.
   */
  layerNorm?(
    x: S,
    w: S | null,
    b: S | null,
    rows: number,
    cols: number,
    eps: number,
    out: { readonly y: S; readonly xhat: S; readonly rstd: S },
  ): boolean;
  /**
   * Layer normalisation's gradients from the output's `g` and the forward's `xhat`, `rstd`:
   * `dx += rstd·(ĝ − mean(ĝ) − xhat·mean(ĝ·xhat))` per row with `ĝ = g·w`, `dw += Σ_rows g·xhat`,
   * `db += Σ_rows g` (each skipped when null). Returns false, having done nothing, when it cannot.
   */
  layerNormGrad?(
    g: S,
    xhat: S,
    rstd: S,
    w: S | null,
    rows: number,
    cols: number,
    grads: { readonly dx: S | null; readonly dw: S | null; readonly db: S | null },
  ): boolean;
  /**
   * The gradient of a row (log-)softmax (`ops/softmax.ts`) from its output `y` and the
   * output's gradient `g`, added into `dx`: `y·(g − Σ g·y)` per row, or for log-softmax
   * `g − e^y·Σ g`. Returns false, having done nothing, when it cannot.
   */
  softmaxGrad?(y: S, g: S, rows: number, cols: number, log: boolean, dx: S): boolean;
}

/**
 * Where the windows of a 2-D convolution or pooling fall on a batch of NCHW images: `im2col`
 * and `col2im` read it. Output sizes are `(size + 2·pad − kernel) / stride + 1`, rounded down.
 *
 * @example
 * const g: ConvGeometry = { batch: 64, channels: 1, height: 28, width: 28, kernelH: 5, kernelW: 5,
 *   strideH: 1, strideW: 1, padH: 2, padW: 2, outH: 28, outW: 28 };
 */
export interface ConvGeometry {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * A batch of matrix products for `Backend.matmulBatch`: product i reads A at `i·aStep` and B at
 * `i·bStep` (0: one matrix the whole batch shares) and writes `out` at `i·outStep`; `outStep` 0
 * sums the `count` products into one output (the gradient of a shared operand). Each product is
 * `op(A) (m×k) · op(B) (k×n)`, transposed and accumulated as in `matmul`.
 *
 * @example
 * // [4, 3, 5] @ [5, 2] -> [4, 3, 2]: B shared
 * const p: MatmulBatch = { count: 4, aStep: 15, bStep: 0, outStep: 6, m: 3, k: 5, n: 2,
 *   transA: false, transB: false, accumulate: false };
 */
export interface MatmulBatch {
  /** How many products. */
  readonly count: number;
  /** Numbers between one A and the next (0: all share one). */
  readonly aStep: number;
  /** Numbers between one B and the next (0: all share one). */
  readonly bStep: number;
  /** Numbers between one output and the next (0: the products are summed into one). */
  readonly outStep: number;
  /** Rows of each product. */
  readonly m: number;
  /** The length each row and column are multiplied over. */
  readonly k: number;
  /** Columns of each product. */
  readonly n: number;
  /** A is stored k×m. */
  readonly transA: boolean;
  /** B is stored n×k. */
  readonly transB: boolean;
  /** Add to `out` rather than overwrite it. */
  readonly accumulate: boolean;
}

/**
 * The kernels a backend provides: loops over flat storages (typed arrays `S = Data` on the host
 * backends), with no knowledge of tensors or gradients. Backends supply forward kernels only: every derivative is written once, in
 * `src/tensor/ops/`, over these (a backend may add `fused` kernels for speed). The
 * plain-TypeScript backend (`js`) is the reference every faster backend is tested against.
 *
 * @example
 * const b: Backend = await init("wasm");
 */
export interface Backend<S extends Storage = Storage> {
  /** Which backend this is. */
  readonly name: string;
  /** `out[i] = f(x[i])`. */
  unary(op: UnaryKernel, x: S, out: S, param: number): void;
  /** `out[i] = f(a[i], b[i])`; all three have the same length. */
  binary(op: BinaryKernel, a: S, b: S, out: S): void;
  /** `out[i] = f(a[i], b[i mod b.length])`: `b` repeated along `a` (a bias added to every row). */
  binaryRows(op: BinaryKernel, a: S, b: S, out: S): void;
  /** `out[i] = f(a[i], s)` for a scalar `s`. */
  binaryScalar(op: BinaryKernel, a: S, s: number, out: S): void;
  /**
   * `out[i] = x[offset + Σ_d idx_d(i) · strides[d]]` over every index of `outShape`: a strided
   * view copied out (broadcasting, transposes and slices are all this, with strides 0 where an
   * axis is stretched).
   */
  gatherStrided(x: S, offset: number, strides: readonly number[], outShape: readonly number[], out: S): void;
  /** The reverse of `gatherStrided`: `dx[offset + Σ idx·strides] += g[i]`. */
  scatterAddStrided(
    g: S,
    outShape: readonly number[],
    dx: S,
    offset: number,
    strides: readonly number[],
  ): void;
  /** Reduces `x`, viewed as `[outer, mid, inner]`, over its middle axis into `out` (`[outer, inner]`). */
  reduce(op: ReduceKernel, x: S, outer: number, mid: number, inner: number, out: S): void;
  /**
   * `out (m×n) = op(A) · op(B)` (or `+=` when `accumulate`), where op(A) is m×k and op(B) k×n;
   * `transA` means A is stored k×m, `transB` that B is stored n×k. Offsets select one matrix
   * of a batch.
   */
  matmul(
    a: S,
    aOffset: number,
    b: S,
    bOffset: number,
    out: S,
    outOffset: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;
  /**
   * A batch of products in one call (see `MatmulBatch`). Optional: where a backend lacks it
   * the ops call `matmul` once per matrix (`matmulBatch` in matmul-batch.ts); the webgpu
   * backend has it, so a batch is one dispatch rather than one per matrix.
   */
  matmulBatch?(a: S, b: S, out: S, batch: MatmulBatch): void;
  /**
   * Image patches as columns (im2col): `out` is `[channels·kernelH·kernelW, batch·outH·outW]`;
   * row (c, ky, kx) holds, for each output pixel (n, oy, ox), the input under that kernel
   * position; positions in the padding read `padValue`.
   */
  im2col(x: S, geometry: ConvGeometry, out: S, padValue: number): void;
  /**
   * The reverse of `im2col` (col2im): every number of `cols` added into the image position it
   * was read from (padding positions are dropped), so overlapping windows sum.
   */
  col2im(cols: S, geometry: ConvGeometry, dx: S): void;
  /** Softmax (or log-softmax when `log`) of each row of a `rows × cols` matrix, stable. */
  softmax(x: S, rows: number, cols: number, out: S, log: boolean): void;
  /** `out[i] = value` everywhere. */
  fill(out: S, value: number): void;
  /**
   * `out[j·width + i] = x[starts[j] + i]`: rows (or single numbers, width 1) picked by their
   * start, e.g. the rows of an embedding table.
   */
  gatherRows(x: S, starts: Int32Array, width: number, out: S): void;
  /** The reverse of `gatherRows`: `dx[starts[j] + i] += g[j·width + i]` (starts may repeat). */
  scatterAddRows(g: S, starts: Int32Array, width: number, dx: S): void;
  /**
   * `dx[(o·mid + index[o·inner + i])·inner + i] += g[o·inner + i]`: each number of `g` added at
   * the position along the middle axis that `index` names (the reverse of an `argmax` pick).
   */
  scatterAddAt(g: S, index: S, outer: number, mid: number, inner: number, dx: S): void;
  /**
   * Storage for `n` zeros of `dtype`, when the backend keeps numbers elsewhere than in typed
   * arrays (a device backend); without it, tensors get typed arrays.
   */
  alloc?(dtype: "float32" | "float64", n: number): Storage;
  /** Gives device storage back to the backend's pool; nothing may use it afterwards. */
  free?(s: DeviceArray): void;
  /** Copies device storage to the host, once the kernels queued before have run. */
  read?(s: DeviceArray): Promise<Data>;
  /** Optional fused kernels (speed only; each tested equal to the composite it replaces). */
  readonly fused?: FusedKernels<S>;
}

/**
 * Names of the backends that can be loaded.
 *
 * @example
 * await init("wasm" satisfies BackendName);
 */
export type BackendName = "js" | "wasm" | "webgpu";

/**
 * Options of `init`: for "wasm", threads, a worker factory, thresholds (see `WasmBackendOptions`);
 * for "webgpu", where the adapter comes from (see `WebGpuOptions`).
 *
 * @example
 * await init("wasm", { threads: 2 });
 */
export type InitOptions = WasmBackendOptions & WebGpuOptions;

let current: Backend = jsBackend;

/**
 * The backend tensor ops run on (the `js` reference backend unless `init` chose another).
 *
 * @example
 * backend().name; // "js" unless init() chose another
 */
export function backend(): Backend {
  return current;
}

/**
 * Chooses the backend explicitly; faster backends are loaded on demand, never on import.
 *
 * @example
 * await init("js");
 */
export async function init(name: BackendName = "js", options: InitOptions = {}): Promise<Backend> {
  let next: Backend;
  switch (name) {
    case "js":
      next = jsBackend;
      break;
    case "wasm": {
      // Loaded only when asked for, so the js-only library never fetches or compiles it.
      const { createWasmBackend } = await import("./backends/wasm/wasm-backend.ts");
      next = await createWasmBackend(options);
      break;
    }
    case "webgpu": {
      // Loaded only when asked for; in Node it imports the optional `webgpu` package then.
      const { createWebGpuBackend } = await import("./backends/webgpu/webgpu-backend.ts");
      next = await createWebGpuBackend(options);
      break;
    }
    default:
      throw new RangeError(`init: unknown backend "${name as string}" (available: js, wasm, webgpu)`);
  }
  // A backend with workers (wasm with threads) stops them when it is replaced.
  if (current !== next) (current as { dispose?: () => void }).dispose?.();
  current = next;
  return current;
}

/**
 * Runs tensor ops on `b` from now on (for backends built outside the library, and tests).
 *
 * @example
 * setBackend(jsBackend); // back to the reference backend
 */
export function setBackend(b: Backend): void {
  current = b;
}
