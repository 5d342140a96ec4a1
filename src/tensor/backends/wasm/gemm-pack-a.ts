// Packing op(A) for the generated matrix product: an mc×kc block copied into mr-row panels,
// k-major and zero-padded, the layout the micro-kernel reads; for any element strides, so a
// transposed A costs only a different read here.

import { Code, I32, OP, SIMD, V128 } from "./emitter.ts";
import { copyPaddedLanes } from "./gemm-pack-b.ts";
import type { GemmShape } from "./gemm-shape.ts";

/**
 * Pushes `i8x16.shuffle` of locals x and y picking 32-bit lanes (0–3 from x, 4–7 from y);
 * stores it in `into` when given.
 */
function shuffle(c: Code, x: number, y: number, lanes: readonly number[], into?: number): void {
  c.get(x).get(y);
  c.simd(SIMD.i8x16_shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
  if (into !== undefined) c.set(into);
}

/** Packs an mc×kc block of op(A) into mr-row panels, k-major, zero-padded to mr rows and kcp. */
export function packA(s: GemmShape): Code {
  // (a, rs, cs, mc, kc, kcp, dst): strides in elements, pointers in bytes
  const c = new Code([I32, I32, I32, I32, I32, I32, I32], []);
  const [a, rs, cs, mc, kc, kcp, dst] = [0, 1, 2, 3, 4, 5, 6];
  const i0 = c.local(I32);
  const p = c.local(I32);
  const r = c.local(I32);
  const src = c.local(I32);
  const row = c.local(I32);
  const kv = c.local(I32);
  const v = [c.local(V128), c.local(V128), c.local(V128), c.local(V128)];
  const t = [c.local(V128), c.local(V128), c.local(V128), c.local(V128)];
  c.get(rs).i32(2).op(OP.i32_shl).set(rs);
  c.get(cs).i32(2).op(OP.i32_shl).set(cs);
  c.for(
    i0,
    () => c.i32(0),
    () => c.get(mc),
    s.mr,
    () => {
      // row = a + i0 * rs (bytes)
      c.get(a).get(i0).get(rs).op(OP.i32_mul, OP.i32_add).set(row);
      c.get(mc).get(i0).op(OP.i32_sub).i32(s.mr).op(OP.i32_ge_s);
      c.if(
        () => {
          // A full panel: mr loads per k step, unrolled.
          const scalar = (from: () => void): void => {
            c.for(
              p,
              from,
              () => c.get(kc),
              1,
              () => {
                c.get(row).get(p).get(cs).op(OP.i32_mul, OP.i32_add).set(src);
                for (let rr = 0; rr < s.mr; rr++) {
                  c.get(dst)
                    .get(src)
                    .mem(OP.f32_load, 2, 0)
                    .mem(OP.f32_store, 2, rr * 4);
                  if (rr + 1 < s.mr) c.get(src).get(rs).op(OP.i32_add).set(src);
                }
                c.get(dst)
                  .i32(s.mr * 4)
                  .op(OP.i32_add)
                  .set(dst);
              },
            );
          };
          if (s.mr !== 4) {
            scalar(() => c.i32(0));
            return;
          }
          // Rows contiguous along k (A not transposed): 4 rows × 4 k steps per 4 vector loads,
          // transposed in registers, 4 vector stores; the last kc % 4 steps one by one.
          c.get(cs).i32(4).op(OP.i32_eq);
          c.if(
            () => {
              c.get(kc).i32(-4).op(OP.i32_and).set(kv);
              c.for(
                p,
                () => c.i32(0),
                () => c.get(kv),
                4,
                () => {
                  c.get(row).get(p).i32(2).op(OP.i32_shl, OP.i32_add).set(src);
                  for (let rr = 0; rr < 4; rr++) {
                    c.get(src).simdMem(SIMD.v128_load, 0, 0).set(v[rr]);
                    if (rr < 3) c.get(src).get(rs).op(OP.i32_add).set(src);
                  }
                  shuffle(c, v[0], v[1], [0, 4, 1, 5], t[0]);
                  shuffle(c, v[0], v[1], [2, 6, 3, 7], t[1]);
                  shuffle(c, v[2], v[3], [0, 4, 1, 5], t[2]);
                  shuffle(c, v[2], v[3], [2, 6, 3, 7], t[3]);
                  const outs: [number, number, number[]][] = [
                    [t[0], t[2], [0, 1, 4, 5]],
                    [t[0], t[2], [2, 3, 6, 7]],
                    [t[1], t[3], [0, 1, 4, 5]],
                    [t[1], t[3], [2, 3, 6, 7]],
                  ];
                  outs.forEach(([x, y, lanes], q) => {
                    c.get(dst);
                    shuffle(c, x, y, lanes);
                    c.simdMem(SIMD.v128_store, 0, q * 16);
                  });
                  c.get(dst).i32(64).op(OP.i32_add).set(dst);
                },
              );
              scalar(() => c.get(kv));
            },
            () => scalar(() => c.i32(0)),
          );
        },
        () => {
          // The last, partial panel: rows past mc are zero.
          c.for(
            p,
            () => c.i32(0),
            () => c.get(kc),
            1,
            () => {
              c.get(row).get(p).get(cs).op(OP.i32_mul, OP.i32_add).set(src);
              copyPaddedLanes(c, r, s.mr, i0, mc, src, rs, dst);
              c.get(dst)
                .i32(s.mr * 4)
                .op(OP.i32_add)
                .set(dst);
            },
          );
        },
      );
      // Zero k steps kc..kcp.
      c.for(
        p,
        () => c.get(kc),
        () => c.get(kcp),
        1,
        () => {
          for (let rr = 0; rr < s.mr; rr++)
            c.get(dst)
              .f32(0)
              .mem(OP.f32_store, 2, rr * 4);
          c.get(dst)
            .i32(s.mr * 4)
            .op(OP.i32_add)
            .set(dst);
        },
      );
    },
  );
  return c;
}
