import { shapeText } from "../shape.ts";
import { allocate, gradFor, result, type Tensor } from "../tensor.ts";
import { mul, sub } from "./elementwise.ts";
import type { Indices } from "./movement.ts";
import { mean } from "./reduce.ts";
import { logSoftmax } from "./softmax.ts";

/**
 * Options of `crossEntropy`.
 *
 * @example
 * crossEntropy(logits, targets, { ignoreIndex: -1 }); // padding targets count for nothing
 */
export interface CrossEntropyOptions {
  /** Targets equal to this are skipped: no loss, no gradient, not counted in the mean (PyTorch's `ignore_index`). */
  readonly ignoreIndex?: number;
}

/**
 * Mean softmax cross-entropy of `logits` (`[batch, classes]`, or `[batch, time, classes]` for a
 * sequence model) against integer class `targets` (one per row of logits, in row-major order):
 * the mean over rows of `−logSoftmax(logits)[row, target]`, the same number as the scalar
 * engine's `softmaxCrossEntropy` and as PyTorch's `F.cross_entropy` on the flattened rows.
 *
 * @example
 * const loss = crossEntropy(model.forward(x), [3, 0, 7]);
 * crossEntropy(gptLogits, targets, { ignoreIndex: -1 }); // [B, T, V] logits, B·T targets
 */
export function crossEntropy(logits: Tensor, targets: Indices, options: CrossEntropyOptions = {}): Tensor {
  if (logits.ndim < 2)
    throw new RangeError(
      `crossEntropy: logits must be [batch, classes] or [batch, time, classes], got ${shapeText(logits.shape)}`,
    );
  const cols = logits.shape[logits.ndim - 1];
  const rows = cols === 0 ? 0 : logits.size / cols;
  const list = Array.isArray(targets) || targets instanceof Int32Array ? targets : (targets as Tensor).data;
  if (list.length !== rows)
    throw new RangeError(
      `crossEntropy: ${rows} rows of logits (${shapeText(logits.shape)}) but ${list.length} targets`,
    );
  const ignore = options.ignoreIndex;
  let counted = 0;
  for (let r = 0; r < rows; r++) {
    const t = list[r];
    if (t === ignore) continue;
    counted++;
    if (!Number.isInteger(t) || t < 0 || t >= cols) {
      throw new RangeError(`crossEntropy: target ${t} (row ${r}) is not a class index in [0, ${cols})`);
    }
  }
  if (counted === 0) throw new RangeError(`crossEntropy: every one of the ${rows} targets is ignored`);
  const lp = logSoftmax(logits);
  let total = 0;
  for (let r = 0; r < rows; r++) if (list[r] !== ignore) total -= lp.data[r * cols + list[r]];
  const out = allocate(logits.dtype, 1);
  out[0] = total / counted;
  return result("crossEntropy", out, [], [lp], (g) => {
    const glp = gradFor(lp);
    if (glp === null) return;
    for (let r = 0; r < rows; r++) if (list[r] !== ignore) glp[r * cols + list[r]] -= g[0] / counted;
  });
}

/**
 * Mean squared error `mean((prediction − target)²)`, broadcasting; built from primitives.
 *
 * @example
 * const loss = meanSquaredError(net.forward(x), tensor([[1], [0]])); // mean of squared differences
 */
export function meanSquaredError(prediction: Tensor, target: Tensor | number): Tensor {
  const d = sub(prediction, target);
  return mean(mul(d, d));
}
