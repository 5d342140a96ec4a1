import { ones, zeros } from "../tensor/create.ts";
import { batchNorm } from "../tensor/ops/batch-norm.ts";
import { shapeText } from "../tensor/shape.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * How a `BatchNorm` layer is built.
 *
 * @example
 * new BatchNorm(16, { momentum: 0.1, eps: 1e-5 });
 */
export interface BatchNormLayerOptions {
  /** Weight of each new batch in the running statistics (default 0.1). */
  readonly momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
  /** float32 (default) or float64. */
  readonly dtype?: DType;
}

/**
 * Batch normalisation of `channels` features: for `[batch, features]` (PyTorch's
 * `BatchNorm1d`) or NCHW images `[batch, channels, h, w]` (`BatchNorm2d`). While training it
 * normalises with each batch's statistics and keeps running averages of them; in evaluation
 * mode (`eval()`) it uses the running averages, so one sample's output does not depend on the
 * others in its batch. `weight` starts at 1 and `bias` at 0.
 *
 * @example
 * const net = new Sequential(new Conv2d(1, 8, 5), new BatchNorm(8), new ActivationLayer("relu"));
 * net.eval(); // running statistics from now on
 */
export class BatchNorm extends TensorModule {
  /** Channels (or features). */
  readonly channels: number;
  /** Scale per channel (`[channels]`, trained). */
  readonly weight: Tensor;
  /** Shift per channel (`[channels]`, trained). */
  readonly bias: Tensor;
  /** Running mean (`[channels]`; statistics, not trained). */
  readonly runningMean: Tensor;
  /** Running unbiased variance (`[channels]`; statistics, not trained). */
  readonly runningVar: Tensor;
  readonly momentum: number;
  readonly eps: number;

  constructor(channels: number, options: BatchNormLayerOptions = {}) {
    super();
    if (!Number.isInteger(channels) || channels < 1)
      throw new RangeError(`BatchNorm: channels must be a positive integer, got ${channels}`);
    const { momentum = 0.1, eps = 1e-5, dtype = "float32" } = options;
    if (!(momentum >= 0 && momentum <= 1))
      throw new RangeError(`BatchNorm: momentum must be in [0, 1], got ${momentum}`);
    if (!(eps > 0)) throw new RangeError(`BatchNorm: eps must be > 0, got ${eps}`);
    this.channels = channels;
    this.momentum = momentum;
    this.eps = eps;
    this.weight = ones([channels], { dtype, requiresGrad: true });
    this.bias = zeros([channels], { dtype, requiresGrad: true });
    this.runningMean = zeros([channels], { dtype });
    this.runningVar = ones([channels], { dtype });
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.channels) {
      throw new RangeError(`BatchNorm: expected [batch, ${this.channels}, ...], got ${shapeText(x.shape)}`);
    }
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    });
  }

  parameters(): Tensor[] {
    return [this.weight, this.bias];
  }
}
