import { type Backend, backend, type Storage } from "../backend.ts";
import { shapeText } from "../shape.ts";
import { type DType, gradFor, release, result, scratch, storageFor, type Tensor } from "../tensor.ts";
import { addInto } from "./broadcast.ts";

// Layer normalisation as one op: built from mean, sub, mul, pow and broadcasts it made a graph
// of ten nodes whose backward ran some forty kernels. Here the forward keeps x̂ (the normalised
// input) and 1/σ per row, and the backward is the closed form below, both evaluated over the
// backend's forward kernels (the composite), or in one pass each where the backend has fused
// `layerNorm` kernels (tested equal to this composite in test/tensor/fused.test.ts).

/** Per-row values `v` (`rows`) stretched along the row: a `rows × cols` scratch buffer. */
function stretch(k: Backend, v: Storage, rows: number, cols: number, dtype: DType): Storage {
  const s = scratch(dtype, rows * cols);
  k.gatherStrided(v, 0, [1, 0], [rows, cols], s);
  return s;
}

/** The mean of each row of `rows × cols` `v`: a `rows` scratch buffer. */
function rowMean(k: Backend, v: Storage, rows: number, cols: number, dtype: DType): Storage {
  const m = scratch(dtype, rows);
  k.reduce("sum", v, rows, cols, 1, m);
  k.binaryScalar("mul", m, 1 / cols, m);
  return m;
}

/** `into += Σ_rows v` for `rows × cols` `v` (a weight's or bias's gradient). */
function addColumnSums(
  k: Backend,
  v: Storage,
  rows: number,
  cols: number,
  into: Storage,
  dtype: DType,
): void {
  const t = scratch(dtype, cols);
  k.reduce("sum", v, 1, rows, cols, t);
  addInto(into, t);
  release(t);
}

/**
 * The forward as forward kernels: `xhat = (x − μ)·r` with `r = (var + eps)^−½` per row, and
 * `y = xhat·w + b` (`w`, `b` repeated along the rows; either may be null).
 */
function forwardComposite(
  k: Backend,
  x: Storage,
  w: Storage | null,
  b: Storage | null,
  rows: number,
  cols: number,
  eps: number,
  out: { y: Storage; xhat: Storage; rstd: Storage },
  dtype: DType,
): void {
  const n = rows * cols;
  const mu = rowMean(k, x, rows, cols, dtype);
  const centred = stretch(k, mu, rows, cols, dtype);
  k.binary("sub", x, centred, centred);
  const sq = scratch(dtype, n);
  k.binary("mul", centred, centred, sq);
  const variance = rowMean(k, sq, rows, cols, dtype);
  k.binaryScalar("add", variance, eps, variance);
  k.unary("pow", variance, out.rstd, -0.5);
  const r = stretch(k, out.rstd, rows, cols, dtype);
  k.binary("mul", centred, r, out.xhat);
  if (w !== null) k.binaryRows("mul", out.xhat, w, out.y);
  else k.binaryScalar("mul", out.xhat, 1, out.y);
  if (b !== null) k.binaryRows("add", out.y, b, out.y);
  for (const t of [mu, centred, sq, variance, r]) release(t);
}

/**
 * The backward as forward kernels, with `ĝ = g·w`: `dx += r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))` per
 * row, `dw += Σ_rows g·x̂`, `db += Σ_rows g` (each skipped when null).
 */
function backwardComposite(
  k: Backend,
  g: Storage,
  xhat: Storage,
  rstd: Storage,
  w: Storage | null,
  rows: number,
  cols: number,
  grads: { dx: Storage | null; dw: Storage | null; db: Storage | null },
  dtype: DType,
): void {
  const n = rows * cols;
  if (grads.db !== null) addColumnSums(k, g, rows, cols, grads.db, dtype);
  const p = scratch(dtype, n);
  if (grads.dw !== null) {
    k.binary("mul", g, xhat, p);
    addColumnSums(k, p, rows, cols, grads.dw, dtype);
  }
  if (grads.dx !== null) {
    const gh = scratch(dtype, n);
    if (w !== null) k.binaryRows("mul", g, w, gh);
    else k.binaryScalar("mul", g, 1, gh);
    k.binary("mul", gh, xhat, p);
    const m1 = rowMean(k, gh, rows, cols, dtype);
    const m2 = rowMean(k, p, rows, cols, dtype);
    const s1 = stretch(k, m1, rows, cols, dtype);
    k.binary("sub", gh, s1, gh);
    const s2 = stretch(k, m2, rows, cols, dtype);
    k.binary("mul", xhat, s2, s2);
    k.binary("sub", gh, s2, gh);
    const r = stretch(k, rstd, rows, cols, dtype);
    k.binary("mul", gh, r, gh);
    addInto(grads.dx, gh);
    for (const t of [gh, m1, m2, s1, s2, r]) release(t);
  }
  release(p);
}

/**
 * Layer normalisation over the last axis, as PyTorch's `F.layer_norm(x, [C], weight, bias, eps)`:
 * each row is shifted and scaled to mean 0 and (biased) variance 1, then scaled by `weight` and
 * shifted by `bias` (`[C]`, or null).
 *
 * @example
 * const y = layerNorm(x, gamma, beta); // x [batch, time, C], gamma and beta [C]
 */
export function layerNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor {
  const c = x.shape[x.ndim - 1];
  if (x.ndim === 0 || c === 0)
    throw new RangeError(`layerNorm: needs a non-empty last axis, got ${shapeText(x.shape)}`);
  for (const [what, t] of [
    ["weight", weight],
    ["bias", bias],
  ] as const) {
    if (t !== null && (t.ndim !== 1 || t.size !== c)) {
      throw new RangeError(
        `layerNorm: ${what} has shape ${shapeText(t.shape)}, expected [${c}] for input ${shapeText(x.shape)}`,
      );
    }
  }
  if (!(eps >= 0)) throw new RangeError(`layerNorm: eps must be >= 0, got ${eps}`);
  const k = backend();
  const dtype = x.dtype;
  const rows = x.size / c;
  const w = weight?.storage ?? null;
  const b = bias?.storage ?? null;
  const out = {
    y: storageFor(dtype, x.size),
    xhat: storageFor(dtype, x.size),
    rstd: storageFor(dtype, rows),
  };
  if (k.fused?.layerNorm?.(x.storage, w, b, rows, c, eps, out) !== true)
    forwardComposite(k, x.storage, w, b, rows, c, eps, out, dtype);
  const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return result("layerNorm", out.y, x.shape, inputs, (g) => {
    const grads = {
      dx: gradFor(x),
      dw: weight === null ? null : gradFor(weight),
      db: bias === null ? null : gradFor(bias),
    };
    if (k.fused?.layerNormGrad?.(g, out.xhat, out.rstd, w, rows, c, grads) !== true)
      backwardComposite(k, g, out.xhat, out.rstd, w, rows, c, grads, dtype);
  });
}
