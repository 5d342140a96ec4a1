import type { Value } from "../engine/value.ts";
import { Tensor } from "../tensor/tensor.ts";
import { zeroGrads } from "./parameter.ts";

/**
 * What a parameter of a module is: a scalar `Value` (the micrograd engine) or a `Tensor`.
 *
 * @example
 * const p: ModuleParameter = new MLP(2, [1]).parameters()[0]; // a Value
 */
export type ModuleParameter = Value | Tensor;

/**
 * Anything with trainable parameters, on either engine: a neuron, a layer, a network of
 * `Value`s (`Module<Value>`, the default), or of tensors (`Module<Tensor>`, see `TensorModule`).
 * Optimisers, `fit` and the savers take this one shape: parameters in a fixed order, each with
 * a name (PyTorch's `state_dict` names: `weight`, `0.bias`, `layers.1.weight`), `zeroGrad`, a
 * training/evaluation mode and a parameter count.
 *
 * @example
 * const model: Module = new MLP(2, [4, 1]);
 * model.parameters().length; // 17
 * model.namedParameters()[0][0]; // "layers.0.neurons.0.w.0"
 * model.zeroGrad();
 */
export abstract class Module<P extends ModuleParameter = Value> {
  /** True while training (the default); `eval()` turns it off (dropout reads it). */
  training = true;

  /** Every trainable parameter, in a fixed order (the order saved models and checkpoints use). */
  abstract parameters(): P[];

  /**
   * Every parameter with its name, in `parameters()` order. Modules made of named parts
   * override it (`Linear`: `weight`, `bias`; `Sequential`: `0.weight`, ...); the default
   * numbers the parameters `0`, `1`, ...
   */
  namedParameters(): [string, P][] {
    return this.parameters().map((p, i): [string, P] => [String(i), p]);
  }

  /** Sets every parameter's gradient to zero, before the next backward pass. */
  zeroGrad(): void {
    zeroGrads(this.parameters());
  }

  /** Switches training mode on or off (modules with parts switch their parts too). */
  train(mode = true): this {
    this.training = mode;
    return this;
  }

  /** Switches to evaluation mode: dropout passes inputs through unchanged. */
  eval(): this {
    return this.train(false);
  }

  /** How many trainable numbers (a `Value` is one, a tensor its size). */
  parameterCount(): number {
    let n = 0;
    for (const p of this.parameters()) n += p instanceof Tensor ? p.size : 1;
    return n;
  }

  /** A short summary, e.g. `MLP(2-16-16-1, 337 parameters)` and one line per layer. */
  toString(): string {
    return `Module(${this.parameterCount()} parameters)`;
  }

  /** What `console.log` shows in Node: `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * The named parameters of the part `part` of a module, each name prefixed with `prefix.`:
 * how a module made of parts builds `namedParameters()`.
 *
 * @example
 * namedParametersOf("layers.0", layer); // [["layers.0.weight", w], ["layers.0.bias", b]]
 */
export function namedParametersOf<P extends ModuleParameter>(prefix: string, part: Module<P>): [string, P][] {
  return part.namedParameters().map(([name, p]): [string, P] => [`${prefix}.${name}`, p]);
}
