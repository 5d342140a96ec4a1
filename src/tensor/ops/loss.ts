import { backend } from "../backend.ts";
import { shapeText } from "../shape.ts";
import { gradFor, release, result, scratch, storageFor, type Tensor } from "../tensor.ts";
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
  const starts = Int32Array.from({ length: rows }, (_, r) => r * cols + list[r]);
  const k = backend();
  const picked = scratch(logits.dtype, rows);
  k.gatherRows(lp.storage, starts, 1, picked); // each row's log-probability of its target
  const out = storageFor(logits.dtype, 1);
  k.reduce("sum", picked, 1, rows, 1, out);
  k.binaryScalar("mul", out, -1 / rows, out);
  release(picked);
  return result("crossEntropy", out, [], [lp], (g) => {
    const glp = gradFor(lp);
    if (glp === null) return;
    const each = scratch(logits.dtype, rows);
    k.gatherStrided(g, 0, [0], [rows], each); // the loss's gradient, once per row
    k.binaryScalar("mul", each, -1 / rows, each);
    k.scatterAddRows(each, starts, 1, glp);
    release(each);
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
