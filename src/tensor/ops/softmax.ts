import { backend } from "../backend.ts";
import { normalizeAxis, shapeText } from "../shape.ts";
import { allocate, gradFor, result, type Tensor } from "../tensor.ts";

// Softmax and log-softmax over the last axis, as fused primitives: written from exp, sum and
// div they would overflow for large logits and build a long graph; here the row maximum is
// subtracted first and the backward is one short formula.

function lastAxis(op: string, x: Tensor, axis: number): { rows: number; cols: number } {
  if (x.ndim === 0 || normalizeAxis(op, axis, x.ndim) !== x.ndim - 1) {
    throw new RangeError(`${op}: only the last axis is supported, got axis ${axis} of ${shapeText(x.shape)}`);
  }
  const cols = x.shape[x.ndim - 1];
  return { rows: cols === 0 ? 0 : x.size / cols, cols };
}

/** `exp(x) / Σ exp(x)` along the last axis, stable for any logits. */
export function softmaxTensor(x: Tensor, axis = -1): Tensor {
  const { rows, cols } = lastAxis("softmax", x, axis);
  const y = allocate(x.dtype, x.size);
  backend().softmax(x.data, rows, cols, y, false);
  return result("softmax", y, x.shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx === null) return;
    // dx = y · (g − Σ g·y)
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += g[o + c] * y[o + c];
      for (let c = 0; c < cols; c++) gx[o + c] += y[o + c] * (g[o + c] - dot);
    }
  });
}

/** `x − log Σ exp(x)` along the last axis, computed as `x − max − log Σ exp(x − max)`. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const { rows, cols } = lastAxis("logSoftmax", x, axis);
  const y = allocate(x.dtype, x.size);
  backend().softmax(x.data, rows, cols, y, true);
  return result("logSoftmax", y, x.shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx === null) return;
    // dx = g − softmax(x) · Σ g
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let total = 0;
      for (let c = 0; c < cols; c++) total += g[o + c];
      for (let c = 0; c < cols; c++) gx[o + c] += g[o + c] - Math.exp(y[o + c]) * total;
    }
  });
}
