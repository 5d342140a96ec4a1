import { shapeText } from "../shape.ts";
import { Tensor } from "../tensor.ts";
import { add, mul, pow, sub } from "./elementwise.ts";
import { reshape } from "./movement.ts";
import { mean } from "./reduce.ts";

// Batch normalisation composed from elementwise ops and means: its gradient (through the
// batch mean and variance too) is theirs, so nothing is derived by hand here.

/**
 * How `batchNorm` normalises: with the batch's own statistics (`training`, which also updates
 * the running ones) or with the running statistics (evaluation).
 *
 * @example
 * batchNorm(x, rm, rv, gamma, beta, { training: false }); // evaluation: running statistics
 */
export interface BatchNormOptions {
  /** Use (and record) the batch's statistics (default true). */
  readonly training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1, as PyTorch). */
  readonly momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
}

/**
 * Batch normalisation over axis 1 (channels) of `[batch, channels, ...]`, as PyTorch's
 * `F.batch_norm`: each channel is shifted and scaled to mean 0 and variance 1 over the batch
 * (and every spatial position), then scaled by `weight` and shifted by `bias` (`[channels]`,
 * or null). In training the running mean and (unbiased) variance, when given, move towards the
 * batch's by `momentum`; in evaluation they are used instead of the batch's.
 *
 * @example
 * const y = batchNorm(x, runningMean, runningVar, gamma, beta, { training: true }); // x [64, 8, 28, 28]
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const { training = true, momentum = 0.1, eps = 1e-5 } = options;
  if (x.ndim < 2)
    throw new RangeError(`batchNorm: expected [batch, channels, ...], got ${shapeText(x.shape)}`);
  const channels = x.shape[1];
  for (const [what, t] of [
    ["running mean", runningMean],
    ["running variance", runningVar],
    ["weight", weight],
    ["bias", bias],
  ] as const) {
    if (t !== null && t.size !== channels) {
      throw new RangeError(
        `batchNorm: ${what} has shape ${shapeText(t.shape)}, expected [${channels}] for input ${shapeText(x.shape)}`,
      );
    }
  }
  // [batch, channels, rest]: statistics over axes 0 and 2, broadcast back as [1, channels, 1]
  const rest = x.size / (x.shape[0] * channels);
  const flat = reshape(x, [x.shape[0], channels, rest]);
  const perChannel = [1, channels, 1];
  let centred: Tensor;
  let scale: Tensor;
  if (training) {
    const count = x.shape[0] * rest;
    if (count < 2)
      throw new RangeError(
        `batchNorm: training needs more than one value per channel, got ${shapeText(x.shape)}`,
      );
    const mu = mean(flat, { axis: [0, 2], keepdims: true });
    centred = sub(flat, mu);
    const variance = mean(mul(centred, centred), { axis: [0, 2], keepdims: true });
    scale = pow(add(variance, eps), -0.5);
    if (runningMean !== null) blend(runningMean, mu.data, momentum, 1);
    if (runningVar !== null) blend(runningVar, variance.data, momentum, count / (count - 1));
  } else {
    if (runningMean === null || runningVar === null) {
      throw new RangeError("batchNorm: evaluation needs the running mean and variance");
    }
    centred = sub(flat, reshape(runningMean.detach(), perChannel));
    const inv = new Tensor(
      runningVar.data.map((v) => 1 / Math.sqrt(v + eps)),
      perChannel,
    );
    scale = inv;
  }
  let y = mul(centred, scale);
  if (weight !== null) y = mul(y, reshape(weight, perChannel));
  if (bias !== null) y = add(y, reshape(bias, perChannel));
  return reshape(y, x.shape);
}

/** `running = (1 − m)·running + m·factor·batch`, in place (no gradient: statistics, not weights). */
function blend(running: Tensor, batch: ArrayLike<number>, m: number, factor: number): void {
  for (let i = 0; i < running.size; i++) running.data[i] = (1 - m) * running.data[i] + m * factor * batch[i];
}
