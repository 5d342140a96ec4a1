import type { Rng } from "../engine/random.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { Module } from "./module.ts";

/**
 * A network part on tensors: a `Module<Tensor>` (the same parameters, names, `zeroGrad`,
 * training mode and parameter count as the scalar modules) with a `forward` over a batch and
 * the random generators it draws from while training.
 *
 * @example
 * class Scale extends TensorModule {
 *   readonly weight = tensor([2], { requiresGrad: true });
 *   forward(x: Tensor): Tensor { return mul(x, this.weight); }
 *   parameters(): Tensor[] { return [this.weight]; }
 *   override namedParameters(): [string, Tensor][] { return [["weight", this.weight]]; }
 * }
 */
export abstract class TensorModule extends Module<Tensor> {
  /** The output for a batch of inputs. */
  abstract forward(x: Tensor): Tensor;

  /**
   * The random generators this module draws from while training (dropout's), so that a training
   * checkpoint can store where they are. None by default.
   */
  rngs(): Rng[] {
    return [];
  }
}
