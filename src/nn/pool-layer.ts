import type { Conv2dOptions, Size2 } from "../tensor/ops/conv.ts";
import { avgPool2d, maxPool2d } from "../tensor/ops/pool.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * Max pooling as a module (no parameters): the largest number of each window of each channel.
 *
 * @example
 * new MaxPool2d(2).forward(x).shape; // [64, 8, 28, 28] -> [64, 8, 14, 14]
 */
export class MaxPool2d extends TensorModule {
  /** The window. */
  readonly kernelSize: Size2;
  /** Stride (default: the window) and padding. */
  readonly options: Conv2dOptions;

  constructor(kernelSize: Size2, options: Conv2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = options;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }

  parameters(): Tensor[] {
    return [];
  }
}

/**
 * Average pooling as a module (no parameters): the mean of each window of each channel.
 *
 * @example
 * new AvgPool2d(2).forward(x).shape; // [64, 8, 28, 28] -> [64, 8, 14, 14]
 */
export class AvgPool2d extends TensorModule {
  /** The window. */
  readonly kernelSize: Size2;
  /** Stride (default: the window) and padding. */
  readonly options: Conv2dOptions;

  constructor(kernelSize: Size2, options: Conv2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = options;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }

  parameters(): Tensor[] {
    return [];
  }
}
