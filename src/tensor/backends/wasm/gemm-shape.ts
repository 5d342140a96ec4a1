// The blocking of the generated matrix product: tile and block sizes, and the scratch they need.

/** Blocking of the matrix product (sizes in f32 elements). */
export interface GemmShape {
  /** Rows of C per micro-tile. */
  readonly mr: number;
  /** Columns of C per micro-tile (a multiple of 4: one f32x4 per 4 columns). */
  readonly nr: number;
  /** How many k steps one loop iteration of the micro-kernel does (a power of two). */
  readonly unroll: number;
  /** Rows of A packed at once (a multiple of `mr`; the A block stays in L2). */
  readonly mc: number;
  /** Depth of one packed block (a multiple of `unroll`). */
  readonly kc: number;
  /** Columns of B packed at once (a multiple of `nr`). */
  readonly nc: number;
  /** Use the relaxed-SIMD fused multiply-add (`f32x4.relaxed_madd`) instead of mul + add. */
  readonly fma: boolean;
}

/** The default blocking: a 4×8 tile (8 accumulators), chosen by measurement (docs/design/wasm.md). */
export const DEFAULT_GEMM: Omit<GemmShape, "fma"> = { mr: 4, nr: 8, unroll: 1, mc: 128, kc: 256, nc: 1024 };

/** Bytes of scratch one thread needs for `gemm` with this blocking (packed A, packed B, a tile). */
export function gemmScratchBytes(s: Omit<GemmShape, "fma">): number {
  return (s.mc * s.kc + s.kc * s.nc + s.mr * s.nr) * 4;
}
