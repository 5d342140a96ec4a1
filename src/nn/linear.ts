import { Rng } from "../engine/random.ts";
import { zeros } from "../tensor/create.ts";
import { add } from "../tensor/ops/elementwise.ts";
import { matmul } from "../tensor/ops/matmul.ts";
import { reshape } from "../tensor/ops/movement.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { INITS, type Init, initialWeight } from "./init.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * How a `Linear` layer is built.
 *
 * @example
 * new Linear(784, 10, { init: "xavier", bias: false, dtype: "float64", seed: 1 });
 */
export interface LinearOptions {
  /** Weight initialisation (default `he`, for ReLU networks). */
  readonly init?: Init;
  /** Whether to add a bias (default true). */
  readonly bias?: boolean;
  /** float32 (default) or float64. */
  readonly dtype?: DType;
  /** Seed of the initial weights (default 1337); or pass `rng`. */
  readonly seed?: number;
  /** Generator of the initial weights (instead of `seed`). */
  readonly rng?: Rng;
}

/**
 * A fully connected layer, `x @ weight + bias`: a scalar `Layer` of `nout` neurons as one
 * matrix (column j of `weight` holds neuron j's weights), so a whole batch is one product.
 *
 * @example
 * const layer = new Linear(2, 16);
 * const y = layer.forward(tensor([[0.5, -1], [1, 2]])); // shape [2, 16]
 */
export class Linear extends TensorModule {
  /** Number of input features. */
  readonly nin: number;
  /** Number of outputs (neurons). */
  readonly nout: number;
  /** `[nin, nout]`. */
  readonly weight: Tensor;
  /** `[nout]`, or null without bias. */
  readonly bias: Tensor | null;

  constructor(nin: number, nout: number, options: LinearOptions = {}) {
    super();
    for (const [what, n] of [
      ["input size", nin],
      ["output size", nout],
    ] as const) {
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`Linear: ${what} must be a positive integer, got ${n}`);
    }
    const { init = "he", bias = true, dtype = "float32" } = options;
    if (!INITS.includes(init))
      throw new RangeError(`Linear: unknown init "${init}" (use ${INITS.join(", ")})`);
    const rng = options.rng ?? new Rng(options.seed ?? 1337);
    this.nin = nin;
    this.nout = nout;
    this.weight = zeros([nin, nout], { dtype, requiresGrad: true });
    // Drawn neuron by neuron (column by column), in the scalar engine's order.
    for (let j = 0; j < nout; j++)
      for (let i = 0; i < nin; i++) this.weight.data[i * nout + j] = initialWeight(init, nin, nout, rng);
    this.bias = bias ? zeros([nout], { dtype, requiresGrad: true }) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.shape[x.ndim - 1] !== this.nin) {
      throw new RangeError(
        `Linear: expected inputs with ${this.nin} features, got shape [${x.shape.join(",")}]`,
      );
    }
    // [..., nin] as one [rows, nin] matrix: one product for a whole batch of sequences
    const flat = x.ndim > 2 ? reshape(x, [-1, this.nin]) : x;
    const y = matmul(flat, this.weight);
    const out = this.bias === null ? y : add(y, this.bias);
    return x.ndim > 2 ? reshape(out, [...x.shape.slice(0, -1), this.nout]) : out;
  }

  parameters(): Tensor[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }

  /** `Linear(2→16, bias, float32)`. */
  override toString(): string {
    return `Linear(${this.nin}→${this.nout}, ${this.bias === null ? "no bias" : "bias"}, ${this.weight.dtype})`;
  }

  /** `weight` (`[nin, nout]`) and `bias`. */
  override namedParameters(): [string, Tensor][] {
    return this.bias === null
      ? [["weight", this.weight]]
      : [
          ["weight", this.weight],
          ["bias", this.bias],
        ];
  }
}
