import type { Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/** Modules applied one after another: the output of each is the input of the next. */
export class Sequential extends TensorModule {
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

  override train(mode = true): this {
    this.training = mode;
    for (const l of this.layers) l.train(mode);
    return this;
  }
}
