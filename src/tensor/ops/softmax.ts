import { backend, type Storage } from "../backend.ts";
import { normalizeAxis, shapeText } from "../shape.ts";
import { type DType, gradFor, release, result, scratch, storageFor, type Tensor } from "../tensor.ts";

// Softmax and log-softmax over the last axis, as fused primitives: written from exp, sum and
// div they would overflow for large logits and build a long graph; here the row maximum is
// subtracted first and the backward is one short formula, evaluated over forward kernels (or
// in one pass where the backend has a fused `softmaxGrad`, tested equal to it).

/** Σ over each row of `rows × cols` `v`, stretched back to `rows × cols` (a scratch buffer). */
function rowSums(v: Storage, rows: number, cols: number, dtype: DType): Storage {
  const k = backend();
  const s = scratch(dtype, rows);
  k.reduce("sum", v, rows, cols, 1, s);
  const spread = scratch(dtype, rows * cols);
  k.gatherStrided(s, 0, [1, 0], [rows, cols], spread);
  release(s);
  return spread;
}

function lastAxis(op: string, x: Tensor, axis: number): { rows: number; cols: number } {
  if (x.ndim === 0 || normalizeAxis(op, axis, x.ndim) !== x.ndim - 1) {
    throw new RangeError(`${op}: only the last axis is supported, got axis ${axis} of ${shapeText(x.shape)}`);
  }
  const cols = x.shape[x.ndim - 1];
  return { rows: cols === 0 ? 0 : x.size / cols, cols };
}

/**
 * `exp(x) / Σ exp(x)` along the last axis, stable for any logits.
 *
 * @example
 * softmaxTensor(tensor([[1, 2, 3]])).toArray(); // [[0.090, 0.245, 0.665]]
 */
export function softmaxTensor(x: Tensor, axis = -1): Tensor {
  const { rows, cols } = lastAxis("softmax", x, axis);
  const k = backend();
  const y = storageFor(x.dtype, x.size);
  k.softmax(x.storage, rows, cols, y, false);
  return result("softmax", y, x.shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx === null || k.fused?.softmaxGrad?.(y, g, rows, cols, false, gx) === true) return;
    // dx = y · (g − Σ g·y)
    const t = scratch(x.dtype, x.size);
    k.binary("mul", g, y, t);
    const dot = rowSums(t, rows, cols, x.dtype);
    k.binary("sub", g, dot, t);
    k.binary("mul", t, y, t);
    k.binary("add", gx, t, gx);
    release(dot);
    release(t);
  });
}

/**
 * `x − log Σ exp(x)` along the last axis, computed as `x − max − log Σ exp(x − max)`.
 *
 * @example
 * const logp = logSoftmax(logits); // log-probabilities along the last axis, computed stably
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { rows, cols } = lastAxis("logSoftmax", x, axis);
  const k = backend();
  const y = storageFor(x.dtype, x.size);
  k.softmax(x.storage, rows, cols, y, true);
  return result("logSoftmax", y, x.shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx === null || k.fused?.softmaxGrad?.(y, g, rows, cols, true, gx) === true) return;
    // dx = g − softmax(x) · Σ g, with softmax(x) = exp(y)
    const total = rowSums(g, rows, cols, x.dtype);
    const t = scratch(x.dtype, x.size);
    k.unary("exp", y, t, 0);
    k.binary("mul", t, total, t);
    k.binary("sub", g, t, t);
    k.binary("add", gx, t, gx);
    release(total);
    release(t);
  });
}
