// Packing op(B) for the generated matrix product: a kc×nc block copied into nr-column panels,
// k-major and zero-padded, the layout the micro-kernel reads; for any element strides, so a
// transposed B costs only a different read here. Also the padded copy both packers use for
// their last, partial panel.

import { Code, I32, OP, SIMD } from "./emitter.ts";
import type { GemmShape } from "./gemm-shape.ts";

/**
 * One k step of a partial panel: `width` values from `src` (stepping `stride` bytes) into the
 * panel at `dst`, with zeros for lanes whose index `start + lane` is at or past `limit`.
 */
export function copyPaddedLanes(
  c: Code,
  lane: number,
  width: number,
  start: number,
  limit: number,
  src: number,
  stride: number,
  dst: number,
): void {
  c.for(
    lane,
    () => c.i32(0),
    () => c.i32(width),
    1,
    () => {
      c.get(lane).get(start).op(OP.i32_add).get(limit).op(OP.i32_lt_s);
      c.if(
        () => {
          c.get(dst).get(lane).i32(2).op(OP.i32_shl, OP.i32_add);
          c.get(src).mem(OP.f32_load, 2, 0).mem(OP.f32_store, 2, 0);
        },
        () => {
          c.get(dst).get(lane).i32(2).op(OP.i32_shl, OP.i32_add);
          c.f32(0).mem(OP.f32_store, 2, 0);
        },
      );
      c.get(src).get(stride).op(OP.i32_add).set(src);
    },
  );
}

/** Packs a kc×nc block of op(B) into nr-column panels, k-major, zero-padded to nr and kcp. */
export function packB(s: GemmShape): Code {
  // (b, rs, cs, kc, nc, kcp, dst)
  const c = new Code([I32, I32, I32, I32, I32, I32, I32], []);
  const [b, rs, cs, kc, nc, kcp, dst] = [0, 1, 2, 3, 4, 5, 6];
  const j0 = c.local(I32);
  const p = c.local(I32);
  const j = c.local(I32);
  const src = c.local(I32);
  const col = c.local(I32);
  const nv = s.nr / 4;
  c.get(rs).i32(2).op(OP.i32_shl).set(rs);
  c.get(cs).i32(2).op(OP.i32_shl).set(cs);
  c.for(
    j0,
    () => c.i32(0),
    () => c.get(nc),
    s.nr,
    () => {
      c.get(b).get(j0).get(cs).op(OP.i32_mul, OP.i32_add).set(col);
      c.get(nc).get(j0).op(OP.i32_sub).i32(s.nr).op(OP.i32_ge_s);
      c.if(
        () => {
          c.get(cs).i32(4).op(OP.i32_eq);
          c.if(
            () => {
              // Rows of B contiguous: nr/4 vector copies per k step.
              c.for(
                p,
                () => c.i32(0),
                () => c.get(kc),
                1,
                () => {
                  for (let v = 0; v < nv; v++) {
                    c.get(dst)
                      .get(col)
                      .simdMem(SIMD.v128_load, 0, v * 16)
                      .simdMem(SIMD.v128_store, 0, v * 16);
                  }
                  c.get(col).get(rs).op(OP.i32_add).set(col);
                  c.get(dst)
                    .i32(s.nr * 4)
                    .op(OP.i32_add)
                    .set(dst);
                },
              );
            },
            () => {
              // Strided (transposed) B: nr scalar loads per k step, unrolled.
              c.for(
                p,
                () => c.i32(0),
                () => c.get(kc),
                1,
                () => {
                  c.get(col).set(src);
                  for (let jj = 0; jj < s.nr; jj++) {
                    c.get(dst)
                      .get(src)
                      .mem(OP.f32_load, 2, 0)
                      .mem(OP.f32_store, 2, jj * 4);
                    if (jj + 1 < s.nr) c.get(src).get(cs).op(OP.i32_add).set(src);
                  }
                  c.get(col).get(rs).op(OP.i32_add).set(col);
                  c.get(dst)
                    .i32(s.nr * 4)
                    .op(OP.i32_add)
                    .set(dst);
                },
              );
            },
          );
        },
        () => {
          // The last, partial panel: columns past nc are zero.
          c.for(
            p,
            () => c.i32(0),
            () => c.get(kc),
            1,
            () => {
              c.get(col).set(src);
              copyPaddedLanes(c, j, s.nr, j0, nc, src, cs, dst);
              c.get(col).get(rs).op(OP.i32_add).set(col);
              c.get(dst)
                .i32(s.nr * 4)
                .op(OP.i32_add)
                .set(dst);
            },
          );
        },
      );
      c.for(
        p,
        () => c.get(kc),
        () => c.get(kcp),
        1,
        () => {
          for (let v = 0; v < nv; v++) {
            c.get(dst)
              .i32(0)
              .simd(SIMD.i32x4_splat)
              .simdMem(SIMD.v128_store, 0, v * 16);
          }
          c.get(dst)
            .i32(s.nr * 4)
            .op(OP.i32_add)
            .set(dst);
        },
      );
    },
  );
  return c;
}
