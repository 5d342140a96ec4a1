import { jsBackend } from "./backends/js.ts";
import type { WasmBackendOptions } from "./backends/wasm/wasm-backend.ts";
import type { ElementwiseArrays, ElementwiseExpr } from "./elementwise-expr.ts";

/**
 * The typed arrays tensors store their numbers in.
 *
 * @example
 * const data: Data = tensor([1, 2, 3]).data; // a Float32Array
 */
export type Data = Float32Array | Float64Array;

/**
 * Elementwise functions of one input (`pow` takes its exponent as `param`).
 *
 * @example
 * const k: UnaryKernel = "tanh";
 */
export type UnaryKernel = "neg" | "exp" | "log" | "tanh" | "relu" | "sigmoid" | "sqrt" | "abs" | "pow";

/**
 * Elementwise functions of two inputs of the same length (comparisons give 1 or 0).
 *
 * @example
 * const k: BinaryKernel = "add";
 */
export type BinaryKernel =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "max"
  | "min"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge";

/**
 * Reductions along one axis.
 *
 * @example
 * const k: ReduceKernel = "sum";
 */
export type ReduceKernel = "sum" | "max";

/**
 * Kernels a backend may add for speed: each does in one pass what a chain of forward kernels
 * does, and must give the same numbers as that chain (the composite; see
 * `test/tensor/fused.test.ts`). A backend without them loses speed, never correctness.
 *
 * @example
 * const fused: FusedKernels = { elementwise: () => false }; // has none: the composite runs
 */
export interface FusedKernels {
  /**
   * `out[i] = e(inputs[i])`, or `out[i] += e(inputs[i])` when `accumulate`, generated from the
   * expression (e.g. an op's derivative rule from `ops/unary-rules.ts`). Returns false, having
   * done nothing, when the backend has no kernel for this expression or these arrays.
   */
  elementwise?(e: ElementwiseExpr, inputs: ElementwiseArrays, out: Data, accumulate: boolean): boolean;
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
 * The kernels a backend provides: loops over flat typed arrays, with no knowledge of tensors or
 * gradients. Backends supply forward kernels only: every derivative is written once, in
 * `src/tensor/ops/`, over these (a backend may add `fused` kernels for speed). The
 * plain-TypeScript backend (`js`) is the reference every faster backend is tested against.
 *
 * @example
 * const b: Backend = await init("wasm");
 */
export interface Backend {
  /** Which backend this is. */
  readonly name: string;
  /** `out[i] = f(x[i])`. */
  unary(op: UnaryKernel, x: Data, out: Data, param: number): void;
  /** `out[i] = f(a[i], b[i])`; all three have the same length. */
  binary(op: BinaryKernel, a: Data, b: Data, out: Data): void;
  /** `out[i] = f(a[i], b[i mod b.length])`: `b` repeated along `a` (a bias added to every row). */
  binaryRows(op: BinaryKernel, a: Data, b: Data, out: Data): void;
  /** `out[i] = f(a[i], s)` for a scalar `s`. */
  binaryScalar(op: BinaryKernel, a: Data, s: number, out: Data): void;
  /**
   * `out[i] = x[offset + Σ_d idx_d(i) · strides[d]]` over every index of `outShape`: a strided
   * view copied out (broadcasting, transposes and slices are all this, with strides 0 where an
   * axis is stretched).
   */
  gatherStrided(
    x: Data,
    offset: number,
    strides: readonly number[],
    outShape: readonly number[],
    out: Data,
  ): void;
  /** The reverse of `gatherStrided`: `dx[offset + Σ idx·strides] += g[i]`. */
  scatterAddStrided(
    g: Data,
    outShape: readonly number[],
    dx: Data,
    offset: number,
    strides: readonly number[],
  ): void;
  /** Reduces `x`, viewed as `[outer, mid, inner]`, over its middle axis into `out` (`[outer, inner]`). */
  reduce(op: ReduceKernel, x: Data, outer: number, mid: number, inner: number, out: Data): void;
  /**
   * `out (m×n) = op(A) · op(B)` (or `+=` when `accumulate`), where op(A) is m×k and op(B) k×n;
   * `transA` means A is stored k×m, `transB` that B is stored n×k. Offsets select one matrix
   * of a batch.
   */
  matmul(
    a: Data,
    aOffset: number,
    b: Data,
    bOffset: number,
    out: Data,
    outOffset: number,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;
  /**
   * Image patches as columns (im2col): `out` is `[channels·kernelH·kernelW, batch·outH·outW]`;
   * row (c, ky, kx) holds, for each output pixel (n, oy, ox), the input under that kernel
   * position; positions in the padding read `padValue`.
   */
  im2col(x: Data, geometry: ConvGeometry, out: Data, padValue: number): void;
  /**
   * The reverse of `im2col` (col2im): every number of `cols` added into the image position it
   * was read from (padding positions are dropped), so overlapping windows sum.
   */
  col2im(cols: Data, geometry: ConvGeometry, dx: Data): void;
  /** Softmax (or log-softmax when `log`) of each row of a `rows × cols` matrix, stable. */
  softmax(x: Data, rows: number, cols: number, out: Data, log: boolean): void;
  /** Optional fused kernels (speed only; each tested equal to the composite it replaces). */
  readonly fused?: FusedKernels;
}

/**
 * Names of the backends that can be loaded.
 *
 * @example
 * await init("wasm" satisfies BackendName);
 */
export type BackendName = "js" | "wasm";

/**
 * Options of `init`: for "wasm", threads, a worker factory, thresholds (see `WasmBackendOptions`).
 *
 * @example
 * await init("wasm", { threads: 2 });
 */
export type InitOptions = WasmBackendOptions;

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
    default:
      throw new RangeError(`init: unknown backend "${name as string}" (available: js, wasm)`);
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
