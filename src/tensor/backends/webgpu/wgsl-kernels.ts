import type { ConvGeometry, ReduceKernel } from "../../backend.ts";
import { MATH_WGSL } from "./wgsl-elementwise.ts";

// The WGSL of the kernels that are not elementwise. Each reads its sizes from binding 0
// (`prm`, an array of u32; floats as their bits) and finds its element from the thread id;
// none waits on the host. The matrix product is the one kernel where the memory hierarchy
// matters: a 64×64 tile of the output per workgroup, each thread 4×4 of it, the operands
// staged 16 columns at a time through workgroup memory.

const INDEX = /* wgsl */ `
  let i = gid.x + gid.y * nw.x * 256u;`;
const MAIN =
  "@compute @workgroup_size(256)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {";

/** `out[i] = x[offset + Σ idx·strides]` (gather) or `dx[…] += g[i]` (scatter, each destination once). prm: n, nd, offset, shape, strides. */
export function stridedWgsl(scatter: boolean): string {
  return `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let nd = prm[1];
  var rem = i;
  var at = prm[2];
  for (var d = i32(nd) - 1; d >= 0; d--) {
    let size = prm[3u + u32(d)];
    at += (rem % size) * prm[3u + nd + u32(d)];
    rem = rem / size;
  }
  ${scatter ? "dst[at] = dst[at] + src[i];" : "dst[i] = src[at];"}
}
`;
}

/** One thread per output of a reduction over the middle of `[outer, mid, inner]`. prm: outer·inner, mid, inner. */
export function reduceWgsl(op: ReduceKernel): string {
  const body = {
    sum: "var acc = 0.0;\n  for (var m = 0u; m < mid; m++) { acc += x[base + m * inner]; }\n  out[i] = acc;",
    max: "var acc = x[base];\n  for (var m = 1u; m < mid; m++) { let v = x[base + m * inner]; if (v > acc || isnan_(v)) { acc = v; } }\n  out[i] = acc;",
    argmax:
      "var best = 0u;\n  for (var m = 1u; m < mid; m++) { let v = x[base + m * inner]; let b = x[base + best * inner]; if (v > b || (isnan_(v) && !isnan_(b))) { best = m; } }\n  out[i] = f32(best);",
  }[op];
  return `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MATH_WGSL}
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let mid = prm[1];
  let inner = prm[2];
  let base = (i / inner) * mid * inner + i % inner;
  if (mid == 0u) { out[i] = 0.0; return; }
  ${body}
}
`;
}

/** Row softmax or log-softmax, one thread per row. prm: rows, cols, log. */
export const SOFTMAX_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MATH_WGSL}
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let cols = prm[1];
  let base = i * cols;
  var m = -inf_();
  for (var c = 0u; c < cols; c++) { let v = x[base + c]; if (v > m) { m = v; } }
  var s = 0.0;
  for (var c = 0u; c < cols; c++) { s += exp(x[base + c] - m); }
  if (prm[2] == 1u) {
    let lse = m + log(s);
    for (var c = 0u; c < cols; c++) { out[base + c] = x[base + c] - lse; }
  } else {
    for (var c = 0u; c < cols; c++) { out[base + c] = exp(x[base + c] - m) / s; }
  }
}
`;

/** `out[i] = value`. prm: n, value bits. */
export const FILL_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  out[i] = bitcast<f32>(prm[1]);
}
`;

/** `out[j·w + c] = x[starts[j] + c]`. prm: n, width. */
export const GATHER_ROWS_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> starts: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let w = prm[1];
  out[i] = x[u32(starts[i / w]) + i % w];
}
`;

/** `dx[starts[j] + c] += g[j·w + c]`; starts may repeat, so the add is atomic (a compare-exchange loop on the bits). prm: n, width. */
export const SCATTER_ROWS_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> starts: array<i32>;
@group(0) @binding(3) var<storage, read_write> dx: array<atomic<u32>>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let w = prm[1];
  let at = u32(starts[i / w]) + i % w;
  let v = g[i];
  var old = atomicLoad(&dx[at]);
  loop {
    let r = atomicCompareExchangeWeak(&dx[at], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}
`;

/** `dx[(o·mid + index[o·inner + c])·inner + c] += g[o·inner + c]`. prm: outer·inner, mid, inner. */
export const SCATTER_AT_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> index: array<f32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let mid = prm[1];
  let inner = prm[2];
  let at = ((i / inner) * mid + u32(index[i])) * inner + i % inner;
  dx[at] = dx[at] + g[i];
}
`;

/** im2col, one thread per patch-matrix entry. prm: total, N, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW, pad bits. */
export const IM2COL_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let C = prm[2]; let H = i32(prm[3]); let W = i32(prm[4]); let KH = prm[5]; let KW = prm[6];
  let OH = prm[12]; let OW = prm[13];
  let cols = prm[1] * OH * OW;
  let row = i / cols; let col = i % cols;
  let kx = row % KW; let ky = (row / KW) % KH; let c = row / (KW * KH);
  let ox = col % OW; let oy = (col / OW) % OH; let n = col / (OW * OH);
  let iy = i32(oy * prm[7] + ky) - i32(prm[9]);
  let ix = i32(ox * prm[8] + kx) - i32(prm[10]);
  if (iy < 0 || iy >= H || ix < 0 || ix >= W) { out[i] = bitcast<f32>(prm[14]); return; }
  out[i] = x[((n * C + c) * u32(H) + u32(iy)) * u32(W) + u32(ix)];
}
`;

/** The parameters of `IM2COL_WGSL` and `COL2IM_WGSL` (`pad`: the padding value's bits). */
export function convParams(total: number, g: ConvGeometry, pad: number): number[] {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  return [
    total,
    batch,
    channels,
    height,
    width,
    kernelH,
    kernelW,
    strideH,
    strideW,
    padH,
    padW,
    0,
    outH,
    outW,
    pad,
  ];
}

/** col2im, one thread per image number, summing the patch entries read from it. Same meta as im2col. */
export const COL2IM_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> cols: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
${MAIN}${INDEX}
  if (i >= prm[0]) { return; }
  let N = prm[1]; let C = prm[2]; let H = prm[3]; let W = prm[4]; let KH = prm[5]; let KW = prm[6];
  let SH = prm[7]; let SW = prm[8]; let PH = prm[9]; let PW = prm[10]; let OH = prm[12]; let OW = prm[13];
  let ncols = N * OH * OW;
  let ix = i % W; let iy = (i / W) % H; let c = (i / (W * H)) % C; let n = i / (W * H * C);
  var acc = 0.0;
  for (var ky = 0u; ky < KH; ky++) {
    let ty = i32(iy + PH) - i32(ky);
    if (ty < 0 || ty % i32(SH) != 0) { continue; }
    let oy = u32(ty) / SH;
    if (oy >= OH) { continue; }
    for (var kx = 0u; kx < KW; kx++) {
      let tx = i32(ix + PW) - i32(kx);
      if (tx < 0 || tx % i32(SW) != 0) { continue; }
      let ox = u32(tx) / SW;
      if (ox >= OW) { continue; }
      acc += cols[((c * KH + ky) * KW + kx) * ncols + (n * OH + oy) * OW + ox];
    }
  }
  dx[i] = dx[i] + acc;
}
`;

/**
 * A batch of products `out (m×n) = op(A)·op(B)` (or `+=`), tiled: meta m, k, n, aOffset, bOffset,
 * outOffset, transA, transB, accumulate, aStep, bStep, outStep, count. Workgroups:
 * (⌈n/64⌉, ⌈m/64⌉, count): product z reads A at aOffset + z·aStep, B at bOffset + z·bStep and
 * writes out at outOffset + z·outStep. With outStep 0 the products are summed into one output:
 * then one workgroup layer (z = 0) loops over the batch, so no two workgroups write one number.
 */
export const MATMUL_WGSL = `@group(0) @binding(0) var<storage, read> prm: array<u32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;
fn loadA(at: u32, r: u32, c: u32) -> f32 {
  let m = prm[0]; let k = prm[1];
  if (r >= m || c >= k) { return 0.0; }
  if (prm[6] == 1u) { return a[at + c * m + r]; }
  return a[at + r * k + c];
}
fn loadB(at: u32, r: u32, c: u32) -> f32 {
  let k = prm[1]; let n = prm[2];
  if (r >= k || c >= n) { return 0.0; }
  if (prm[7] == 1u) { return b[at + c * k + r]; }
  return b[at + r * n + c];
}
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let m = prm[0]; let k = prm[1]; let n = prm[2];
  let summed = prm[11] == 0u;
  let first = select(wg.z, 0u, summed);
  let last = select(wg.z + 1u, prm[12], summed);
  let tid = lid.y * 16u + lid.x;
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  var acc: array<f32, 16>;
  for (var z = first; z < last; z++) {
    let aAt = prm[3] + z * prm[9];
    let bAt = prm[4] + z * prm[10];
    for (var t = 0u; t < k; t += 16u) {
      for (var l = 0u; l < 4u; l++) {
        let e = tid + l * 256u;
        As[e] = loadA(aAt, row0 + e / 16u, t + e % 16u);
        Bs[e] = loadB(bAt, t + e / 64u, col0 + e % 64u);
      }
      workgroupBarrier();
      for (var kk = 0u; kk < 16u; kk++) {
        var av: array<f32, 4>;
        var bv: array<f32, 4>;
        for (var r = 0u; r < 4u; r++) { av[r] = As[(lid.y + r * 16u) * 16u + kk]; }
        for (var c = 0u; c < 4u; c++) { bv[c] = Bs[kk * 64u + lid.x + c * 16u]; }
        for (var r = 0u; r < 4u; r++) {
          for (var c = 0u; c < 4u; c++) { acc[r * 4u + c] = fma(av[r], bv[c], acc[r * 4u + c]); }
        }
      }
      workgroupBarrier();
    }
  }
  let outAt = prm[5] + first * prm[11];
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + lid.y + r * 16u;
    if (row >= m) { continue; }
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + lid.x + c * 16u;
      if (col >= n) { continue; }
      let at = outAt + row * n + col;
      if (prm[8] == 1u) { out[at] = out[at] + acc[r * 4u + c]; } else { out[at] = acc[r * 4u + c]; }
    }
  }
}
`;
