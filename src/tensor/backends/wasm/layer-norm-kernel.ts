// Layer normalisation, forward and backward, one row at a time with four columns per vector
// (rows a whole number of vectors wide; the backend sends other widths to the js loops). The
// formulas are those of the composite in ../../ops/layer-norm.ts, which the results are tested
// against; row sums are in float32.

import { Code, F32, I32, type ModuleBuilder, OP, SIMD, V128 } from "./emitter.ts";
import { fv } from "./math-kernels.ts";

/** Pushes the sum of the four lanes of vector local `v` (an f32). */
function lanesSum(c: Code, v: number): void {
  c.get(v).simd(SIMD.f32x4_extract_lane, 0).get(v).simd(SIMD.f32x4_extract_lane, 1).op(OP.f32_add);
  c.get(v).simd(SIMD.f32x4_extract_lane, 2).get(v).simd(SIMD.f32x4_extract_lane, 3).op(OP.f32_add);
  c.op(OP.f32_add);
}

/** `for (j = 0; j < bytes; j += 16) body()`, with `j` a byte offset into the row. */
function vectors(c: Code, j: number, bytes: number, body: () => void): void {
  c.for(
    j,
    () => c.i32(0),
    () => c.get(bytes),
    16,
    body,
  );
}

/** Pushes the vector at `base + j` (byte addresses in locals). */
function load(c: Code, base: number, j: number): void {
  c.get(base).get(j).op(OP.i32_add).simdMem(SIMD.v128_load, 0, 0);
}

/**
 * `layerNorm(x, w, b, y, xhat, rstd, rows, cols, invCols, eps)`: per row, `rstd = (var + eps)^−½`,
 * `xhat = (x − mean)·rstd`, `y = xhat·w + b`.
 */
function forward(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, F32, F32], []);
  const [x, w, b, y, xhat, rstd, rows, cols, invCols, eps] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const r = c.local(I32);
  const j = c.local(I32);
  const bytes = c.local(I32);
  const px = c.local(I32);
  const ph = c.local(I32);
  const py = c.local(I32);
  const acc = c.local(V128);
  const mu = c.local(V128);
  const inv = c.local(V128);
  const d = c.local(V128);
  const f = c.local(F32);
  c.get(cols).i32(2).op(OP.i32_shl).set(bytes);
  c.for(
    r,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.get(r).get(bytes).op(OP.i32_mul).tee(px).get(xhat).op(OP.i32_add).set(ph);
      c.get(px).get(y).op(OP.i32_add).set(py);
      c.get(px).get(x).op(OP.i32_add).set(px);
      fv(c, 0).set(acc);
      vectors(c, j, bytes, () => {
        c.get(acc);
        load(c, px, j);
        c.simd(SIMD.f32x4_add).set(acc);
      });
      lanesSum(c, acc);
      c.get(invCols).op(OP.f32_mul).simd(SIMD.f32x4_splat).set(mu);
      fv(c, 0).set(acc);
      vectors(c, j, bytes, () => {
        load(c, px, j);
        c.get(mu)
          .simd(SIMD.f32x4_sub)
          .tee(d)
          .get(d)
          .simd(SIMD.f32x4_mul)
          .get(acc)
          .simd(SIMD.f32x4_add)
          .set(acc);
      });
      // rstd[r] = 1 / sqrt(Σ/cols + eps)
      c.f32(1);
      lanesSum(c, acc);
      c.get(invCols).op(OP.f32_mul).get(eps).op(OP.f32_add).op(OP.f32_sqrt).op(OP.f32_div).set(f);
      c.get(rstd).get(r).i32(2).op(OP.i32_shl).op(OP.i32_add).get(f).mem(OP.f32_store, 2, 0);
      c.get(f).simd(SIMD.f32x4_splat).set(inv);
      vectors(c, j, bytes, () => {
        c.get(ph).get(j).op(OP.i32_add);
        load(c, px, j);
        c.get(mu).simd(SIMD.f32x4_sub).get(inv).simd(SIMD.f32x4_mul).tee(d).simdMem(SIMD.v128_store, 0, 0);
        c.get(py).get(j).op(OP.i32_add);
        c.get(d);
        load(c, w, j);
        c.simd(SIMD.f32x4_mul);
        load(c, b, j);
        c.simd(SIMD.f32x4_add).simdMem(SIMD.v128_store, 0, 0);
      });
    },
  );
  return c;
}

/**
 * `layerNormGrad(g, xhat, rstd, w, dx, dw, db, rows, cols, invCols)`: per row, with `ĝ = g·w`,
 * `dx += rstd·(ĝ − mean(ĝ) − xhat·mean(ĝ·xhat))`, `dw += g·xhat`, `db += g`.
 */
function backward(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, F32], []);
  const [g, xhat, rstd, w, dx, dw, db, rows, cols, invCols] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const r = c.local(I32);
  const j = c.local(I32);
  const bytes = c.local(I32);
  const pg = c.local(I32);
  const ph = c.local(I32);
  const pd = c.local(I32);
  const s1 = c.local(V128);
  const s2 = c.local(V128);
  const gh = c.local(V128);
  const vg = c.local(V128);
  const h = c.local(V128);
  const inv = c.local(V128);
  c.get(cols).i32(2).op(OP.i32_shl).set(bytes);
  c.for(
    r,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.get(r).get(bytes).op(OP.i32_mul).tee(pg).get(xhat).op(OP.i32_add).set(ph);
      c.get(pg).get(dx).op(OP.i32_add).set(pd);
      c.get(pg).get(g).op(OP.i32_add).set(pg);
      fv(c, 0).set(s1);
      fv(c, 0).set(s2);
      vectors(c, j, bytes, () => {
        load(c, pg, j);
        load(c, w, j);
        c.simd(SIMD.f32x4_mul).tee(gh).get(s1).simd(SIMD.f32x4_add).set(s1);
        c.get(gh);
        load(c, ph, j);
        c.simd(SIMD.f32x4_mul).get(s2).simd(SIMD.f32x4_add).set(s2);
      });
      // s1 = mean(ĝ), s2 = mean(ĝ·xhat), splatted
      lanesSum(c, s1);
      c.get(invCols).op(OP.f32_mul).simd(SIMD.f32x4_splat).set(s1);
      lanesSum(c, s2);
      c.get(invCols).op(OP.f32_mul).simd(SIMD.f32x4_splat).set(s2);
      c.get(rstd).get(r).i32(2).op(OP.i32_shl).op(OP.i32_add).simdMem(SIMD.v128_load32_splat, 2, 0).set(inv);
      vectors(c, j, bytes, () => {
        load(c, pg, j);
        c.set(vg);
        load(c, ph, j);
        c.set(h);
        // dx += inv·(g·w − s1 − h·s2)
        c.get(pd).get(j).op(OP.i32_add);
        load(c, pd, j);
        c.get(vg);
        load(c, w, j);
        c.simd(SIMD.f32x4_mul).get(s1).simd(SIMD.f32x4_sub).get(h).get(s2).simd(SIMD.f32x4_mul);
        c.simd(SIMD.f32x4_sub)
          .get(inv)
          .simd(SIMD.f32x4_mul)
          .simd(SIMD.f32x4_add)
          .simdMem(SIMD.v128_store, 0, 0);
        // dw += g·h, db += g
        c.get(dw).get(j).op(OP.i32_add);
        load(c, dw, j);
        c.get(vg).get(h).simd(SIMD.f32x4_mul).simd(SIMD.f32x4_add).simdMem(SIMD.v128_store, 0, 0);
        c.get(db).get(j).op(OP.i32_add);
        load(c, db, j);
        c.get(vg).simd(SIMD.f32x4_add).simdMem(SIMD.v128_store, 0, 0);
      });
    },
  );
  return c;
}

/** Adds `layerNorm` and `layerNormGrad` to the module. */
export function addLayerNorm(mb: ModuleBuilder): void {
  mb.add(forward(), "layerNorm");
  mb.add(backward(), "layerNormGrad");
}
