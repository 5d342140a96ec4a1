import { relu, sigmoid, tanh } from "../tensor/ops/elementwise.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { ACTIVATIONS, type Activation } from "./activation.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * A nonlinearity as a module (`relu`, `tanh`, `sigmoid`, or `linear` for none); no parameters.
 *
 * @example
 * const net = new Sequential(new Linear(2, 16), new ActivationLayer("tanh"), new Linear(16, 1));
 */
export class ActivationLayer extends TensorModule {
  /** The function applied to every element. */
  readonly activation: Activation;

  constructor(activation: Activation) {
    super();
    if (!ACTIVATIONS.includes(activation)) {
      throw new RangeError(
        `ActivationLayer: unknown activation "${activation}" (use ${ACTIVATIONS.join(", ")})`,
      );
    }
    this.activation = activation;
  }

  forward(x: Tensor): Tensor {
    switch (this.activation) {
      case "relu":
        return relu(x);
      case "tanh":
        return tanh(x);
      case "sigmoid":
        return sigmoid(x);
      case "linear":
        return x;
    }
  }

  /** `ActivationLayer(relu)`. */
  override toString(): string {
    return `ActivationLayer(${this.activation})`;
  }

  parameters(): Tensor[] {
    return [];
  }
}
