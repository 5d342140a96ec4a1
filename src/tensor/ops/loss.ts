import { shapeText } from "../shape.ts";
import { allocate, gradFor, result, type Tensor } from "../tensor.ts";
import { mul, sub } from "./elementwise.ts";
import type { Indices } from "./movement.ts";
import { mean } from "./reduce.ts";
import { logSoftmax } from "./softmax.ts";

/**
 * Mean softmax cross-entropy of `logits` (`[batch, classes]`) against integer class `targets`:
 * the mean over rows of `−logSoftmax(logits)[row, target]`, the same number as the scalar
 * engine's `softmaxCrossEntropy`.
 *
 * @example
 * const loss = crossEntropy(model.forward(x), [3, 0, 7]);
 */
export function crossEntropy(logits: Tensor, targets: Indices): Tensor {
  if (logits.ndim !== 2)
    throw new RangeError(`crossEntropy: logits must be [batch, classes], got ${shapeText(logits.shape)}`);
  const [rows, cols] = logits.shape;
  const list = Array.isArray(targets) || targets instanceof Int32Array ? targets : (targets as Tensor).data;
  if (list.length !== rows)
    throw new RangeError(`crossEntropy: ${rows} rows of logits but ${list.length} targets`);
  for (let r = 0; r < rows; r++) {
    const t = list[r];
    if (!Number.isInteger(t) || t < 0 || t >= cols) {
      throw new RangeError(`crossEntropy: target ${t} (row ${r}) is not a class index in [0, ${cols})`);
    }
  }
  const lp = logSoftmax(logits);
  let total = 0;
  for (let r = 0; r < rows; r++) total -= lp.data[r * cols + list[r]];
  const out = allocate(logits.dtype, 1);
  out[0] = total / rows;
  return result("crossEntropy", out, [], [lp], (g) => {
    const glp = gradFor(lp);
    if (glp === null) return;
    for (let r = 0; r < rows; r++) glp[r * cols + list[r]] -= g[0] / rows;
  });
}

/** Mean squared error `mean((prediction − target)²)`, broadcasting; built from primitives. */
export function meanSquaredError(prediction: Tensor, target: Tensor | number): Tensor {
  const d = sub(prediction, target);
  return mean(mul(d, d));
}
