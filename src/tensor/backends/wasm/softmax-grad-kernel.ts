// The gradient of a row softmax, `dx += y·(g − Σ g·y)` per row, four columns per vector (rows a
// whole number of vectors wide, as attention's are; the backend sends other widths and the
// log-softmax to the js loop). Row sums are in float32.

import { Code, I32, type ModuleBuilder, OP, SIMD, V128 } from "./emitter.ts";
import { fv } from "./math-kernels.ts";

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

/** Adds `softmaxGrad` `(y, g, dx, rows, cols)` to the module. */
export function addSoftmaxGrad(mb: ModuleBuilder): void {
  mb.add(softmaxGrad(), "softmaxGrad");
}
