// The f32 matrix product, generated as WebAssembly: packed panels and a register-tiled SIMD
// micro-kernel (the BLIS/GotoBLAS structure). One exported function, `gemm`, computes
// C (m×n) = op(A) · op(B) (or C += ...) for any element strides of A and B, so A^T·B and
// A·B^T (the backward products) reuse the same kernel: only the packing reads differently.

import { Code, I32, type ModuleBuilder, OP, SIMD, V128 } from "./emitter.ts";

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

/** `min(x, y)` of two i32 locals, pushed. */
function min(c: Code, x: number, y: number): void {
  c.get(x).get(y).get(x).get(y).op(OP.i32_lt_s, OP.select);
}

/**
 * Pushes `i8x16.shuffle` of locals x and y picking 32-bit lanes (0–3 from x, 4–7 from y);
 * stores it in `into` when given.
 */
function shuffle(c: Code, x: number, y: number, lanes: readonly number[], into?: number): void {
  c.get(x).get(y);
  c.simd(SIMD.i8x16_shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
  if (into !== undefined) c.set(into);
}

/** The micro-kernel: an mr×nr tile of C from packed A (mr per k) and packed B (nr per k). */
function microKernel(s: GemmShape): Code {
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

/** Packs an mc×kc block of op(A) into mr-row panels, k-major, zero-padded to mr rows and kcp. */
function packA(s: GemmShape): Code {
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

/**
 * One k step of a partial panel: `width` values from `src` (stepping `stride` bytes) into the
 * panel at `dst`, with zeros for lanes whose index `start + lane` is at or past `limit`.
 */
function copyPaddedLanes(
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
function packB(s: GemmShape): Code {
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

/** Writes (or adds) the valid mr'×nr' corner of a full micro-tile into C. */
function edge(s: GemmShape): Code {
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

/**
 * Adds `gemm(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, accumulate, scratch)` to the module:
 * op(A)[i][p] = a[i·rsA + p·csA], op(B)[p][j] = b[p·rsB + j·csB], C[i][j] = c[i·ldc + j]
 * (element strides, byte pointers); `scratch` points at `gemmScratchBytes` bytes owned by the
 * calling thread. Requires k ≥ 1.
 */
export function addGemm(mb: ModuleBuilder, s: GemmShape): void {
  const kernel = mb.add(microKernel(s));
  const pa = mb.add(packA(s));
  const pb = mb.add(packB(s));
  const ed = mb.add(edge(s));
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [m, n, k, a, rsA, csA, b, rsB, csB, cc, ldc, acc, scratch] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  const [jc, pc, ic, jr, ir, nc, kc, kcp, mc, mode, cp, ap, bp, t] = Array.from({ length: 14 }, () =>
    c.local(I32),
  );
  const packedA = c.local(I32);
  const packedB = c.local(I32);
  const tile = c.local(I32);
  const rows = c.local(I32);
  const cols = c.local(I32);
  const kstep = c.local(I32);
  const setConst = (dst: number, v: number): void => {
    c.i32(v).set(dst);
  };
  // Depth blocks of equal size (k = 784 gives 4 × 196, not 3 × 256 + 16): a thin last block
  // would pay the full cost of loading and storing C for little work.
  c.get(k)
    .i32(s.kc - 1)
    .op(OP.i32_add)
    .i32(s.kc)
    .op(OP.i32_div_s)
    .set(t);
  c.get(k).get(t).op(OP.i32_add).i32(1).op(OP.i32_sub).get(t).op(OP.i32_div_s);
  c.i32(s.unroll - 1)
    .op(OP.i32_add)
    .i32(-s.unroll)
    .op(OP.i32_and)
    .set(kstep);
  c.get(scratch).set(packedA);
  c.get(scratch)
    .i32(s.mc * s.kc * 4)
    .op(OP.i32_add)
    .set(packedB);
  c.get(packedB)
    .i32(s.kc * s.nc * 4)
    .op(OP.i32_add)
    .set(tile);
  c.for(
    jc,
    () => c.i32(0),
    () => c.get(n),
    s.nc,
    () => {
      setConst(t, s.nc);
      c.get(n).get(jc).op(OP.i32_sub).set(nc);
      min(c, nc, t);
      c.set(nc);
      c.for(
        pc,
        () => c.i32(0),
        () => c.get(k),
        () => c.get(kstep),
        () => {
          c.get(kstep).set(t);
          c.get(k).get(pc).op(OP.i32_sub).set(kc);
          min(c, kc, t);
          c.set(kc);
          c.get(kc)
            .i32(s.unroll - 1)
            .op(OP.i32_add)
            .i32(-s.unroll)
            .op(OP.i32_and)
            .set(kcp);
          // packB(b + (pc·rsB + jc·csB)·4, rsB, csB, kc, nc, kcp, packedB)
          c.get(b).get(pc).get(rsB).op(OP.i32_mul).get(jc).get(csB).op(OP.i32_mul, OP.i32_add);
          c.i32(2).op(OP.i32_shl, OP.i32_add);
          c.get(rsB).get(csB).get(kc).get(nc).get(kcp).get(packedB).call(pb);
          c.get(acc).get(pc).i32(0).op(OP.i32_gt_s, OP.i32_or).set(mode);
          c.for(
            ic,
            () => c.i32(0),
            () => c.get(m),
            s.mc,
            () => {
              setConst(t, s.mc);
              c.get(m).get(ic).op(OP.i32_sub).set(mc);
              min(c, mc, t);
              c.set(mc);
              c.get(a).get(ic).get(rsA).op(OP.i32_mul).get(pc).get(csA).op(OP.i32_mul, OP.i32_add);
              c.i32(2).op(OP.i32_shl, OP.i32_add);
              c.get(rsA).get(csA).get(mc).get(kc).get(kcp).get(packedA).call(pa);
              c.for(
                jr,
                () => c.i32(0),
                () => c.get(nc),
                s.nr,
                () => {
                  c.get(packedB).get(jr).get(kcp).op(OP.i32_mul).i32(2).op(OP.i32_shl, OP.i32_add).set(bp);
                  c.for(
                    ir,
                    () => c.i32(0),
                    () => c.get(mc),
                    s.mr,
                    () => {
                      c.get(packedA)
                        .get(ir)
                        .get(kcp)
                        .op(OP.i32_mul)
                        .i32(2)
                        .op(OP.i32_shl, OP.i32_add)
                        .set(ap);
                      // cp = c + ((ic + ir)·ldc + jc + jr)·4
                      c.get(cc).get(ic).get(ir).op(OP.i32_add).get(ldc).op(OP.i32_mul);
                      c.get(jc).get(jr).op(OP.i32_add, OP.i32_add).i32(2).op(OP.i32_shl, OP.i32_add).set(cp);
                      c.get(mc).get(ir).op(OP.i32_sub).i32(s.mr).op(OP.i32_ge_s);
                      c.get(nc).get(jr).op(OP.i32_sub).i32(s.nr).op(OP.i32_ge_s, OP.i32_and);
                      c.if(
                        () => {
                          c.get(ap).get(bp).get(kcp).get(cp).get(ldc).get(mode).call(kernel);
                        },
                        () => {
                          c.get(ap).get(bp).get(kcp).get(tile).i32(s.nr).i32(0).call(kernel);
                          setConst(t, s.mr);
                          c.get(mc).get(ir).op(OP.i32_sub).set(rows);
                          min(c, rows, t);
                          c.set(rows);
                          setConst(t, s.nr);
                          c.get(nc).get(jr).op(OP.i32_sub).set(cols);
                          min(c, cols, t);
                          c.set(cols);
                          c.get(tile).get(cp).get(ldc).get(rows).get(cols).get(mode).call(ed);
                        },
                      );
                    },
                  );
                },
              );
            },
          );
        },
      );
    },
  );
  mb.add(c, "gemm");
}
