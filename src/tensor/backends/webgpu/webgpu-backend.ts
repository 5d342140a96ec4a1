import type {
  Backend,
  BinaryKernel,
  ConvGeometry,
  Data,
  MatmulBatch,
  Storage,
  UnaryKernel,
} from "../../backend.ts";
import {
  type ElementwiseArrays,
  type ElementwiseExpr,
  ex,
  exprInputs,
  exprText,
} from "../../elementwise-expr.ts";
import { jsBackend } from "../js.ts";
import { adapterName, findAdapter } from "./adapter.ts";
import { Gpu, GpuArray, groupsFor } from "./device.ts";
import type { GpuBuffer, Gpu as GpuEntry } from "./gpu-types.ts";
import { elementwiseWgsl, type InputMode } from "./wgsl-elementwise.ts";
import {
  COL2IM_WGSL,
  convParams,
  FILL_WGSL,
  GATHER_ROWS_WGSL,
  IM2COL_WGSL,
  MATMUL_WGSL,
  reduceWgsl,
  SCATTER_AT_WGSL,
  SCATTER_ROWS_WGSL,
  SOFTMAX_WGSL,
  stridedWgsl,
} from "./wgsl-kernels.ts";

/** Most workgroups along one dimension of a dispatch that every WebGPU device allows. */
const MAX_LAYERS = 65535;

/**
 * Options of the `webgpu` backend (`init("webgpu", options)`).
 *
 * @example
 * await init("webgpu", { gpu: navigator.gpu });
 */
export interface WebGpuOptions {
  /** The WebGPU entry point (default: `navigator.gpu`, else the `webgpu` package in Node). */
  readonly gpu?: GpuEntry;
}

/**
 * Bytes of GPU memory the webgpu backend holds.
 *
 * @example
 * const { live, pooled }: GpuMemory = gpu.memory();
 */
export interface GpuMemory {
  /** In buffers that tensors (and scratch gradients) hold. */
  readonly live: number;
  /** In free buffers waiting in the pool for their size to be asked for again. */
  readonly pooled: number;
}

/**
 * The `webgpu` backend: a `Backend` whose float32 numbers live in GPU buffers, plus what it runs on.
 *
 * @example
 * const gpu = (await init("webgpu")) as WebGpuBackend;
 * gpu.adapter; // e.g. "SwiftShader driver 5.0.0"
 */
export interface WebGpuBackend extends Backend {
  /** The adapter's name, e.g. "SwiftShader driver 5.0.0". */
  readonly adapter: string;
  /** Bytes of GPU buffers held by tensors (`live`) and free in the pool (`pooled`). */
  memory(): GpuMemory;
  /** Resolves once every queued kernel has run (for timings). */
  finish(): Promise<void>;
}

/** True for numbers in a typed array (float64 tensors, inputs made on the host). */
function isHost(s: Storage): s is Data {
  return !(s instanceof GpuArray);
}

/** Why a kernel cannot run: a device input for host output (float64 mixed with GPU float32). */
function mixed(kernel: string): Error {
  return new Error(
    `webgpu ${kernel}: a float64 result from float32 numbers on the GPU; the GPU holds float32 only, so keep the tensors of one op in one dtype`,
  );
}

/**
 * Creates the WebGPU backend: float32 tensors live in GPU buffers and every kernel is a WGSL
 * compute shader queued without waiting; float64 tensors stay on the host and run on the js
 * kernels (WGSL has no float64). Prefer `init("webgpu")`, which loads this on demand.
 *
 * @example
 * const gpu = await createWebGpuBackend(); // throws, saying why, where there is no adapter
 */
export async function createWebGpuBackend(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
  const adapter = await findAdapter(options.gpu);
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
    },
  });
  const gpu = new Gpu(device);
  const js = jsBackend;

  // Each kernel's GPU buffers: device arrays as they are, host inputs uploaded for this call.
  const temps: GpuBuffer[] = [];
  const bufferOf = (s: Storage | Int32Array): GpuBuffer => {
    if (s instanceof GpuArray) return s.buffer;
    const host = s instanceof Float64Array ? Float32Array.from(s) : (s as Float32Array | Int32Array);
    const b = gpu.upload(host);
    temps.push(b);
    return b;
  };
  const meta = (values: readonly number[]): GpuBuffer =>
    bufferOf(Uint32Array.from(values) as unknown as Int32Array);
  const run = (
    key: string,
    code: () => string,
    bindings: readonly GpuBuffer[],
    groups: [number, number, number],
  ): void => {
    gpu.run(gpu.pipeline(key, code), bindings, groups);
    for (const t of temps) gpu.done(t);
    temps.length = 0;
  };
  const bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0];
  /** True when the call runs on the host (every storage a typed array); throws on a mix the GPU cannot do. */
  const onHost = (kernel: string, out: Storage, ...inputs: Storage[]): boolean => {
    if (isHost(out)) {
      if (inputs.some((s) => !isHost(s))) throw mixed(kernel);
      return true;
    }
    return false;
  };

  // Elementwise kernels, generated from expressions (see wgsl-elementwise.ts) and cached by text.
  const elementwise = (
    e: ElementwiseExpr,
    arrays: ElementwiseArrays,
    modes: Partial<Record<"x" | "y" | "g", InputMode>>,
    out: GpuArray,
    accumulate: boolean,
    rowWidth = 1,
    scalar = 0,
  ): void => {
    const names = exprInputs(e);
    const inputs = names.map((name) => ({
      name,
      mode: modes[name] ?? "each",
      isOut: arrays[name] === out,
    }));
    const key = `ew:${exprText(e)}:${inputs.map((i) => `${i.name}${i.mode}${i.isOut ? "o" : ""}`).join(",")}:${accumulate}`;
    const bindings = [meta([out.length, rowWidth, bits(scalar)])];
    for (const input of inputs) {
      if (input.mode !== "scalar" && !input.isOut) bindings.push(bufferOf(arrays[input.name] as Storage));
    }
    bindings.push(out.buffer);
    if (out.length > 0)
      run(key, () => elementwiseWgsl({ expr: e, inputs, accumulate }), bindings, groupsFor(out.length));
    else for (const t of temps.splice(0)) gpu.done(t);
  };
  const unaryExpr = new Map<string, ElementwiseExpr>();
  const opExpr = (op: UnaryKernel | BinaryKernel, param: number, binaryOp: boolean): ElementwiseExpr => {
    const key = `${op}:${param}`;
    let e = unaryExpr.get(key);
    if (e === undefined) {
      const build = (ex as unknown as Record<string, (...a: unknown[]) => ElementwiseExpr>)[op];
      e = binaryOp ? build(ex.x, ex.y) : build(ex.x, param);
      unaryExpr.set(key, e);
    }
    return e;
  };

  // One dispatch for a batch of products: workgroup layer z is product z (see MATMUL_WGSL), up
  // to the 65,535 layers WebGPU guarantees per dimension.
  const products = (
    a: Storage,
    aOffset: number,
    b: Storage,
    bOffset: number,
    out: GpuArray,
    outOffset: number,
    p: MatmulBatch,
  ): void => {
    if (p.m === 0 || p.n === 0 || p.count === 0) return;
    if (p.outStep !== 0 && p.count > MAX_LAYERS) {
      for (let z = 0; z < p.count; z += MAX_LAYERS) {
        const part = { ...p, count: Math.min(MAX_LAYERS, p.count - z) };
        products(a, aOffset + z * p.aStep, b, bOffset + z * p.bStep, out, outOffset + z * p.outStep, part);
      }
      return;
    }
    const flags = [p.transA, p.transB, p.accumulate].map(Number);
    const steps = [p.aStep, p.bStep, p.outStep, p.count];
    const bindings = [
      meta([p.m, p.k, p.n, aOffset, bOffset, outOffset, ...flags, ...steps]),
      bufferOf(a),
      bufferOf(b),
      out.buffer,
    ];
    const layers = p.outStep === 0 ? 1 : p.count;
    run("matmul", () => MATMUL_WGSL, bindings, [Math.ceil(p.n / 64), Math.ceil(p.m / 64), layers]);
  };

  const backend: WebGpuBackend = {
    name: "webgpu",
    adapter: adapterName(adapter),
    memory: () => gpu.memory(),
    finish: () => gpu.finish(),
    alloc: (dtype, n) => (dtype === "float64" ? new Float64Array(n) : gpu.zeros(n)),
    free: (s) => {
      if (s instanceof GpuArray) gpu.free(s);
    },
    read: (s) => gpu.read(s as GpuArray),
    unary(op, x, out, param) {
      if (onHost("unary", out, x)) return js.unary(op, x as Data, out as Data, param);
      elementwise(opExpr(op, param, false), { x }, {}, out as GpuArray, false);
    },
    binary(op, a, b, out) {
      if (onHost("binary", out, a, b)) return js.binary(op, a as Data, b as Data, out as Data);
      elementwise(opExpr(op, 0, true), { x: a, y: b }, {}, out as GpuArray, false);
    },
    binaryRows(op, a, b, out) {
      if (onHost("binaryRows", out, a, b)) return js.binaryRows(op, a as Data, b as Data, out as Data);
      elementwise(opExpr(op, 0, true), { x: a, y: b }, { y: "rows" }, out as GpuArray, false, b.length);
    },
    binaryScalar(op, a, s, out) {
      if (onHost("binaryScalar", out, a)) return js.binaryScalar(op, a as Data, s, out as Data);
      elementwise(opExpr(op, 0, true), { x: a }, { y: "scalar" }, out as GpuArray, false, 1, s);
    },
    fill(out, value) {
      if (isHost(out)) return js.fill(out, value);
      if (out.length === 0) return;
      run(
        "fill",
        () => FILL_WGSL,
        [meta([out.length, bits(value)]), (out as GpuArray).buffer],
        groupsFor(out.length),
      );
    },
    gatherStrided(x, offset, strides, outShape, out) {
      if (onHost("gatherStrided", out, x))
        return js.gatherStrided(x as Data, offset, strides, outShape, out as Data);
      if (out.length === 0) return;
      const m = meta([out.length, outShape.length, offset, ...outShape, ...strides]);
      run(
        "gather",
        () => stridedWgsl(false),
        [m, bufferOf(x), (out as GpuArray).buffer],
        groupsFor(out.length),
      );
    },
    scatterAddStrided(g, shape, dx, offset, strides) {
      if (onHost("scatterAddStrided", dx, g))
        return js.scatterAddStrided(g as Data, shape, dx as Data, offset, strides);
      if (g.length === 0) return;
      const m = meta([g.length, shape.length, offset, ...shape, ...strides]);
      run("scatter", () => stridedWgsl(true), [m, bufferOf(g), (dx as GpuArray).buffer], groupsFor(g.length));
    },
    reduce(op, x, outer, mid, inner, out) {
      if (onHost("reduce", out, x)) return js.reduce(op, x as Data, outer, mid, inner, out as Data);
      const n = outer * inner;
      if (n === 0) return;
      run(
        `reduce:${op}`,
        () => reduceWgsl(op),
        [meta([n, mid, inner]), bufferOf(x), (out as GpuArray).buffer],
        groupsFor(n),
      );
    },
    gatherRows(x, starts, width, out) {
      if (onHost("gatherRows", out, x)) return js.gatherRows(x as Data, starts, width, out as Data);
      if (out.length === 0) return;
      const bindings = [meta([out.length, width]), bufferOf(x), bufferOf(starts), (out as GpuArray).buffer];
      run("gatherRows", () => GATHER_ROWS_WGSL, bindings, groupsFor(out.length));
    },
    scatterAddRows(g, starts, width, dx) {
      if (onHost("scatterAddRows", dx, g)) return js.scatterAddRows(g as Data, starts, width, dx as Data);
      const n = starts.length * width;
      if (n === 0) return;
      const bindings = [meta([n, width]), bufferOf(g), bufferOf(starts), (dx as GpuArray).buffer];
      run("scatterRows", () => SCATTER_ROWS_WGSL, bindings, groupsFor(n));
    },
    scatterAddAt(g, index, outer, mid, inner, dx) {
      if (onHost("scatterAddAt", dx, g, index))
        return js.scatterAddAt(g as Data, index as Data, outer, mid, inner, dx as Data);
      const n = outer * inner;
      if (n === 0) return;
      const bindings = [meta([n, mid, inner]), bufferOf(g), bufferOf(index), (dx as GpuArray).buffer];
      run("scatterAt", () => SCATTER_AT_WGSL, bindings, groupsFor(n));
    },
    matmul(a, aOffset, b, bOffset, out, outOffset, m, k, n, transA, transB, accumulate) {
      if (onHost("matmul", out, a, b))
        return js.matmul(
          a as Data,
          aOffset,
          b as Data,
          bOffset,
          out as Data,
          outOffset,
          m,
          k,
          n,
          transA,
          transB,
          accumulate,
        );
      const one = { count: 1, aStep: 0, bStep: 0, outStep: 0, m, k, n, transA, transB, accumulate };
      products(a, aOffset, b, bOffset, out as GpuArray, outOffset, one);
    },
    matmulBatch(a, b, out, batch) {
      if (onHost("matmulBatch", out, a, b)) {
        // float64 stays on the host: the js kernel, matrix by matrix (outStep 0 sums them)
        const { count, aStep, bStep, outStep, m, k, n, transA, transB, accumulate } = batch;
        for (let i = 0; i < count; i++) {
          const add = accumulate || (outStep === 0 && i > 0);
          js.matmul(
            a as Data,
            i * aStep,
            b as Data,
            i * bStep,
            out as Data,
            i * outStep,
            m,
            k,
            n,
            transA,
            transB,
            add,
          );
        }
        return;
      }
      products(a, 0, b, 0, out as GpuArray, 0, batch);
    },
    im2col(x, g, out, padValue) {
      if (onHost("im2col", out, x)) return js.im2col(x as Data, g, out as Data, padValue);
      if (out.length === 0) return;
      const bindings = [convMeta(out.length, g, bits(padValue)), bufferOf(x), (out as GpuArray).buffer];
      run("im2col", () => IM2COL_WGSL, bindings, groupsFor(out.length));
    },
    col2im(cols, g, dx) {
      if (onHost("col2im", dx, cols)) return js.col2im(cols as Data, g, dx as Data);
      if (dx.length === 0) return;
      const bindings = [convMeta(dx.length, g, 0), bufferOf(cols), (dx as GpuArray).buffer];
      run("col2im", () => COL2IM_WGSL, bindings, groupsFor(dx.length));
    },
    softmax(x, rows, cols, out, log) {
      if (onHost("softmax", out, x)) return js.softmax(x as Data, rows, cols, out as Data, log);
      if (rows === 0) return;
      run(
        "softmax",
        () => SOFTMAX_WGSL,
        [meta([rows, cols, log ? 1 : 0]), bufferOf(x), (out as GpuArray).buffer],
        groupsFor(rows),
      );
    },
    fused: {
      elementwise(e, inputs, out, accumulate) {
        if (isHost(out))
          return js.fused?.elementwise?.(e, inputs as ElementwiseArrays<Data>, out, accumulate) === true;
        elementwise(e, inputs, {}, out as GpuArray, accumulate);
        return true;
      },
      // float64 (host) rows only: GPU numbers take the composite
      layerNorm: js.fused?.layerNorm,
      layerNormGrad: js.fused?.layerNormGrad,
      softmaxGrad: js.fused?.softmaxGrad,
    },
  };
  const convMeta = (total: number, g: ConvGeometry, pad: number): GpuBuffer =>
    meta(convParams(total, g, pad));
  return backend;
}
