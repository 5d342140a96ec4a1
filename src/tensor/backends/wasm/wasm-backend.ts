import type { Backend, BinaryKernel, Data, UnaryKernel } from "../../backend.ts";
import { type ElementwiseExpr, ex, exprText } from "../../elementwise-expr.ts";
import { jsBackend, runStarts } from "../js.ts";
import { ELEMENTWISE, type ElementwiseKernel } from "./expr-kernel.ts";
import { wasmLayerNorm } from "./layer-norm-calls.ts";
import { type ExprKernel, WasmRuntime, type WasmRuntimeOptions } from "./runtime.ts";

/**
 * Options of the `wasm` backend (`init("wasm", options)`).
 *
 * @example
 * await init("wasm", { threads: 4, minMatmul: 4096 });
 */
export interface WasmBackendOptions extends WasmRuntimeOptions {
  /**
   * Matrix products with fewer multiply-adds than this run on the js backend, where copying
   * the operands into WebAssembly memory would cost more than it saves (default 8192; 0 sends
   * every float32 product to WebAssembly, as the agreement tests do).
   */
  readonly minMatmul?: number;
  /** Elementwise calls on fewer elements than this run on the js backend (default 256). */
  readonly minElementwise?: number;
}

/**
 * The `wasm` backend: a `Backend`, plus what it was built with and a way to stop its workers.
 *
 * @example
 * const wasm = (await init("wasm")) as WasmBackend;
 * wasm.threads;
 * wasm.dispose(); // stop its workers
 */
export interface WasmBackend extends Backend<Data> {
  /** Threads sharing large matrix products (1 without workers). */
  readonly threads: number;
  /** Whether the matrix product uses relaxed-SIMD fused multiply-add. */
  readonly fma: boolean;
  /** Bytes of WebAssembly memory in use (flat once the largest call has been seen). */
  memoryBytes(): number;
  /** Stops the workers. */
  dispose(): void;
}

const WASM_UNARY: ReadonlySet<UnaryKernel> = new Set(ELEMENTWISE);

type Arith = "add" | "sub" | "mul" | "div";
const ARITH: ReadonlySet<BinaryKernel> = new Set(["add", "sub", "mul", "div"]);
/** The binary kernels as expressions of two inputs (x op y), compiled once each. */
const BINARY: Readonly<Record<Arith, ElementwiseExpr>> = {
  add: ex.add(ex.x, ex.y),
  sub: ex.sub(ex.x, ex.y),
  mul: ex.mul(ex.x, ex.y),
  div: ex.div(ex.x, ex.y),
};

function f32(x: Data): x is Float32Array {
  return x instanceof Float32Array;
}

/**
 * Creates the WebAssembly backend: float32 matrix products (packed, SIMD, optionally threaded),
 * exp/log/tanh/sigmoid/ReLU and (log-)softmax run in WebAssembly, and so do fused kernels
 * generated from the ops' derivative rules (e.g. ReLU's, branch-free), large +−×÷, sums over
 * rows, layer norm, the (log-)softmax gradient and strided copies (transposes, attention's head
 * split); float64 data, small calls and the other memory-bound kernels (row gathers, sums along
 * a row) run on the js reference backend, which is as fast for them and needs no copy. Prefer `init("wasm", options)`, which loads this on demand.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const products = await WasmRuntime.create(options);
  // With workers the products' memory is shared, and V8 copies into and out of shared memory
  // word by word (about 1.8x slower): every other kernel runs on a plain memory of its own.
  const rt = products.threads > 1 ? await WasmRuntime.create({ ...options, threads: 1 }) : products;
  const minMatmul = options.minMatmul ?? 8192;
  const minElementwise = options.minElementwise ?? 256;
  const js = jsBackend;
  const layerNorm = wasmLayerNorm(rt, minElementwise);
  // +−×÷ in WebAssembly when large enough: the typed-array copies in and out are native
  // memcpys, and the SIMD loop is several times faster than the js one (which stays the
  // reference, and runs small calls and float64)
  const arith = (op: BinaryKernel, out: Data): out is Float32Array =>
    ARITH.has(op) && f32(out) && out.length >= minElementwise && rt.fits(3 * out.length);
  const binaryInWasm = (
    op: BinaryKernel,
    a: Float32Array,
    writeB: (heap: Float32Array, at: number) => void,
    out: Float32Array,
  ): void => {
    const kernel = rt.kernel(BINARY[op as Arith], () => exprText(BINARY[op as Arith]), false) as ExprKernel;
    const n = out.length;
    rt.reset();
    const pa = rt.alloc(n);
    const pb = rt.alloc(n);
    const dst = rt.alloc(n);
    const heap = rt.heap;
    heap.set(a, pa >> 2);
    writeB(heap, pb >> 2);
    kernel.run(pa, pb, dst, n);
    out.set(heap.subarray(dst >> 2, (dst >> 2) + n));
  };
  // A strided copy as runs (see strided-kernel.ts): the span of the strided side, the run
  // starts and the dense side go in; whichever side was written comes back.
  const runsInWasm = (
    add: boolean,
    strided: Float32Array,
    dense: Float32Array,
    starts: Int32Array,
    n: number,
    step: number,
  ): boolean => {
    const reach = (n - 1) * step;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < starts.length; r++) {
      lo = Math.min(lo, starts[r] + Math.min(0, reach));
      hi = Math.max(hi, starts[r] + Math.max(0, reach));
    }
    const span = hi - lo + 1;
    const size = starts.length * n;
    if (!rt.fits(span + size + starts.length)) return false;
    rt.reset();
    const ps = rt.alloc(span);
    const pd = rt.alloc(size);
    const pst = rt.alloc(starts.length);
    const heap = rt.heap;
    new Int32Array(heap.buffer, pst, starts.length).set(starts);
    heap.set(strided.subarray(lo, hi + 1), ps >> 2);
    // the starts index the whole strided array: its element 0 sits lo numbers before ps
    const base = ps - 4 * lo;
    if (add) {
      heap.set(dense.subarray(0, size), pd >> 2);
      rt.stridedRuns(true, pd, pst, starts.length, n, step, base);
      strided.set(heap.subarray(ps >> 2, (ps >> 2) + span), lo);
    } else {
      rt.stridedRuns(false, base, pst, starts.length, n, step, pd);
      dense.set(heap.subarray(pd >> 2, (pd >> 2) + size));
    }
    return true;
  };
  return {
    name: "wasm",
    threads: products.threads,
    fma: products.fma,
    memoryBytes: () => products.memoryBytes + (rt === products ? 0 : rt.memoryBytes),
    dispose: () => products.dispose(),
    unary(op, x, out, param) {
      const n = x.length;
      if (!WASM_UNARY.has(op) || !f32(x) || !f32(out) || n < minElementwise || !rt.fits(2 * n)) {
        js.unary(op, x, out, param);
        return;
      }
      rt.reset();
      const src = rt.alloc(n);
      const dst = rt.alloc(n);
      const heap = rt.heap;
      heap.set(x, src >> 2);
      rt.unary(op as ElementwiseKernel, src, dst, n);
      out.set(heap.subarray(dst >> 2, (dst >> 2) + n));
    },
    fused: {
      elementwise(e, inputs, out, accumulate) {
        const n = out.length;
        const kernel = f32(out) && n >= minElementwise ? rt.kernel(e, () => exprText(e), accumulate) : null;
        const arrays: Float32Array[] = [];
        for (const name of kernel?.inputs ?? []) {
          const a = inputs[name];
          if (a !== undefined && f32(a) && a.length === n) arrays.push(a);
        }
        if (kernel === null || arrays.length < kernel.inputs.length || !rt.fits((arrays.length + 1) * n)) {
          return js.fused?.elementwise?.(e, inputs, out, accumulate) === true;
        }
        rt.reset();
        const at = arrays.map(() => rt.alloc(n));
        const dst = rt.alloc(n);
        const heap = rt.heap;
        arrays.forEach((a, i) => heap.set(a, at[i] >> 2));
        if (accumulate) heap.set(out, dst >> 2);
        kernel.run(...at, dst, n);
        out.set(heap.subarray(dst >> 2, (dst >> 2) + n));
        return true;
      },
      layerNorm: (x, w, b, rows, cols, eps, out) =>
        layerNorm.layerNorm(x, w, b, rows, cols, eps, out) ||
        js.fused?.layerNorm?.(x, w, b, rows, cols, eps, out) === true,
      layerNormGrad: (g, xhat, rstd, w, rows, cols, grads) =>
        layerNorm.layerNormGrad(g, xhat, rstd, w, rows, cols, grads) ||
        js.fused?.layerNormGrad?.(g, xhat, rstd, w, rows, cols, grads) === true,
      softmaxGrad(y, g, rows, cols, log, dx) {
        const n = rows * cols;
        if (
          (!log && cols % 4 !== 0) ||
          !f32(y) ||
          !f32(g) ||
          !f32(dx) ||
          n < minElementwise ||
          !rt.fits(3 * n)
        )
          return js.fused?.softmaxGrad?.(y, g, rows, cols, log, dx) === true;
        rt.reset();
        const [py, pg, pd] = [rt.alloc(n), rt.alloc(n), rt.alloc(n)];
        const heap = rt.heap;
        heap.set(y.subarray(0, n), py >> 2);
        heap.set(g.subarray(0, n), pg >> 2);
        heap.set(dx.subarray(0, n), pd >> 2);
        rt.softmaxGrad(py, pg, pd, rows, cols, log);
        dx.set(heap.subarray(pd >> 2, (pd >> 2) + n));
        return true;
      },
    },
    binary(op, a, b, out) {
      if (!arith(op, out) || !f32(a) || !f32(b)) js.binary(op, a, b, out);
      else binaryInWasm(op, a, (heap, at) => heap.set(b, at), out);
    },
    binaryRows(op, a, b, out) {
      // b is copied once per row: short rows are cheaper in the js loop
      if (!arith(op, out) || !f32(a) || !f32(b) || b.length < 16) js.binaryRows(op, a, b, out);
      else
        binaryInWasm(
          op,
          a,
          (heap, at) => {
            for (let row = 0; row < out.length; row += b.length)
              heap.set(row + b.length <= out.length ? b : b.subarray(0, out.length - row), at + row);
          },
          out,
        );
    },
    binaryScalar(op, a, s, out) {
      // js rounds once, after computing with s in float64: only a float32 s gives its numbers
      if (!arith(op, out) || !f32(a) || Math.fround(s) !== s) js.binaryScalar(op, a, s, out);
      else binaryInWasm(op, a, (heap, at) => heap.fill(s, at, at + out.length), out);
    },
    gatherStrided(x, offset, strides, outShape, out) {
      const [n, step] = [outShape[outShape.length - 1], strides[strides.length - 1]];
      // (runs of 64 or more consecutive numbers are native copies in the js loop already)
      if (f32(x) && f32(out) && out.length >= minElementwise && !(step === 1 && n >= 64)) {
        const starts = runStarts(outShape, strides, offset);
        if (starts !== null && runsInWasm(false, x, out, starts, n, step)) return;
      }
      js.gatherStrided(x, offset, strides, outShape, out);
    },
    scatterAddStrided(g, shape, dx, offset, strides) {
      if (f32(g) && f32(dx) && g.length >= minElementwise) {
        const starts = runStarts(shape, strides, offset);
        const [n, step] = [shape[shape.length - 1], strides[strides.length - 1]];
        if (starts !== null && runsInWasm(true, dx, g, starts, n, step)) return;
      }
      js.scatterAddStrided(g, shape, dx, offset, strides);
    },
    reduce(op, x, outer, mid, inner, out) {
      // sums over rows four columns at a time (the js loop's order and float32 rounding)
      const n = outer * mid * inner;
      if (
        op !== "sum" ||
        inner < 4 ||
        !f32(x) ||
        !f32(out) ||
        n < minElementwise ||
        !rt.fits(n + outer * inner)
      ) {
        js.reduce(op, x, outer, mid, inner, out);
        return;
      }
      rt.reset();
      const src = rt.alloc(n);
      const dst = rt.alloc(outer * inner);
      const heap = rt.heap;
      heap.set(x.subarray(0, n), src >> 2);
      rt.sumMid(src, dst, outer, mid, inner);
      out.set(heap.subarray(dst >> 2, (dst >> 2) + outer * inner));
    },
    fill: js.fill,
    gatherRows: js.gatherRows,
    scatterAddRows: js.scatterAddRows,
    scatterAddAt: js.scatterAddAt,
    // Patch copies are memory-bound, like the strided copies: the products that follow them
    // are where WebAssembly pays, so these run the reference loops on the data in place.
    im2col: js.im2col,
    col2im: js.col2im,
    matmul(a, aOffset, b, bOffset, out, outOffset, m, k, n, transA, transB, accumulate) {
      const work = m * n * k;
      // (a product too small to share runs on the plain memory: no shared copies)
      const on = products.splits(work) ? products : rt;
      if (
        work === 0 ||
        work < minMatmul ||
        !f32(a) ||
        !f32(b) ||
        !f32(out) ||
        !on.fits(m * k + k * n + m * n)
      ) {
        js.matmul(a, aOffset, b, bOffset, out, outOffset, m, k, n, transA, transB, accumulate);
        return;
      }
      on.reset();
      const pa = on.alloc(m * k);
      const pb = on.alloc(k * n);
      const pc = on.alloc(m * n);
      const heap = on.heap;
      heap.set(a.subarray(aOffset, aOffset + m * k), pa >> 2);
      heap.set(b.subarray(bOffset, bOffset + k * n), pb >> 2);
      if (accumulate) heap.set(out.subarray(outOffset, outOffset + m * n), pc >> 2);
      const [rsA, csA] = transA ? [1, m] : [k, 1];
      const [rsB, csB] = transB ? [1, k] : [n, 1];
      on.gemm(m, n, k, pa, rsA, csA, pb, rsB, csB, pc, n, accumulate);
      out.set(heap.subarray(pc >> 2, (pc >> 2) + m * n), outOffset);
    },
    softmax(x, rows, cols, out, log) {
      const n = rows * cols;
      if (!f32(x) || !f32(out) || n < minElementwise || !rt.fits(2 * n)) {
        js.softmax(x, rows, cols, out, log);
        return;
      }
      rt.reset();
      const src = rt.alloc(n);
      const dst = rt.alloc(n);
      const heap = rt.heap;
      heap.set(x.subarray(0, n), src >> 2);
      rt.softmax(src, dst, rows, cols, log);
      out.set(heap.subarray(dst >> 2, (dst >> 2) + n));
    },
  };
}
