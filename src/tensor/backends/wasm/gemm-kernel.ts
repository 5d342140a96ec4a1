// The f32 matrix product, generated as WebAssembly: packed panels and a register-tiled SIMD
// micro-kernel (the BLIS/GotoBLAS structure). One exported function, `gemm`, computes
// C (m×n) = op(A) · op(B) (or C += ...) for any element strides of A and B, so A^T·B and
// A·B^T (the backward products) reuse the same kernel: only the packing reads differently.

// The pieces: gemm-shape.ts (blocking), gemm-pack-a.ts and gemm-pack-b.ts (packing), gemm-tile.ts (the
// micro-kernel and the edge writer); this file is the loop nest that drives them.

import { Code, I32, type ModuleBuilder, OP } from "./emitter.ts";
import { packA } from "./gemm-pack-a.ts";
import { packB } from "./gemm-pack-b.ts";
import type { GemmShape } from "./gemm-shape.ts";
import { edge, microKernel } from "./gemm-tile.ts";

/** `min(x, y)` of two i32 locals, pushed. */
function min(c: Code, x: number, y: number): void {
  c.get(x).get(y).get(x).get(y).op(OP.i32_lt_s, OP.select);
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
