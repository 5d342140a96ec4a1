import { backend } from "../backend.ts";
import { shapeText } from "../shape.ts";
import { gradFor, release, result, scratch, storageFor, type Tensor } from "../tensor.ts";
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
  const starts = new Int32Array(counted); // where each counted row's target is
  for (let r = 0, j = 0; r < rows; r++) if (list[r] !== ignore) starts[j++] = r * cols + list[r];
  const k = backend();
  const picked = scratch(logits.dtype, counted);
  k.gatherRows(lp.storage, starts, 1, picked); // each row's log-probability of its target
  const out = storageFor(logits.dtype, 1);
  k.reduce("sum", picked, 1, counted, 1, out);
  k.binaryScalar("mul", out, -1 / counted, out);
  release(picked);
  return result("crossEntropy", out, [], [lp], (g) => {
    const glp = gradFor(lp);
    if (glp === null) return;
    const each = scratch(logits.dtype, counted);
    k.gatherStrided(g, 0, [0], [counted], each); // the loss's gradient, once per counted row
    k.binaryScalar("mul", each, -1 / counted, each);
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
