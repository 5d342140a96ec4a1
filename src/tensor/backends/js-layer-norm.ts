import type { Data, FusedKernels, Storage } from "../backend.ts";

// Layer normalisation in one pass over each row, forward and backward: the fused form of the
// composite in ../ops/layer-norm.ts (which runs some twenty forward kernels for the same
// numbers), checked against it in test/tensor/fused.test.ts. Sums run in float64.

function host(...s: (Storage | null)[]): boolean {
  return s.every((v) => v === null || v instanceof Float32Array || v instanceof Float64Array);
}

/**
 * `y = (x − mean)·rstd·w + b` per row, also writing `xhat` and `rstd` (see `FusedKernels`).
 *
 * @example
 * jsLayerNorm(x, w, b, rows, cols, 1e-5, { y, xhat, rstd }); // true
 */
export const jsLayerNorm: NonNullable<FusedKernels<Storage>["layerNorm"]> = (
  x,
  w,
  b,
  rows,
  cols,
  eps,
  out,
) => {
  const { y, xhat, rstd } = out;
  if (!host(x, w, b, y, xhat, rstd)) return false;
  layerNormRows(
    x as Data,
    w as Data | null,
    b as Data | null,
    rows,
    cols,
    eps,
    y as Data,
    xhat as Data,
    rstd as Data,
  );
  return true;
};

function layerNormRows(
  x: Data,
  w: Data | null,
  b: Data | null,
  rows: number,
  cols: number,
  eps: number,
  y: Data,
  xhat: Data,
  rstd: Data,
): void {
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += x[at + j];
    const mu = sum / cols;
    let sq = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[at + j] - mu;
      sq += d * d;
    }
    const inv = 1 / Math.sqrt(sq / cols + eps);
    rstd[r] = inv;
    for (let j = 0; j < cols; j++) {
      const h = (x[at + j] - mu) * inv;
      xhat[at + j] = h;
      y[at + j] = (w === null ? h : h * w[j]) + (b === null ? 0 : b[j]);
    }
  }
}

/**
 * The gradients of `jsLayerNorm`'s inputs, added into `dx`, `dw`, `db` (see `FusedKernels`).
 *
 * @example
 * jsLayerNormGrad(g, xhat, rstd, w, rows, cols, { dx, dw, db }); // true
 */
export const jsLayerNormGrad: NonNullable<FusedKernels<Storage>["layerNormGrad"]> = (
  g,
  xhat,
  rstd,
  w,
  rows,
  cols,
  grads,
) => {
  const { dx, dw, db } = grads;
  if (!host(g, xhat, rstd, w, dx, dw, db)) return false;
  layerNormGradRows(
    g as Data,
    xhat as Data,
    rstd as Data,
    w as Data | null,
    rows,
    cols,
    dx as Data | null,
    dw as Data | null,
    db as Data | null,
  );
  return true;
};

/** Two passes per row: the row's two means, then every gradient. */
function layerNormGradRows(
  g: Data,
  xhat: Data,
  rstd: Data,
  w: Data | null,
  rows: number,
  cols: number,
  dx: Data | null,
  dw: Data | null,
  db: Data | null,
): void {
  for (let r = 0, at = 0; r < rows; r++, at += cols) {
    let m1 = 0;
    let m2 = 0;
    if (dx !== null) {
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < cols; j++) {
        const gh = w === null ? g[at + j] : g[at + j] * w[j];
        s1 += gh;
        s2 += gh * xhat[at + j];
      }
      m1 = s1 / cols;
      m2 = s2 / cols;
    }
    const inv = rstd[r];
    for (let j = 0; j < cols; j++) {
      const gj = g[at + j];
      const h = xhat[at + j];
      if (dx !== null) dx[at + j] += inv * ((w === null ? gj : gj * w[j]) - m1 - h * m2);
      if (dw !== null) dw[j] += gj * h;
      if (db !== null) db[j] += gj;
    }
  }
}
