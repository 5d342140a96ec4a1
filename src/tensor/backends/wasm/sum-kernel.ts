// Sums over the middle axis of `[outer, mid, inner]` (a bias's gradient: the rows of `g`
// added up), four columns at a time: each lane adds its column's numbers in row order, in
// float32, exactly as the js reference loop does, so the two give the same bits.

import { Code, I32, type ModuleBuilder, OP, SIMD, V128 } from "./emitter.ts";
import { fv } from "./math-kernels.ts";

/**
 * `sumMid(src, dst, outer, mid, inner)`: `dst[o·inner + i] = Σ_m src[(o·mid + m)·inner + i]`
 * (byte addresses). Whole vectors: past the last column of a row it reads the next row (or the
 * arena's padding) and writes lanes that the next `o` overwrites, so `dst` needs 12 spare
 * bytes and `inner` ≥ 4 keeps those writes inside the rows of the next `o`.
 */
function sumMid(): Code {
  const c = new Code([I32, I32, I32, I32, I32], []);
  const [src, dst, outer, mid, inner] = [0, 1, 2, 3, 4];
  const o = c.local(I32);
  const i = c.local(I32);
  const m = c.local(I32);
  const p = c.local(I32);
  const rowBytes = c.local(I32);
  const base = c.local(I32);
  const acc = c.local(V128);
  c.get(inner).i32(2).op(OP.i32_shl).set(rowBytes);
  c.for(
    o,
    () => c.i32(0),
    () => c.get(outer),
    1,
    () => {
      // base = src + o·mid·inner·4
      c.get(src).get(o).get(mid).op(OP.i32_mul).get(rowBytes).op(OP.i32_mul).op(OP.i32_add).set(base);
      c.for(
        i,
        () => c.i32(0),
        () => c.get(inner),
        4,
        () => {
          fv(c, 0).set(acc);
          c.get(base).get(i).i32(2).op(OP.i32_shl).op(OP.i32_add).set(p);
          c.for(
            m,
            () => c.i32(0),
            () => c.get(mid),
            1,
            () => {
              c.get(acc).get(p).simdMem(SIMD.v128_load, 0, 0).simd(SIMD.f32x4_add).set(acc);
              c.get(p).get(rowBytes).op(OP.i32_add).set(p);
            },
          );
          // dst + (o·inner + i)·4
          c.get(dst).get(o).get(inner).op(OP.i32_mul).get(i).op(OP.i32_add).i32(2).op(OP.i32_shl);
          c.op(OP.i32_add).get(acc).simdMem(SIMD.v128_store, 0, 0);
        },
      );
    },
  );
  return c;
}

/** Adds `sumMid` `(src, dst, outer, mid, inner)` to the module. */
export function addSumMid(mb: ModuleBuilder): void {
  mb.add(sumMid(), "sumMid");
}
