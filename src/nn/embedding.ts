import { Rng } from "../engine/random.ts";
import { randn } from "../tensor/create.ts";
import { type Indices, indexSelect } from "../tensor/ops/movement.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * A lookup table of `count` vectors of `dim` numbers: token ids in, their vectors out
 * (`[...ids shape, dim]`). The gradient flows only to the rows that were looked up.
 *
 * @example
 * const table = new Embedding(27, 10); // 27 tokens, 10 numbers each
 * const vectors = table.forward([1, 5, 5]); // shape [3, 10]
 */
export class Embedding extends TensorModule {
  /** `[count, dim]`, initialised from N(0, 1). */
  readonly weight: Tensor;

  constructor(
    count: number,
    dim: number,
    options: { readonly dtype?: DType; readonly seed?: number; readonly rng?: Rng } = {},
  ) {
    super();
    const rng = options.rng ?? new Rng(options.seed ?? 1337);
    this.weight = randn([count, dim], { rng, dtype: options.dtype, requiresGrad: true });
  }

  /** The vectors of `ids` (whole numbers in [0, count)). */
  forward(ids: Indices): Tensor {
    return indexSelect(this.weight, 0, ids);
  }

  parameters(): Tensor[] {
    return [this.weight];
  }

  /** `Embedding(27 tokens × 10)`. */
  override toString(): string {
    return `Embedding(${this.weight.shape[0]} tokens × ${this.weight.shape[1]})`;
  }
}
