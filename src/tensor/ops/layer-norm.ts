import { shapeText } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { add, mul, pow, sub } from "./elementwise.ts";
import { mean } from "./reduce.ts";

/**
 * Layer normalisation over the last axis, as PyTorch's `F.layer_norm(x, [C], weight, bias, eps)`:
 * each row is shifted and scaled to mean 0 and (biased) variance 1, then scaled by `weight` and
 * shifted by `bias` (`[C]`, or null). Built from the tensor ops, so its gradient is theirs.
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
  const centred = sub(x, mean(x, { axis: -1, keepdims: true }));
  const variance = mean(mul(centred, centred), { axis: -1, keepdims: true });
  const normalised = mul(centred, pow(add(variance, eps), -0.5));
  const scaled = weight === null ? normalised : mul(normalised, weight);
  return bias === null ? scaled : add(scaled, bias);
}
