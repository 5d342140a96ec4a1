import { BINARY_KERNELS, UNARY_KERNELS } from "../../engine/kernels.ts";
import type { Backend, BinaryKernel, ConvGeometry, Data, ReduceKernel, UnaryKernel } from "../backend.ts";

import { jsFused } from "./js-fused.ts";
import { matmul } from "./js-matmul.ts";

// The reference backend: forward kernels (derivatives are written once, in engine/rules.ts and
// ../ops/), and a few fused loops for speed (js-fused.ts). The kernels whose NaN and overflow
// behaviour takes care are the scalar engine's own, on numbers (engine/kernels.ts), called by
// name in each loop, where the engine inlines them.
const { relu, sigmoid } = UNARY_KERNELS;
const { max: maxOf, min: minOf } = BINARY_KERNELS;

function unary(op: UnaryKernel, x: Data, out: Data, p: number): void {
  const n = x.length;
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case "relu":
      for (let i = 0; i < n; i++) out[i] = relu(x[i]);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case "pow":
      if (p === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      else for (let i = 0; i < n; i++) out[i] = x[i] ** p;
      return;
  }
}

function binary(op: BinaryKernel, a: Data, b: Data, out: Data): void {
  const n = out.length;
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      return;
    case "div":
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      return;
    case "max":
      for (let i = 0; i < n; i++) out[i] = maxOf(a[i], b[i]);
      return;
    case "min":
      for (let i = 0; i < n; i++) out[i] = minOf(a[i], b[i]);
      return;
    case "eq":
      for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      return;
    case "ne":
      for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      return;
    case "lt":
      for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
      return;
    case "le":
      for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      return;
    case "gt":
      for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
      return;
    case "ge":
      for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      return;
  }
}

function binaryRows(op: BinaryKernel, a: Data, b: Data, out: Data): void {
  const n = out.length;
  const w = b.length;
  for (let row = 0; row < n; row += w) {
    switch (op) {
      case "add":
        for (let j = 0; j < w; j++) out[row + j] = a[row + j] + b[j];
        break;
      case "sub":
        for (let j = 0; j < w; j++) out[row + j] = a[row + j] - b[j];
        break;
      case "mul":
        for (let j = 0; j < w; j++) out[row + j] = a[row + j] * b[j];
        break;
      default: {
        // the rarer ops, on the numbers kernels (engine/kernels.ts)
        const f = BINARY_KERNELS[op];
        for (let j = 0; j < w; j++) out[row + j] = f(a[row + j], b[j]);
      }
    }
  }
}

function binaryScalar(op: BinaryKernel, a: Data, s: number, out: Data): void {
  const n = out.length;
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) out[i] = a[i] + s;
      return;
    case "sub":
      for (let i = 0; i < n; i++) out[i] = a[i] - s;
      return;
    case "mul":
      for (let i = 0; i < n; i++) out[i] = a[i] * s;
      return;
    case "div":
      for (let i = 0; i < n; i++) out[i] = a[i] / s;
      return;
    default: {
      // the rarer ops, on the numbers kernels (engine/kernels.ts)
      const f = BINARY_KERNELS[op];
      for (let i = 0; i < n; i++) out[i] = f(a[i], s);
    }
  }
}

/**
 * @internal The start, in the strided array, of each run of `shape`'s last axis, in order (an
 * odometer over the other axes): the strided kernels below (and wasm's) loop over these with
 * no call per run.
 */
export function runStarts(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Int32Array | null {
  const nd = shape.length;
  let runs = 1;
  for (let d = 0; d < nd - 1; d++) runs *= shape[d];
  if (nd === 0 || runs === 0 || shape[nd - 1] === 0) return null;
  const starts = new Int32Array(runs);
  const idx = new Array<number>(nd).fill(0);
  let src = offset;
  for (let r = 0; r < runs; r++) {
    starts[r] = src;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      src += strides[d];
      if (idx[d] < shape[d]) break;
      src -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return starts;
}

function gatherStrided(
  x: Data,
  offset: number,
  strides: readonly number[],
  outShape: readonly number[],
  out: Data,
): void {
  if (outShape.length === 0) {
    out[0] = x[offset];
    return;
  }
  const starts = runStarts(outShape, strides, offset);
  if (starts === null) return;
  const n = outShape[outShape.length - 1];
  const step = strides[strides.length - 1];
  for (let r = 0, o = 0; r < starts.length; r++, o += n) {
    const src = starts[r];
    if (step === 1 && n >= 64)
      out.set(x.subarray(src, src + n), o); // a native copy
    else if (step === 1) for (let j = 0; j < n; j++) out[o + j] = x[src + j];
    else for (let j = 0; j < n; j++) out[o + j] = x[src + j * step];
  }
}

function scatterAddStrided(
  g: Data,
  shape: readonly number[],
  dx: Data,
  offset: number,
  strides: readonly number[],
): void {
  if (shape.length === 0) {
    dx[offset] += g[0];
    return;
  }
  const starts = runStarts(shape, strides, offset);
  if (starts === null) return;
  const n = shape[shape.length - 1];
  const step = strides[strides.length - 1];
  for (let r = 0, o = 0; r < starts.length; r++, o += n) {
    const dst = starts[r];
    if (step === 1) for (let j = 0; j < n; j++) dx[dst + j] += g[o + j];
    else for (let j = 0; j < n; j++) dx[dst + j * step] += g[o + j];
  }
}

function reduce(op: ReduceKernel, x: Data, outer: number, mid: number, inner: number, out: Data): void {
  if (op === "argmax") {
    argmax(x, outer, mid, inner, out);
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = o * mid * inner;
    const ob = o * inner;
    if (op === "sum") {
      for (let i = 0; i < inner; i++) out[ob + i] = 0;
      for (let m = 0; m < mid; m++) {
        const row = base + m * inner;
        for (let i = 0; i < inner; i++) out[ob + i] += x[row + i];
      }
    } else {
      for (let i = 0; i < inner; i++) out[ob + i] = x[base + i];
      for (let m = 1; m < mid; m++) {
        const row = base + m * inner;
        // NaN wins (NaN > m is false, so NaN is tested for)
        for (let i = 0; i < inner; i++) {
          const v = x[row + i];
          if (v > out[ob + i] || Number.isNaN(v)) out[ob + i] = v;
        }
      }
    }
  }
}

function argmax(x: Data, outer: number, mid: number, inner: number, out: Data): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      for (let j = 1; j < mid; j++) {
        const v = x[(o * mid + j) * inner + i];
        const b = x[(o * mid + best) * inner + i];
        if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) best = j; // NaN wins, as in max
      }
      out[o * inner + i] = best;
    }
  }
}

function fill(out: Data, value: number): void {
  out.fill(value);
}

function gatherRows(x: Data, starts: Int32Array, width: number, out: Data): void {
  // short rows by hand: a subarray per row costs more than copying a few numbers
  if (width < 32) {
    for (let j = 0; j < starts.length; j++) {
      const src = starts[j];
      const dst = j * width;
      for (let i = 0; i < width; i++) out[dst + i] = x[src + i];
    }
  } else for (let j = 0; j < starts.length; j++) out.set(x.subarray(starts[j], starts[j] + width), j * width);
}

function scatterAddRows(g: Data, starts: Int32Array, width: number, dx: Data): void {
  for (let j = 0; j < starts.length; j++) {
    const dst = starts[j];
    const src = j * width;
    for (let i = 0; i < width; i++) dx[dst + i] += g[src + i];
  }
}

function scatterAddAt(g: Data, index: Data, outer: number, mid: number, inner: number, dx: Data): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) dx[(o * mid + index[o * inner + i]) * inner + i] += g[o * inner + i];
  }
}

// im2col and col2im walk the same windows. Row (c, ky, kx) of the patch matrix holds, for
// every output pixel (n, oy, ox) in order, the input number under that kernel position: so
// each row is a run of copies along an image row (contiguous when the stride is 1), and
// PyTorch's weight layout [out, in, kh, kw], flattened to [out, in·kh·kw], multiplies it.
function im2col(x: Data, g: ConvGeometry, out: Data, padValue: number): void {
  const { batch: N, channels: C, height: H, width: W, kernelH: KH, kernelW: KW } = g;
  const { strideH: SH, strideW: SW, padH: PH, padW: PW, outH: OH, outW: OW } = g;
  let o = 0;
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        // the output columns whose input column ox·SW − PW + kx lies inside the image
        const lo = Math.min(OW, Math.max(0, Math.ceil((PW - kx) / SW)));
        const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 + PW - kx) / SW) + 1));
        for (let n = 0; n < N; n++) {
          const plane = (n * C + c) * H * W;
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * SH - PH + ky;
            if (iy < 0 || iy >= H) {
              for (let ox = 0; ox < OW; ox++) out[o++] = padValue;
              continue;
            }
            const src = plane + iy * W - PW + kx;
            for (let ox = 0; ox < lo; ox++) out[o++] = padValue;
            if (SW === 1) for (let ox = lo; ox < hi; ox++) out[o++] = x[src + ox];
            else for (let ox = lo; ox < hi; ox++) out[o++] = x[src + ox * SW];
            for (let ox = hi; ox < OW; ox++) out[o++] = padValue;
          }
        }
      }
    }
  }
}

function col2im(cols: Data, g: ConvGeometry, dx: Data): void {
  const { batch: N, channels: C, height: H, width: W, kernelH: KH, kernelW: KW } = g;
  const { strideH: SH, strideW: SW, padH: PH, padW: PW, outH: OH, outW: OW } = g;
  let o = 0;
  for (let c = 0; c < C; c++) {
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        const lo = Math.min(OW, Math.max(0, Math.ceil((PW - kx) / SW)));
        const hi = Math.max(lo, Math.min(OW, Math.floor((W - 1 + PW - kx) / SW) + 1));
        for (let n = 0; n < N; n++) {
          const plane = (n * C + c) * H * W;
          for (let oy = 0; oy < OH; oy++, o += OW) {
            const iy = oy * SH - PH + ky;
            if (iy < 0 || iy >= H) continue;
            const dst = plane + iy * W - PW + kx;
            if (SW === 1) for (let ox = lo; ox < hi; ox++) dx[dst + ox] += cols[o + ox];
            else for (let ox = lo; ox < hi; ox++) dx[dst + ox * SW] += cols[o + ox];
          }
        }
      }
    }
  }
}

function softmax(x: Data, rows: number, cols: number, out: Data, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cols; c++) if (x[base + c] > m) m = x[base + c];
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(x[base + c] - m);
    if (log) {
      const lse = m + Math.log(sum);
      for (let c = 0; c < cols; c++) out[base + c] = x[base + c] - lse;
    } else {
      for (let c = 0; c < cols; c++) out[base + c] = Math.exp(x[base + c] - m) / sum;
    }
  }
}

/**
 * The reference backend: plain TypeScript loops over typed arrays.
 *
 * @example
 * setBackend(jsBackend);
 */
export const jsBackend: Backend<Data> = {
  name: "js",
  unary,
  binary,
  binaryRows,
  binaryScalar,
  gatherStrided,
  scatterAddStrided,
  reduce,
  fill,
  gatherRows,
  scatterAddRows,
  scatterAddAt,
  matmul,
  im2col,
  col2im,
  softmax,
  fused: jsFused,
};
