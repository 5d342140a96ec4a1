import { Value } from "../../engine/value.ts";
import { backend } from "../../tensor/backend.ts";
import { Tensor } from "../../tensor/tensor.ts";
import { Adam, type AdamOptions } from "./adam.ts";
import type { DeviceBlock, ParamBlock, Parameters } from "./optimizer.ts";

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay. Each step first shrinks
 * a weight by `lr · weightDecay · w`, apart from the gradient, then takes Adam's step; the
 * decay never enters Adam's moments. As in nanoGPT, only tensors of two or more dimensions
 * (the matrices and embedding tables) decay; biases, layer-norm scales and scalar `Value`s do not.
 *
 * @example
 * const optimizer = new AdamW(gpt.parameters(), { lr: warmupCosine(3e-3, 100, 5000), weightDecay: 0.1, beta2: 0.99 });
 */
export class AdamW extends Adam {
  /** The decoupled decay rate (Adam's L2 `weightDecay` is off). */
  readonly decoupledDecay: number;
  /** Per parameter block: whether it decays. */
  readonly #decays: boolean[];

  constructor(parameters: Parameters, options: AdamOptions) {
    const { weightDecay = 0.01, ...adam } = options;
    super(parameters, adam);
    if (!(weightDecay >= 0)) throw new RangeError(`AdamW: weightDecay must be >= 0, got ${weightDecay}`);
    this.decoupledDecay = weightDecay;
    const list = "parameters" in parameters ? parameters.parameters() : parameters;
    // block 0 holds the scalar Values; blocks 1… the other parameters in order
    this.#decays = [
      false,
      ...list.filter((p) => !(p instanceof Value)).map((p) => p instanceof Tensor && p.ndim >= 2),
    ];
  }

  protected override update(index: number, block: ParamBlock, lr: number): void {
    if (this.#decays[index] === true && this.decoupledDecay > 0) {
      const shrink = 1 - lr * this.decoupledDecay;
      const { data } = block;
      for (let i = 0; i < data.length; i++) data[i] *= shrink;
    }
    super.update(index, block, lr);
  }

  /** The same decay on the GPU (one kernel), then Adam's update there. */
  protected override updateOnDevice(index: number, block: DeviceBlock, lr: number): void {
    if (this.#decays[index] === true && this.decoupledDecay > 0)
      backend().binaryScalar("mul", block.data, 1 - lr * this.decoupledDecay, block.data);
    super.updateOnDevice(index, block, lr);
  }
}
