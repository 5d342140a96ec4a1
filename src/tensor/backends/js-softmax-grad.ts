import type { Data, FusedKernels, Storage } from "../backend.ts";

// The gradient of a row (log-)softmax in one pass per row: the fused form of the composite in
// ../ops/softmax.ts (a row sum, a stretch and three elementwise kernels), checked against it
// in test/tensor/fused.test.ts. Sums run in float64.

function host(s: Storage): s is Data {
  return s instanceof Float32Array || s instanceof Float64Array;
}

/**
 * `dx += y·(g − Σ g·y)` per row, or `dx += g − e^y·Σ g` for log-softmax (see `FusedKernels`).
 *
 * @example
 * jsSoftmaxGrad(y, g, rows, cols, false, dx); // true
 */
export const jsSoftmaxGrad: NonNullable<FusedKernels<Storage>["softmaxGrad"]> = (
  y,
  g,
  rows,
  cols,
  log,
  dx,
) => {
  if (!host(y) || !host(g) || !host(dx)) return false;
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    let s = 0;
    if (log) {
      for (let j = 0; j < cols; j++) s += g[at + j];
      for (let j = 0; j < cols; j++) dx[at + j] += g[at + j] - Math.exp(y[at + j]) * s;
    } else {
      for (let j = 0; j < cols; j++) s += g[at + j] * y[at + j];
      for (let j = 0; j < cols; j++) dx[at + j] += y[at + j] * (g[at + j] - s);
    }
  }
  return true;
};
