// The innermost pieces of the generated matrix product: the register-tiled SIMD micro-kernel,
// which computes one mr×nr tile of C from packed panels, and the edge writer, which stores the
// valid corner of a tile that overhangs C.

import { Code, I32, OP, SIMD, V128 } from "./emitter.ts";
import type { GemmShape } from "./gemm-shape.ts";

/** The micro-kernel: an mr×nr tile of C from packed A (mr per k) and packed B (nr per k). */
export function microKernel(s: GemmShape): Code {
  // (ap, bp, kcp, cp, ldc, add)
  const c = new Code([I32, I32, I32, I32, I32, I32], []);
  const [ap, bp, kcp, cp, ldc, add] = [0, 1, 2, 3, 4, 5];
  const nv = s.nr / 4;
  const acc: number[] = [];
  for (let i = 0; i < s.mr * nv; i++) acc.push(c.local(V128));
  const bv: number[] = [];
  for (let v = 0; v < nv; v++) bv.push(c.local(V128));
  const av = c.local(V128);
  const aend = c.local(I32);
  c.get(ap)
    .get(kcp)
    .i32(s.mr * 4)
    .op(OP.i32_mul, OP.i32_add)
    .set(aend);
  c.loop(() => {
    for (let u = 0; u < s.unroll; u++) {
      for (let v = 0; v < nv; v++)
        c.get(bp)
          .simdMem(SIMD.v128_load, 0, (u * s.nr + 4 * v) * 4)
          .set(bv[v]);
      for (let r = 0; r < s.mr; r++) {
        c.get(ap)
          .simdMem(SIMD.v128_load32_splat, 2, (u * s.mr + r) * 4)
          .set(av);
        for (let v = 0; v < nv; v++) {
          const t = acc[r * nv + v];
          if (s.fma) c.get(av).get(bv[v]).get(t).simd(SIMD.f32x4_relaxed_madd).set(t);
          else c.get(t).get(av).get(bv[v]).simd(SIMD.f32x4_mul).simd(SIMD.f32x4_add).set(t);
        }
      }
    }
    c.get(bp)
      .i32(s.unroll * s.nr * 4)
      .op(OP.i32_add)
      .set(bp);
    c.get(ap)
      .i32(s.unroll * s.mr * 4)
      .op(OP.i32_add)
      .tee(ap);
    c.get(aend).op(OP.i32_lt_s).brIf(0);
  });
  const store = (accumulate: boolean): void => {
    for (let r = 0; r < s.mr; r++) {
      for (let v = 0; v < nv; v++) {
        c.get(cp);
        if (accumulate) c.get(cp).simdMem(SIMD.v128_load, 0, v * 16);
        c.get(acc[r * nv + v]);
        if (accumulate) c.simd(SIMD.f32x4_add);
        c.simdMem(SIMD.v128_store, 0, v * 16);
      }
      if (r + 1 < s.mr) c.get(cp).get(ldc).i32(2).op(OP.i32_shl, OP.i32_add).set(cp);
    }
  };
  c.get(add).if(
    () => store(true),
    () => store(false),
  );
  return c;
}

/** Writes (or adds) the valid mr'×nr' corner of a full micro-tile into C. */
export function edge(s: GemmShape): Code {
  // (tile, cp, ldc, rows, cols, add)
  const c = new Code([I32, I32, I32, I32, I32, I32], []);
  const [tile, cp, ldc, rows, cols, add] = [0, 1, 2, 3, 4, 5];
  const r = c.local(I32);
  const j = c.local(I32);
  const src = c.local(I32);
  const dst = c.local(I32);
  c.for(
    r,
    () => c.i32(0),
    () => c.get(rows),
    1,
    () => {
      c.get(tile)
        .get(r)
        .i32(s.nr * 4)
        .op(OP.i32_mul, OP.i32_add)
        .set(src);
      c.get(cp).get(r).get(ldc).op(OP.i32_mul).i32(2).op(OP.i32_shl, OP.i32_add).set(dst);
      c.for(
        j,
        () => c.i32(0),
        () => c.get(cols),
        1,
        () => {
          // dst = src + (add ? dst : 0)
          c.get(dst).get(src).mem(OP.f32_load, 2, 0);
          c.get(dst).mem(OP.f32_load, 2, 0).f32(0).get(add).op(OP.select, OP.f32_add);
          c.mem(OP.f32_store, 2, 0);
          c.get(src).i32(4).op(OP.i32_add).set(src);
          c.get(dst).i32(4).op(OP.i32_add).set(dst);
        },
      );
    },
  );
  return c;
}
