import { ones, zeros } from "../tensor/create.ts";
import { layerNorm } from "../tensor/ops/layer-norm.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * Layer normalisation over the last axis (`dim` numbers) with a learned scale and shift, as
 * PyTorch's `nn.LayerNorm(dim)`: `weight` starts at 1, `bias` at 0.
 *
 * @example
 * const ln = new LayerNorm(64);
 * ln.forward(x); // x [batch, time, 64]: each position normalised on its own
 */
export class LayerNorm extends TensorModule {
  /** `[dim]`, the scale (starts at 1). */
  readonly weight: Tensor;
  /** `[dim]`, the shift (starts at 0). */
  readonly bias: Tensor;
  /** Added to the variance before the square root. */
  readonly eps: number;

  constructor(dim: number, options: { readonly dtype?: DType; readonly eps?: number } = {}) {
    super();
    if (!Number.isInteger(dim) || dim < 1)
      throw new RangeError(`LayerNorm: dim must be an integer >= 1, got ${dim}`);
    this.weight = ones([dim], { dtype: options.dtype, requiresGrad: true });
    this.bias = zeros([dim], { dtype: options.dtype, requiresGrad: true });
    this.eps = options.eps ?? 1e-5;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }

  parameters(): Tensor[] {
    return [this.weight, this.bias];
  }

  /** `weight` and `bias` (`[dim]`). */
  override namedParameters(): [string, Tensor][] {
    return [
      ["weight", this.weight],
      ["bias", this.bias],
    ];
  }

  /** `LayerNorm(64)`. */
  override toString(): string {
    return `LayerNorm(${this.weight.size})`;
  }
}
