import type { Rng } from "../engine/random.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * Modules applied one after another: the output of each is the input of the next.
 *
 * @example
 * const net = new Sequential(new Linear(2, 16), new ActivationLayer("relu"), new Linear(16, 1));
 * const scores = net.forward(tensor(data.x)); // shape [samples, 1]
 */
export class Sequential extends TensorModule {
  /** The modules, applied first to last. */
  readonly layers: readonly TensorModule[];

  constructor(...layers: TensorModule[]) {
    super();
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }

  parameters(): Tensor[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** The generators of every layer, each once (layers may share one). */
  override rngs(): Rng[] {
    return [...new Set(this.layers.flatMap((l) => l.rngs()))];
  }

  /** `Sequential(337 parameters)`, then one indented line per layer. */
  override toString(): string {
    const lines = this.layers.flatMap((l) => String(l).split("\n"));
    return [`Sequential(${this.parameterCount()} parameters)`, ...lines.map((line) => `  ${line}`)].join(
      "\n",
    );
  }

  override train(mode = true): this {
    this.training = mode;
    for (const l of this.layers) l.train(mode);
    return this;
  }
}
