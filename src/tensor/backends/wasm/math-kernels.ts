// Transcendental functions on f32x4, as inline bodies for generated kernels (expr-kernel.ts
// builds the elementwise kernels from them), and a row softmax, generated as WebAssembly.
// exp: range reduction x = n·ln2 + r (Cody-Waite, two-part ln2), a degree-7 polynomial for
// e^r on |r| ≤ ln2/2 (truncation below 1e-8 relative), and 2^n built in the exponent bits.
// log: x = 2^e · m with m in [√½, √2), log m = 2·atanh((m-1)/(m+1)) by its odd series.
// Both stay within a few float32 ulps of the exact value (checked against Math.exp/Math.log).

import { Code, F32, I32, type ModuleBuilder, OP, SIMD, V128 } from "./emitter.ts";

const LOG2E = Math.LOG2E;
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;

// Vector constants as `v128.const` (one constant-pool load, often folded into the instruction
// that reads it) rather than a scalar constant splatted on every iteration of a loop.
const lanes = new DataView(new ArrayBuffer(16));

/** Pushes the f32x4 splat of `v`. */
export function fv(c: Code, v: number): Code {
  for (let i = 0; i < 4; i++) lanes.setFloat32(4 * i, v, true);
  return c.simd(SIMD.v128_const, ...new Uint8Array(lanes.buffer));
}

/** Pushes the i32x4 splat of `v`. */
function iv(c: Code, v: number): Code {
  for (let i = 0; i < 4; i++) lanes.setInt32(4 * i, v, true);
  return c.simd(SIMD.v128_const, ...new Uint8Array(lanes.buffer));
}

/** Scratch vector locals shared by the inline function bodies below. */
export interface Temps {
  readonly a: number;
  readonly n: number;
  readonly r: number;
}

/** Allocates the scratch locals of the inline bodies. */
export function temps(c: Code): Temps {
  return { a: c.local(V128), n: c.local(V128), r: c.local(V128) };
}

/** Pushes e^x for the f32x4 in local `x` (overflow gives +Infinity, below e^-86.6 gives 0, NaN stays NaN). */
export function exp(c: Code, x: number, t: Temps): void {
  // Clamp so that 2^(n-1) below is a normal float; past 88.72 the final ·2 overflows to +Inf.
  // (pmax, pmin: a NaN x fails both comparisons and stays x)
  c.get(x);
  fv(c, -86.6).simd(SIMD.f32x4_pmax);
  fv(c, 89).simd(SIMD.f32x4_pmin).set(t.a);
  c.get(t.a);
  fv(c, LOG2E).simd(SIMD.f32x4_mul).simd(SIMD.f32x4_nearest).set(t.n);
  c.get(t.a).get(t.n);
  fv(c, LN2_HI).simd(SIMD.f32x4_mul).simd(SIMD.f32x4_sub).get(t.n);
  fv(c, LN2_LO).simd(SIMD.f32x4_mul).simd(SIMD.f32x4_sub).set(t.r);
  // Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040))))))
  const coef = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  fv(c, 1 / 5040);
  for (const k of coef) {
    c.get(t.r).simd(SIMD.f32x4_mul);
    fv(c, k).simd(SIMD.f32x4_add);
  }
  // · 2^(n-1) · 2, with n − 1 + 127 as an integer read from the bits of n + 126 + 1.5·2^23
  // (exact for |n| < 2^22; cheaper than converting to integers)
  c.get(t.n);
  fv(c, 12582912 + 126).simd(SIMD.f32x4_add);
  iv(c, 0x4b400000).simd(SIMD.i32x4_sub).i32(23).simd(SIMD.i32x4_shl);
  c.simd(SIMD.f32x4_mul);
  fv(c, 2).simd(SIMD.f32x4_mul);
  // Below the clamp the result is 0, as Math.exp's rounds to in float32 (e^-86.6 ≈ 2^-125): without
  // this, exp(-∞) (a masked attention score) would be 2e-38, and the subnormal numbers that follow
  // from it make every later float operation on them many times slower.
  c.get(x);
  fv(c, -86.6).simd(SIMD.f32x4_lt).simd(SIMD.v128_andnot);
}

/** Pushes log(x) for the f32x4 in local `x` (0 → -Infinity, negative or NaN → NaN). */
export function log(c: Code, x: number, t: Temps): void {
  // t.n = exponent e (i32x4), t.a = mantissa m in [1, 2)
  c.get(x).i32(23).simd(SIMD.i32x4_shr_s);
  iv(c, 127).simd(SIMD.i32x4_sub).set(t.n);
  c.get(x);
  iv(c, 0x007fffff).simd(SIMD.v128_and);
  iv(c, 0x3f800000).simd(SIMD.v128_or).set(t.a);
  // m > √2: m /= 2, e += 1 (the mask is -1 in those lanes)
  c.get(t.a);
  fv(c, Math.SQRT2).simd(SIMD.f32x4_gt).set(t.r);
  c.get(t.a);
  fv(c, 0.5).simd(SIMD.f32x4_mul).get(t.a).get(t.r).simd(SIMD.v128_bitselect).set(t.a);
  c.get(t.n).get(t.r).simd(SIMD.i32x4_sub).set(t.n);
  // s = (m-1)/(m+1) in t.a, s² in t.r
  c.get(t.a);
  fv(c, 1).simd(SIMD.f32x4_sub).get(t.a);
  fv(c, 1).simd(SIMD.f32x4_add).simd(SIMD.f32x4_div).tee(t.a).get(t.a).simd(SIMD.f32x4_mul).set(t.r);
  // e·ln2 + s·(2 + s²(2/3 + s²(2/5 + s²(2/7 + s²·2/9))))
  c.get(t.n).simd(SIMD.f32x4_convert_i32x4_s);
  fv(c, Math.LN2).simd(SIMD.f32x4_mul);
  fv(c, 2 / 9);
  for (const k of [2 / 7, 2 / 5, 2 / 3, 2]) {
    c.get(t.r).simd(SIMD.f32x4_mul);
    fv(c, k).simd(SIMD.f32x4_add);
  }
  c.get(t.a).simd(SIMD.f32x4_mul).simd(SIMD.f32x4_add).set(t.a);
  // Special values: log(0) = -Inf, log(Inf) = Inf, log(x < 0) = log(NaN) = NaN.
  fv(c, Number.NEGATIVE_INFINITY).get(t.a).get(x);
  fv(c, 0).simd(SIMD.f32x4_eq).simd(SIMD.v128_bitselect).set(t.a);
  fv(c, Number.POSITIVE_INFINITY).get(t.a).get(x);
  fv(c, Number.POSITIVE_INFINITY).simd(SIMD.f32x4_eq).simd(SIMD.v128_bitselect).set(t.a);
  c.get(t.a);
  fv(c, Number.NaN).get(x);
  fv(c, 0).simd(SIMD.f32x4_ge).simd(SIMD.v128_bitselect);
}

/**
 * Pushes 1 / (1 + e^-x) for the f32x4 in local `x`, using `y` as scratch: e^-x overflows to
 * +Infinity for x < -88.7, giving exactly 0; NaN stays NaN.
 */
export function sigmoid(c: Code, x: number, y: number, t: Temps): void {
  c.get(x).simd(SIMD.f32x4_neg).set(y);
  fv(c, 1);
  fv(c, 1);
  exp(c, y, t);
  c.simd(SIMD.f32x4_add).simd(SIMD.f32x4_div);
}

/** Pushes tanh(x) for the f32x4 in local `x`, using `y` as scratch (±∞ → ±1, NaN stays NaN). */
export function tanh(c: Code, x: number, y: number, t: Temps): void {
  // sign(x) · (1 - e)/(1 + e) with e = e^(-2|x|) ≤ 1, so nothing overflows.
  c.get(x).simd(SIMD.f32x4_abs);
  fv(c, -2).simd(SIMD.f32x4_mul).set(y);
  exp(c, y, t);
  c.set(y);
  fv(c, 1).get(y).simd(SIMD.f32x4_sub);
  fv(c, 1).get(y).simd(SIMD.f32x4_add).simd(SIMD.f32x4_div).set(y);
  c.get(y).simd(SIMD.f32x4_neg).get(y).get(x);
  fv(c, 0).simd(SIMD.f32x4_lt).simd(SIMD.v128_bitselect).set(y);
  // |x| < 0.4: 1 - e cancels, so use the odd Taylor series (next term below 1e-8 there).
  c.get(x).get(x).simd(SIMD.f32x4_mul).set(t.r);
  fv(c, 21844 / 6081075);
  for (const k of [-1382 / 155925, 62 / 2835, -17 / 315, 2 / 15, -1 / 3]) {
    c.get(t.r).simd(SIMD.f32x4_mul);
    fv(c, k).simd(SIMD.f32x4_add);
  }
  c.get(t.r).simd(SIMD.f32x4_mul).get(x).simd(SIMD.f32x4_mul).get(x).simd(SIMD.f32x4_add);
  c.get(y).get(x).simd(SIMD.f32x4_abs);
  fv(c, 0.4).simd(SIMD.f32x4_lt).simd(SIMD.v128_bitselect);
}

/**
 * `softmax(src, dst, rows, cols, log)`: the (log-)softmax of each row of a row-major
 * rows×cols f32 matrix, shifted by the row maximum so exp never overflows.
 */
function softmax(): Code {
  const c = new Code([I32, I32, I32, I32, I32], []);
  const [src, dst, rows, cols, isLog] = [0, 1, 2, 3, 4];
  const row = c.local(I32);
  const j = c.local(I32);
  const p = c.local(I32);
  const q = c.local(I32);
  const vend = c.local(I32);
  const mx = c.local(V128);
  const x = c.local(V128);
  const sum = c.local(V128);
  const t = temps(c);
  const f = { mx: c.local(F32), s: c.local(F32), e: c.local(F32) };
  const addr = (base: number): void => {
    c.get(base).get(j).i32(2).op(OP.i32_shl, OP.i32_add);
  };
  c.for(
    row,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.get(row).get(cols).op(OP.i32_mul).i32(2).op(OP.i32_shl).tee(p).get(dst).op(OP.i32_add).set(q);
      c.get(p).get(src).op(OP.i32_add).set(p);
      c.get(cols).i32(-4).op(OP.i32_and).set(vend);
      // Row maximum (scalar: rows are short; NaN propagates).
      c.f32(Number.NEGATIVE_INFINITY).set(f.mx);
      c.for(
        j,
        () => c.i32(0),
        () => c.get(cols),
        1,
        () => {
          c.get(f.mx);
          addr(p);
          c.mem(OP.f32_load, 2, 0).op(OP.f32_max).set(f.mx);
        },
      );
      c.get(f.mx).simd(SIMD.f32x4_splat).set(mx);
      c.i32(0).simd(SIMD.i32x4_splat).set(sum);
      // e = exp(x - max) into dst, summed: four at a time, then the tail one lane at a time.
      c.for(
        j,
        () => c.i32(0),
        () => c.get(vend),
        4,
        () => {
          addr(p);
          c.simdMem(SIMD.v128_load, 0, 0).get(mx).simd(SIMD.f32x4_sub).set(x);
          exp(c, x, t);
          c.set(x);
          addr(q);
          c.get(x).simdMem(SIMD.v128_store, 0, 0);
          c.get(sum).get(x).simd(SIMD.f32x4_add).set(sum);
        },
      );
      c.get(sum).simd(SIMD.f32x4_extract_lane, 0).get(sum).simd(SIMD.f32x4_extract_lane, 1).op(OP.f32_add);
      c.get(sum).simd(SIMD.f32x4_extract_lane, 2).get(sum).simd(SIMD.f32x4_extract_lane, 3).op(OP.f32_add);
      c.op(OP.f32_add).set(f.s);
      c.for(
        j,
        () => c.get(vend),
        () => c.get(cols),
        1,
        () => {
          addr(p);
          c.simdMem(SIMD.v128_load32_splat, 2, 0).get(mx).simd(SIMD.f32x4_sub).set(x);
          exp(c, x, t);
          c.simd(SIMD.f32x4_extract_lane, 0).set(f.e);
          addr(q);
          c.get(f.e).mem(OP.f32_store, 2, 0);
          c.get(f.s).get(f.e).op(OP.f32_add).set(f.s);
        },
      );
      c.get(isLog);
      c.if(
        () => {
          // log-softmax: x - (max + log(sum))
          c.get(f.s).simd(SIMD.f32x4_splat).set(x);
          log(c, x, t);
          c.get(mx).simd(SIMD.f32x4_add).set(sum);
          c.for(
            j,
            () => c.i32(0),
            () => c.get(vend),
            4,
            () => {
              addr(q);
              addr(p);
              c.simdMem(SIMD.v128_load, 0, 0).get(sum).simd(SIMD.f32x4_sub).simdMem(SIMD.v128_store, 0, 0);
            },
          );
          c.get(sum).simd(SIMD.f32x4_extract_lane, 0).set(f.e);
          c.for(
            j,
            () => c.get(vend),
            () => c.get(cols),
            1,
            () => {
              addr(q);
              addr(p);
              c.mem(OP.f32_load, 2, 0).get(f.e).op(OP.f32_sub).mem(OP.f32_store, 2, 0);
            },
          );
        },
        () => {
          // softmax: e / sum
          c.f32(1).get(f.s).op(OP.f32_div).tee(f.e).simd(SIMD.f32x4_splat).set(sum);
          c.for(
            j,
            () => c.i32(0),
            () => c.get(vend),
            4,
            () => {
              addr(q);
              addr(q);
              c.simdMem(SIMD.v128_load, 0, 0).get(sum).simd(SIMD.f32x4_mul).simdMem(SIMD.v128_store, 0, 0);
            },
          );
          c.for(
            j,
            () => c.get(vend),
            () => c.get(cols),
            1,
            () => {
              addr(q);
              addr(q);
              c.mem(OP.f32_load, 2, 0).get(f.e).op(OP.f32_mul).mem(OP.f32_store, 2, 0);
            },
          );
        },
      );
    },
  );
  return c;
}

/** Adds `softmax` `(src, dst, rows, cols, log)` to the module. */
export function addSoftmax(mb: ModuleBuilder): void {
  mb.add(softmax(), "softmax");
}
