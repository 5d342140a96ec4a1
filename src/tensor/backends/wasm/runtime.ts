import { type ElementwiseExpr, type ElementwiseInput, exprInputs } from "../../elementwise-expr.ts";
import { compilable, type ElementwiseKernel, exprKernel } from "./expr-kernel.ts";
import { DEFAULT_GEMM, gemmScratchBytes } from "./gemm-shape.ts";
import { hasRelaxedSimd, hasSimd, kernelModuleBytes, type ModuleOptions, moduleBytes } from "./module.ts";
import {
  ARGS,
  BY_COLS,
  CHUNK,
  CLOSED,
  DONE,
  JOB_WORDS,
  MAX_PARTS,
  PARTS,
  READY,
  runOnePart,
  STOP,
  TICKET,
  type WorkerFactory,
  type WorkerLike,
  type WorkerStart,
} from "./worker-protocol.ts";

// One linear memory, laid out once:
//   [0, 4 KiB)                the job block shared with the workers (worker-protocol.ts)
//   then, per thread          gemm scratch: packed A, packed B, one tile
//   then                      the arena: operands of the current call, bump-allocated and
//                             reset at the start of every call
// Nothing is ever freed one by one, so nothing can leak: the memory grows to the largest
// call's operands and stays there, however long training runs.

const PAGE = 65536;
const SLOTS = 4096;
const MAX_THREADS = 16;
/** The most the memory may grow to (1 GiB); the backend falls back to js past this. */
export const MAX_BYTES = 16384 * PAGE;

/** Options of the WebAssembly runtime. */
export interface WasmRuntimeOptions {
  /** Threads for large matrix products, the caller's included (default 1: no workers). */
  readonly threads?: number;
  /**
   * Starts one worker (see `WorkerFactory`); defaults to the global `Worker` with this folder's
   * `browser-worker.js` where one exists. Node has none: pass the CLI's `nodeWorkerFactory()`.
   */
  readonly workerFactory?: WorkerFactory;
  /** Use relaxed-SIMD fused multiply-add in the matrix product (default: when the engine has it). */
  readonly fma?: boolean;
  /** Products with fewer multiply-adds than this stay on one thread (default 64³). */
  readonly parallelMin?: number;
  /** How many times an idle worker polls before it sleeps (default 20000, some tens of µs). */
  readonly spin?: number;
}

type Fn = (...args: number[]) => void;

interface Exports {
  readonly gemm: Fn;
  readonly exp: Fn;
  readonly log: Fn;
  readonly tanh: Fn;
  readonly sigmoid: Fn;
  readonly softmax: Fn;
  readonly relu: Fn;
  readonly sumMid: Fn;
  readonly layerNorm: Fn;
  readonly layerNormGrad: Fn;
  readonly softmaxGrad: Fn;
  readonly logSoftmaxGrad: Fn;
  readonly gatherRuns: Fn;
  readonly scatterAddRuns: Fn;
}

/** A kernel generated from an expression: `run(...inputs, out, n)`, byte addresses. */
export interface ExprKernel {
  readonly run: Fn;
  /** The arrays it reads, in the order `run` takes their addresses. */
  readonly inputs: readonly ElementwiseInput[];
}

/** Byte address of thread t's gemm scratch (t = 0 is the caller). */
function scratchAt(t: number): number {
  return SLOTS + t * Math.ceil(gemmScratchBytes(DEFAULT_GEMM) / 64) * 64;
}

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

/** A factory on the global `Worker` (browsers), or undefined where there is none (Node 20). */
function defaultFactory(): WorkerFactory | undefined {
  const W = (globalThis as { Worker?: new (url: URL, options: { type: "module" }) => WorkerLike }).Worker;
  if (W === undefined) return undefined;
  return () => new W(new URL("./browser-worker.js", import.meta.url), { type: "module" });
}

/** Whether `Atomics.wait` is allowed on this thread (not on a browser's main thread). */
function mayBlock(words: Int32Array): boolean {
  try {
    Atomics.wait(words, 0, Atomics.load(words, 0) + 1, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The WebAssembly side of the backend: the memory, its arena, the kernels, and the workers
 * that share large matrix products. Calls are synchronous and not re-entrant.
 */
export class WasmRuntime {
  /** Threads that share large products (1 when workers or shared memory are unavailable). */
  readonly threads: number;
  /** Whether the matrix product uses fused multiply-add (relaxed SIMD). */
  readonly fma: boolean;
  private readonly memory: WebAssembly.Memory;
  private readonly fns: Exports;
  private readonly workers: WorkerLike[];
  private readonly scratch: number[];
  private readonly job: Int32Array;
  private seq = 0;
  private readonly parallelMin: number;
  private readonly canBlock: boolean;
  private readonly arenaBase: number;
  private top: number;
  private heapView: Float32Array;
  private readonly layout: ModuleOptions;
  // kernels generated from expressions, by expression (and by its text, for equal ones);
  // [0] writes, [1] accumulates
  private readonly byExpr = [
    new WeakMap<ElementwiseExpr, ExprKernel | null>(),
    new WeakMap<ElementwiseExpr, ExprKernel | null>(),
  ];
  private readonly byText = new Map<string, ExprKernel | null>();

  private constructor(
    memory: WebAssembly.Memory,
    fns: Exports,
    workers: WorkerLike[],
    layout: ModuleOptions,
    parallelMin: number,
  ) {
    this.layout = layout;
    this.memory = memory;
    this.fns = fns;
    this.workers = workers;
    this.threads = workers.length + 1;
    this.fma = layout.fma;
    this.parallelMin = parallelMin;
    this.job = new Int32Array(memory.buffer, 0, JOB_WORDS);
    this.canBlock = workers.length > 0 && mayBlock(this.job);
    this.scratch = Array.from({ length: this.threads }, (_, t) => scratchAt(t));
    this.arenaBase = scratchAt(this.threads);
    this.top = this.arenaBase;
    this.heapView = new Float32Array(memory.buffer);
  }

  /** Builds the module, the memory and (when asked and possible) the workers. */
  static async create(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
    if (!hasSimd()) throw new Error("init: wasm backend needs WebAssembly SIMD, which this engine lacks");
    const fma = options.fma ?? hasRelaxedSimd();
    if (fma && !hasRelaxedSimd())
      throw new Error("init: wasm fma: true needs relaxed SIMD, which this engine lacks");
    const asked = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads ?? 1)));
    const factory = options.workerFactory ?? defaultFactory();
    const threads =
      asked > 1 && factory !== undefined && typeof SharedArrayBuffer !== "undefined" ? asked : 1;
    const shared = threads > 1;
    const initialPages = pagesFor(scratchAt(threads) + 4 * 1024 * 1024);
    const maximumPages = MAX_BYTES / PAGE;
    const layout = { shared, fma, initialPages, maximumPages };
    const module = await WebAssembly.compile(moduleBytes(layout) as Uint8Array<ArrayBuffer>);
    const memory = shared
      ? new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared: true })
      : new WebAssembly.Memory({ initial: initialPages });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const workers: WorkerLike[] = [];
    if (shared && factory !== undefined) {
      const spin = options.spin ?? 20000;
      for (let w = 0; w < threads - 1; w++) {
        const worker = factory();
        const start: WorkerStart = { module, memory, index: w + 1, scratch: scratchAt(w + 1), spin };
        worker.postMessage(start);
        workers.push(worker);
      }
      const words = new Int32Array(memory.buffer, 0, JOB_WORDS);
      words[TICKET] = CLOSED;
      const deadline = Date.now() + 30000;
      while (Atomics.load(words, READY) < workers.length) {
        if (Date.now() > deadline) {
          for (const x of workers) x.terminate();
          const ready = Atomics.load(words, READY);
          throw new Error(`init: only ${ready} of ${workers.length} wasm workers started within 30 s`);
        }
        await sleep(1);
      }
    }
    const fns = instance.exports as unknown as Exports;
    return new WasmRuntime(memory, fns, workers, layout, options.parallelMin ?? 64 * 64 * 64);
  }

  /** Bytes of linear memory in use (grows to the largest call's operands, then stays flat). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Whether a product of `work` multiply-adds is shared among the threads. */
  splits(work: number): boolean {
    return this.threads > 1 && work >= this.parallelMin;
  }

  /** Starts a call: every earlier arena allocation is released. */
  reset(): void {
    this.top = this.arenaBase;
  }

  /** Whether `floats` more arena floats fit under the memory limit. */
  fits(floats: number): boolean {
    return this.top + floats * 4 + 64 <= MAX_BYTES;
  }

  /** Allocates `n` floats (rounded up to whole f32x4 vectors, 64-byte aligned); a byte address. */
  alloc(n: number): number {
    const ptr = this.top;
    this.top += Math.ceil((n * 4 + 16) / 64) * 64;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      this.memory.grow(pagesFor(this.top - have));
      this.heapView = new Float32Array(this.memory.buffer);
    }
    return ptr;
  }

  /** The memory as floats (valid until the next `alloc`). */
  get heap(): Float32Array {
    return this.heapView;
  }

  /**
   * C = op(A)·op(B) (or C += when `accumulate`), all in the arena: element strides, byte
   * addresses. Large products are cut along their longer side of C, one part per thread.
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    rsA: number,
    csA: number,
    b: number,
    rsB: number,
    csB: number,
    c: number,
    ldc: number,
    accumulate: boolean,
  ): void {
    const acc = accumulate ? 1 : 0;
    const gemm = this.fns.gemm;
    if (!this.splits(m * n * k)) {
      gemm(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, acc, this.scratch[0]);
      return;
    }
    const byCols = n >= m;
    const len = byCols ? n : m;
    const align = byCols ? DEFAULT_GEMM.nr : DEFAULT_GEMM.mr;
    const chunk = Math.ceil(Math.ceil(len / this.threads) / align) * align;
    const parts = Math.min(Math.ceil(len / chunk), MAX_PARTS - 2);
    const job = this.job;
    // Close the ticket, write the job, then publish it (see worker-protocol.ts).
    Atomics.store(job, TICKET, (this.seq << 6) | CLOSED);
    job[PARTS] = parts;
    job[BY_COLS] = byCols ? 1 : 0;
    job[CHUNK] = chunk;
    job.set([m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, acc], ARGS);
    Atomics.store(job, DONE, 0);
    this.seq = (this.seq + 1) & 0x1ffffff;
    Atomics.store(job, TICKET, this.seq << 6);
    Atomics.notify(job, TICKET);
    // Take parts ourselves until none is left, then wait for the ones workers took.
    while (runOnePart(job, gemm, this.scratch[0])) {}
    let polls = 0;
    let slept = 0;
    for (let done = Atomics.load(job, DONE); done < parts; done = Atomics.load(job, DONE)) {
      if (++polls < 4000 || !this.canBlock) continue;
      Atomics.wait(job, DONE, done, 10);
      if (++slept > 30000) throw new Error("matmul: a wasm worker stopped answering for 5 minutes");
    }
  }

  /** dst[i] = fn(src[i]) for `n` floats (both in the arena). */
  unary(fn: ElementwiseKernel, src: number, dst: number, n: number): void {
    this.fns[fn](src, dst, n);
  }

  /**
   * The kernel `f(...inputs, out, n)` generated from `e` (see `exprKernel`), compiled the first
   * time it is asked for (a small module over the same memory, about a millisecond), or `null`
   * when `e` has no WebAssembly form. Keyed by the expression and by its text, with `accumulate`.
   */
  kernel(e: ElementwiseExpr, text: () => string, accumulate: boolean): ExprKernel | null {
    const cache = this.byExpr[accumulate ? 1 : 0];
    const known = cache.get(e);
    if (known !== undefined) return known;
    const key = `${accumulate ? "+=" : "="} ${text()}`;
    let fn = this.byText.get(key);
    if (fn === undefined) {
      fn = null;
      if (compilable(e)) {
        const bytes = kernelModuleBytes(exprKernel(e, accumulate), this.layout) as Uint8Array<ArrayBuffer>;
        const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
          env: { memory: this.memory },
        });
        fn = { run: instance.exports.kernel as Fn, inputs: exprInputs(e) };
      }
      this.byText.set(key, fn);
    }
    cache.set(e, fn);
    return fn;
  }

  /** Sums `[outer, mid, inner]` in the arena over its middle axis (`inner` ≥ 4; see `sumMid`). */
  sumMid(src: number, dst: number, outer: number, mid: number, inner: number): void {
    this.fns.sumMid(src, dst, outer, mid, inner);
  }

  /** The layer-norm kernels (see layer-norm-kernel.ts), arena addresses and sizes. */
  get layerNormKernels(): { readonly forward: Fn; readonly backward: Fn } {
    return { forward: this.fns.layerNorm, backward: this.fns.layerNormGrad };
  }

  /**
   * dx += y·(g − Σ g·y) per row of rows×cols matrices in the arena (cols a multiple of 4), or
   * for a log-softmax dx += g − e^y·Σ g (any cols).
   */
  softmaxGrad(y: number, g: number, dx: number, rows: number, cols: number, log: boolean): void {
    (log ? this.fns.logSoftmaxGrad : this.fns.softmaxGrad)(y, g, dx, rows, cols);
  }

  /**
   * The strided copies as runs of `n` numbers `step` apart, starting at the `runs` element
   * indices at `starts` (see strided-kernel.ts): gathered from `src` into consecutive `dst`,
   * or consecutive `src` added back into `dst`. Arena addresses.
   */
  stridedRuns(
    add: boolean,
    src: number,
    starts: number,
    runs: number,
    n: number,
    step: number,
    dst: number,
  ): void {
    (add ? this.fns.scatterAddRuns : this.fns.gatherRuns)(src, starts, runs, n, step, dst);
  }

  /** Row-wise (log-)softmax of a rows×cols matrix in the arena. */
  softmax(src: number, dst: number, rows: number, cols: number, log: boolean): void {
    this.fns.softmax(src, dst, rows, cols, log ? 1 : 0);
  }

  /** Stops the workers (the runtime must not be used afterwards). */
  dispose(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.job, STOP, 1);
    Atomics.store(this.job, TICKET, (this.seq << 6) | CLOSED);
    Atomics.notify(this.job, TICKET);
    for (const worker of this.workers) worker.terminate();
    this.workers.length = 0;
  }
}
