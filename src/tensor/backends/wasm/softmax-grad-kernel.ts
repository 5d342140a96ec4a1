// The gradient of a row softmax, `dx += y·(g − Σ g·y)` per row, four columns per vector (rows a
// whole number of vectors wide, as attention's are; the backend sends other widths to the js
// loop), and of a row log-softmax, `dx += g − e^y·Σ g` (any width: a cross-entropy's rows are
// as wide as the vocabulary). Row sums are in float32.

import { Code, F32, I32, type ModuleBuilder, OP, SIMD, V128 } from "./emitter.ts";
import { exp, fv, temps } from "./math-kernels.ts";

/** `softmaxGrad(y, g, dx, rows, cols)`, byte addresses. */
function softmaxGrad(): Code {
  const c = new Code([I32, I32, I32, I32, I32], []);
  const [y, g, dx, rows, cols] = [0, 1, 2, 3, 4];
  const r = c.local(I32);
  const j = c.local(I32);
  const bytes = c.local(I32);
  const at = c.local(I32);
  const dot = c.local(V128);
  const addr = (base: number): void => {
    c.get(base).get(at).op(OP.i32_add).get(j).op(OP.i32_add);
  };
  c.get(cols).i32(2).op(OP.i32_shl).set(bytes);
  c.for(
    r,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.get(r).get(bytes).op(OP.i32_mul).set(at);
      fv(c, 0).set(dot);
      c.for(
        j,
        () => c.i32(0),
        () => c.get(bytes),
        16,
        () => {
          addr(g);
          c.simdMem(SIMD.v128_load, 0, 0);
          addr(y);
          c.simdMem(SIMD.v128_load, 0, 0).simd(SIMD.f32x4_mul).get(dot).simd(SIMD.f32x4_add).set(dot);
        },
      );
      // the four lanes' sum, in every lane
      c.get(dot).simd(SIMD.f32x4_extract_lane, 0).get(dot).simd(SIMD.f32x4_extract_lane, 1).op(OP.f32_add);
      c.get(dot).simd(SIMD.f32x4_extract_lane, 2).get(dot).simd(SIMD.f32x4_extract_lane, 3).op(OP.f32_add);
      c.op(OP.f32_add).simd(SIMD.f32x4_splat).set(dot);
      c.for(
        j,
        () => c.i32(0),
        () => c.get(bytes),
        16,
        () => {
          addr(dx);
          addr(dx);
          c.simdMem(SIMD.v128_load, 0, 0);
          addr(y);
          c.simdMem(SIMD.v128_load, 0, 0);
          addr(g);
          c.simdMem(SIMD.v128_load, 0, 0).get(dot).simd(SIMD.f32x4_sub).simd(SIMD.f32x4_mul);
          c.simd(SIMD.f32x4_add).simdMem(SIMD.v128_store, 0, 0);
        },
      );
    },
  );
  return c;
}

/** `logSoftmaxGrad(y, g, dx, rows, cols)`, byte addresses: four columns at a time, then the tail. */
function logSoftmaxGrad(): Code {
  const c = new Code([I32, I32, I32, I32, I32], []);
  const [y, g, dx, rows, cols] = [0, 1, 2, 3, 4];
  const r = c.local(I32);
  const j = c.local(I32);
  const at = c.local(I32);
  const vend = c.local(I32);
  const sum = c.local(F32);
  const s = c.local(V128);
  const e = c.local(V128);
  const t = temps(c);
  const addr = (base: number): void => {
    c.get(base).get(at).op(OP.i32_add).get(j).i32(2).op(OP.i32_shl).op(OP.i32_add);
  };
  // dx[j] += g[j] − e^y[j]·s: four columns from j, or column j alone
  const update = (vector: boolean): void => {
    addr(y);
    c.simdMem(vector ? SIMD.v128_load : SIMD.v128_load32_splat, vector ? 0 : 2, 0).set(e);
    exp(c, e, t);
    c.get(s).simd(SIMD.f32x4_mul).set(e);
    addr(dx);
    if (vector) {
      addr(dx);
      c.simdMem(SIMD.v128_load, 0, 0);
      addr(g);
      c.simdMem(SIMD.v128_load, 0, 0).get(e).simd(SIMD.f32x4_sub).simd(SIMD.f32x4_add);
      c.simdMem(SIMD.v128_store, 0, 0);
    } else {
      addr(dx);
      c.mem(OP.f32_load, 2, 0);
      addr(g);
      c.mem(OP.f32_load, 2, 0).get(e).simd(SIMD.f32x4_extract_lane, 0).op(OP.f32_sub).op(OP.f32_add);
      c.mem(OP.f32_store, 2, 0);
    }
  };
  c.get(cols).i32(-4).op(OP.i32_and).set(vend);
  c.for(
    r,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.get(r).get(cols).op(OP.i32_mul).i32(2).op(OP.i32_shl).set(at);
      c.f32(0).set(sum);
      c.for(
        j,
        () => c.i32(0),
        () => c.get(cols),
        1,
        () => {
          c.get(sum);
          addr(g);
          c.mem(OP.f32_load, 2, 0).op(OP.f32_add).set(sum);
        },
      );
      c.get(sum).simd(SIMD.f32x4_splat).set(s);
      c.for(
        j,
        () => c.i32(0),
        () => c.get(vend),
        4,
        () => update(true),
      );
      c.for(
        j,
        () => c.get(vend),
        () => c.get(cols),
        1,
        () => update(false),
      );
    },
  );
  return c;
}

/** Adds `softmaxGrad` and `logSoftmaxGrad` `(y, g, dx, rows, cols)` to the module. */
export function addSoftmaxGrad(mb: ModuleBuilder): void {
  mb.add(softmaxGrad(), "softmaxGrad");
  mb.add(logSoftmaxGrad(), "logSoftmaxGrad");
}
