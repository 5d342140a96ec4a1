import type { Data } from "../backend.ts";

// A cache-blocked, register-tiled matrix product in plain TypeScript (the GotoBLAS layout):
// the k dimension is cut into blocks of KC; for each block, op(B) is packed into column
// slivers of width 4 and op(A) into row slivers of height 4; a 4x4 tile of the output is then
// accumulated in 16 local variables while one A sliver and one B sliver stream through.
// Packing also turns the transposed variants (A^T·B, A·B^T, used by backward) into the same
// inner loop. Small products skip the packing, which would cost more than it saves.
//
// The packed slivers are plain arrays of doubles, not typed arrays: V8 reads them faster (5.5
// against 4.8 GFLOP/s in the kernel here), and they keep that speed after any ArrayBuffer in the
// process is detached (WebAssembly memory growing, a buffer transferred to a worker), which makes
// every typed-array read in optimised code check for it (4.2 GFLOP/s).

const KC = 256;
const MC = 64;
const packA = doubles(MC * KC);
let packB = doubles(KC * 64);

/** `n` zeros in a plain array that V8 stores unboxed (-0 is a double, never a small integer). */
function doubles(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(-0);
  return a;
}

/** Products with fewer multiply-adds than this use the direct loops. */
const SMALL = 48 * 48 * 48;

/** See `Backend.matmul`. */
export function matmul(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  out: Data,
  oo: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (!accumulate) out.fill(0, oo, oo + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  if (m * n * k < SMALL || m < 4 || n < 4) {
    direct(a, ao, b, bo, out, oo, m, k, n, transA, transB);
    return;
  }
  const nPanels = (n + 3) >> 2;
  // equal k blocks of at most KC (784 = 4 x 196, not 3 x 256 + 16)
  const kBlock = Math.ceil(k / Math.ceil(k / KC));
  for (let pc = 0; pc < k; pc += kBlock) {
    const kc = Math.min(kBlock, k - pc);
    if (packB.length < nPanels * kc * 4) packB = doubles(nPanels * kc * 4);
    packBBlock(b, bo, k, n, pc, kc, transB, packB);
    for (let ic = 0; ic < m; ic += MC) {
      const mc = Math.min(MC, m - ic);
      packABlock(a, ao, m, k, ic, mc, pc, kc, transA, packA);
      const mPanels = (mc + 3) >> 2;
      for (let jp = 0; jp < nPanels; jp++) {
        const j0 = jp * 4;
        const nr = Math.min(4, n - j0);
        for (let ip = 0; ip < mPanels; ip++) {
          const i0 = ic + ip * 4;
          const mr = Math.min(4, m - i0);
          kernel4x4(packA, ip * kc * 4, packB, jp * kc * 4, kc, out, oo + i0 * n + j0, n, mr, nr);
        }
      }
    }
  }
}

/** Packs rows pc..pc+kc of op(B) (k×n) into slivers: sliver j holds columns 4j..4j+3, row-interleaved. */
function packBBlock(
  b: Data,
  bo: number,
  k: number,
  n: number,
  pc: number,
  kc: number,
  transB: boolean,
  dst: number[],
): void {
  const nPanels = (n + 3) >> 2;
  for (let jp = 0; jp < nPanels; jp++) {
    const j0 = jp * 4;
    const base = jp * kc * 4;
    const full = j0 + 4 <= n;
    if (!transB && full) {
      for (let p = 0; p < kc; p++) {
        const s = bo + (pc + p) * n + j0;
        const d = base + p * 4;
        dst[d] = b[s];
        dst[d + 1] = b[s + 1];
        dst[d + 2] = b[s + 2];
        dst[d + 3] = b[s + 3];
      }
    } else if (transB && full) {
      // op(B)[p][j] = B[j][p]
      const s0 = bo + j0 * k + pc;
      for (let p = 0; p < kc; p++) {
        const d = base + p * 4;
        dst[d] = b[s0 + p];
        dst[d + 1] = b[s0 + k + p];
        dst[d + 2] = b[s0 + 2 * k + p];
        dst[d + 3] = b[s0 + 3 * k + p];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let jj = 0; jj < 4; jj++) {
          const j = j0 + jj;
          dst[base + p * 4 + jj] = j < n ? (transB ? b[bo + j * k + pc + p] : b[bo + (pc + p) * n + j]) : 0;
        }
      }
    }
  }
}

/** Packs op(A)[ic..ic+mc][pc..pc+kc] into slivers of 4 rows, column-interleaved. */
function packABlock(
  a: Data,
  ao: number,
  m: number,
  k: number,
  ic: number,
  mc: number,
  pc: number,
  kc: number,
  transA: boolean,
  dst: number[],
): void {
  const mPanels = (mc + 3) >> 2;
  for (let ip = 0; ip < mPanels; ip++) {
    const i0 = ic + ip * 4;
    const base = ip * kc * 4;
    const full = i0 + 4 <= ic + mc;
    if (!transA && full) {
      const s0 = ao + i0 * k + pc;
      for (let p = 0; p < kc; p++) {
        const d = base + p * 4;
        dst[d] = a[s0 + p];
        dst[d + 1] = a[s0 + k + p];
        dst[d + 2] = a[s0 + 2 * k + p];
        dst[d + 3] = a[s0 + 3 * k + p];
      }
    } else if (transA && full) {
      // op(A)[i][p] = A[p][i]
      for (let p = 0; p < kc; p++) {
        const s = ao + (pc + p) * m + i0;
        const d = base + p * 4;
        dst[d] = a[s];
        dst[d + 1] = a[s + 1];
        dst[d + 2] = a[s + 2];
        dst[d + 3] = a[s + 3];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let ii = 0; ii < 4; ii++) {
          const i = i0 + ii;
          dst[base + p * 4 + ii] =
            i < ic + mc ? (transA ? a[ao + (pc + p) * m + i] : a[ao + i * k + pc + p]) : 0;
        }
      }
    }
  }
}

// biome-ignore format: the 4x4 tile reads best as a grid
/** out[4×4 tile] += Apanel (kc×4) · Bpanel (kc×4); only mr×nr of the tile is stored. */
function kernel4x4(
  pa: readonly number[],
  ia: number,
  pb: readonly number[],
  ib: number,
  kc: number,
  out: Data,
  o: number,
  ldo: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = ia + kc * 4;
  for (; ia < end; ia += 4, ib += 4) {
    const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
    const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === 4 && nr === 4) {
    out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
    o += ldo;
    out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13;
    o += ldo;
    out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23;
    o += ldo;
    out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) out[o + i * ldo + j] += tile[i * 4 + j];
}

/**
 * Small products without packing: op(A)[i,p] = a[ao + i·sai + p·sap] and op(B)[p,j] =
 * b[bo + p·sbp + j·sbj] cover all transposed variants. Outputs are summed two rows by four
 * columns at a time in locals, so each loaded number serves several multiply-adds.
 */
function direct(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  out: Data,
  oo: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  const sai = transA ? 1 : k;
  const sap = transA ? m : 1;
  const sbp = transB ? 1 : n;
  const sbj = transB ? k : 1;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = ao + i * sai;
    const a1 = a0 + sai;
    const o0 = oo + i * n;
    const o1 = o0 + n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      let q = bo + j * sbj;
      for (let p = 0; p < k; p++, q += sbp) {
        const x0 = a[a0 + p * sap];
        const x1 = a[a1 + p * sap];
        const b0 = b[q];
        const b1 = b[q + sbj];
        const b2 = b[q + 2 * sbj];
        const b3 = b[q + 3 * sbj];
        s00 += x0 * b0;
        s01 += x0 * b1;
        s02 += x0 * b2;
        s03 += x0 * b3;
        s10 += x1 * b0;
        s11 += x1 * b1;
        s12 += x1 * b2;
        s13 += x1 * b3;
      }
      out[o0 + j] += s00;
      out[o0 + j + 1] += s01;
      out[o0 + j + 2] += s02;
      out[o0 + j + 3] += s03;
      out[o1 + j] += s10;
      out[o1 + j + 1] += s11;
      out[o1 + j + 2] += s12;
      out[o1 + j + 3] += s13;
    }
    for (; j < n; j++) {
      let s0 = 0;
      let s1 = 0;
      let q = bo + j * sbj;
      for (let p = 0; p < k; p++, q += sbp) {
        const bv = b[q];
        s0 += a[a0 + p * sap] * bv;
        s1 += a[a1 + p * sap] * bv;
      }
      out[o0 + j] += s0;
      out[o1 + j] += s1;
    }
  }
  if (i < m) directRow(a, ao + i * sai, sap, b, bo, sbp, sbj, out, oo + i * n, k, n);
}

/** One output row (the last, when the row count is odd). */
function directRow(
  a: Data,
  ai: number,
  sap: number,
  b: Data,
  bo: number,
  sbp: number,
  sbj: number,
  out: Data,
  oi: number,
  k: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    let q = bo + j * sbj;
    for (let p = 0; p < k; p++, q += sbp) s += a[ai + p * sap] * b[q];
    out[oi + j] += s;
  }
}
