import { flatten, reshape } from "../tensor/ops/movement.ts";
import { shapeText, sizeOf } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * Flattens every axis after the batch axis: `[batch, c, h, w]` becomes `[batch, c·h·w]`, so
 * a `Linear` layer can follow convolutions.
 *
 * @example
 * new Sequential(new Conv2d(1, 8, 3), new Flatten(), new Linear(8 * 26 * 26, 10));
 */
export class Flatten extends TensorModule {
  forward(x: Tensor): Tensor {
    return flatten(x);
  }

  parameters(): Tensor[] {
    return [];
  }
}

/**
 * The reverse of `Flatten`: each sample's features as an array of `shape`, so flat rows
 * `[batch, 784]` become images `[batch, 1, 28, 28]` for a convolution.
 *
 * @example
 * new Unflatten([1, 28, 28]).forward(x).shape; // [64, 784] -> [64, 1, 28, 28]
 */
export class Unflatten extends TensorModule {
  /** The shape of one sample. */
  readonly shape: readonly number[];

  constructor(shape: readonly number[]) {
    super();
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new RangeError(`Unflatten: the sample shape must be positive integers, got ${shapeText(shape)}`);
    }
    this.shape = [...shape];
  }

  forward(x: Tensor): Tensor {
    const per = x.size / (x.shape[0] || 1);
    if (per !== sizeOf(this.shape)) {
      throw new RangeError(
        `Unflatten: input ${shapeText(x.shape)} has ${per} features per sample, ${shapeText(this.shape)} needs ${sizeOf(this.shape)}`,
      );
    }
    return reshape(x, [x.shape[0], ...this.shape]);
  }

  parameters(): Tensor[] {
    return [];
  }
}
