// Assembles the backend's WebAssembly module from the generated kernels. The bytes are built
// in TypeScript at init (about a millisecond), so nothing is compiled at install time and no
// binary is committed; the same inputs always give the same bytes.

import { type Code, ModuleBuilder } from "./emitter.ts";
import { addElementwise } from "./expr-kernel.ts";
import { addGemm } from "./gemm-kernel.ts";
import { DEFAULT_GEMM } from "./gemm-shape.ts";
import { addLayerNorm } from "./layer-norm-kernel.ts";
import { addSoftmax } from "./math-kernels.ts";
import { addSoftmaxGrad } from "./softmax-grad-kernel.ts";
import { addStridedRuns } from "./strided-kernel.ts";
import { addSumMid } from "./sum-kernel.ts";

/** What the module is built for. */
export interface ModuleOptions {
  /** Import a shared memory (for worker threads) instead of a plain one. */
  readonly shared: boolean;
  /** Use relaxed-SIMD fused multiply-add in the matrix product. */
  readonly fma: boolean;
  /** Pages (64 KiB) the memory starts with, and may grow to when shared. */
  readonly initialPages: number;
  readonly maximumPages: number;
}

/** The module's bytes: `gemm`, `exp`, `log`, `tanh`, `sigmoid`, `relu`, `softmax`, `sumMid`,
 * `layerNorm`, `layerNormGrad`, `softmaxGrad`, `gatherRuns`, `scatterAddRuns` over `env.memory`. */
export function moduleBytes(options: ModuleOptions): Uint8Array {
  const mb = new ModuleBuilder();
  addGemm(mb, { ...DEFAULT_GEMM, fma: options.fma });
  addElementwise(mb);
  addSoftmax(mb);
  addSumMid(mb);
  addLayerNorm(mb);
  addSoftmaxGrad(mb);
  addStridedRuns(mb);
  return mb.emit({
    initialPages: options.initialPages,
    maximumPages: options.maximumPages,
    shared: options.shared,
  });
}

/** Whether this engine accepts `f32x4.relaxed_madd` (relaxed SIMD). */
export function hasRelaxedSimd(): boolean {
  // (func (result v128) v128.const 0 v128.const 0 v128.const 0 f32x4.relaxed_madd)
  const zero = new Array<number>(16).fill(0);
  const body = [0, 0xfd, 12, ...zero, 0xfd, 12, ...zero, 0xfd, 12, ...zero, 0xfd, 0x85, 0x02, 0x0b];
  const bytes = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0];
  bytes.push(10, body.length + 2, 1, body.length, ...body);
  return WebAssembly.validate(new Uint8Array(bytes));
}

/** Whether this engine has 128-bit SIMD at all. */
export function hasSimd(): boolean {
  // (func (result v128) v128.const 0)
  const body = [0, 0xfd, 12, ...new Array<number>(16).fill(0), 0x0b];
  const bytes = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0];
  bytes.push(10, body.length + 2, 1, body.length, ...body);
  return WebAssembly.validate(new Uint8Array(bytes));
}

/** The bytes of a module of one function, `kernel`, over the same `env.memory`. */
export function kernelModuleBytes(code: Code, options: ModuleOptions): Uint8Array {
  const mb = new ModuleBuilder();
  mb.add(code, "kernel");
  return mb.emit({
    initialPages: options.initialPages,
    maximumPages: options.maximumPages,
    shared: options.shared,
  });
}
