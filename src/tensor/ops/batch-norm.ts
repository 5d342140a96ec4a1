import { backend, type Data } from "../backend.ts";
import { shapeText } from "../shape.ts";
import { allocate, gradFor, result, type Tensor } from "../tensor.ts";
import { batchNormComposite } from "./batch-norm-device.ts";

// Batch normalisation as one op with its backward beside it. Built from elementwise ops and
// means it would be right too (the tests check this op against that composition), but each
// of those ops makes a full pass over the activations and their broadcast copies, forward and
// back: on the MNIST CNN it more than doubled the time of a training step. Here one pass
// gathers each channel's statistics and one writes the output; the backward is the textbook
// one, dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂)), per channel.

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
  if (x.dtype === "float32" && backend().alloc !== undefined) {
    if (training && x.size / channels < 2) {
      throw new RangeError(
        `batchNorm: training needs more than one value per channel, got ${shapeText(x.shape)}`,
      );
    }
    if (!training && (runningMean === null || runningVar === null)) {
      throw new RangeError("batchNorm: evaluation needs the running mean and variance");
    }
    // a device backend (webgpu): the composition, every step a kernel there
    return batchNormComposite(x, runningMean, runningVar, weight, bias, training, momentum, eps);
  }
  const n = x.shape[0];
  const rest = x.size / (n * channels);
  const count = n * rest;
  const mu = new Float64Array(channels);
  const inv = new Float64Array(channels); // 1/σ
  const xd = x.data;
  if (training) {
    if (count < 2) {
      throw new RangeError(
        `batchNorm: training needs more than one value per channel, got ${shapeText(x.shape)}`,
      );
    }
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let b = 0; b < n; b++) {
        const at = (b * channels + c) * rest;
        for (let r = 0; r < rest; r++) s += xd[at + r];
      }
      const m = s / count;
      let v = 0;
      for (let b = 0; b < n; b++) {
        const at = (b * channels + c) * rest;
        for (let r = 0; r < rest; r++) v += (xd[at + r] - m) ** 2;
      }
      v /= count;
      mu[c] = m;
      inv[c] = 1 / Math.sqrt(v + eps);
      if (runningMean !== null) runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * m;
      if (runningVar !== null)
        runningVar.data[c] = (1 - momentum) * runningVar.data[c] + momentum * v * (count / (count - 1));
    }
  } else {
    if (runningMean === null || runningVar === null) {
      throw new RangeError("batchNorm: evaluation needs the running mean and variance");
    }
    for (let c = 0; c < channels; c++) {
      mu[c] = runningMean.data[c];
      inv[c] = 1 / Math.sqrt(runningVar.data[c] + eps);
    }
  }
  const gamma = (c: number): number => (weight === null ? 1 : weight.data[c]);
  const out = allocate(x.dtype, x.size);
  for (let c = 0; c < channels; c++) {
    const a = gamma(c) * inv[c];
    const shift = (bias === null ? 0 : bias.data[c]) - mu[c] * a;
    for (let b = 0; b < n; b++) {
      const at = (b * channels + c) * rest;
      for (let r = 0; r < rest; r++) out[at + r] = xd[at + r] * a + shift;
    }
  }
  const inputs = [x, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return result("batchNorm", out, x.shape, inputs, (grad) => {
    // host storage throughout: this op runs only on backends that keep numbers in typed arrays
    const g = grad as Data;
    const gx = gradFor(x) as Data | null;
    const gw = weight === null ? null : (gradFor(weight) as Data | null);
    const gb = bias === null ? null : (gradFor(bias) as Data | null);
    for (let c = 0; c < channels; c++) {
      // Σ g and Σ g·x̂ over the channel
      let sg = 0;
      let sgx = 0;
      for (let b = 0; b < n; b++) {
        const at = (b * channels + c) * rest;
        for (let r = 0; r < rest; r++) {
          sg += g[at + r];
          sgx += g[at + r] * (xd[at + r] - mu[c]);
        }
      }
      sgx *= inv[c];
      if (gw !== null) gw[c] += sgx;
      if (gb !== null) gb[c] += sg;
      if (gx === null) continue;
      const a = gamma(c) * inv[c];
      if (!training) {
        // the statistics are constants: y = a·x + shift
        for (let b = 0; b < n; b++) {
          const at = (b * channels + c) * rest;
          for (let r = 0; r < rest; r++) gx[at + r] += a * g[at + r];
        }
        continue;
      }
      const mg = sg / count;
      const mgx = sgx / count;
      for (let b = 0; b < n; b++) {
        const at = (b * channels + c) * rest;
        for (let r = 0; r < rest; r++) {
          const xhat = (xd[at + r] - mu[c]) * inv[c];
          gx[at + r] += a * (g[at + r] - mg - xhat * mgx);
        }
      }
    }
  });
}
