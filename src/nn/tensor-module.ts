import type { Rng } from "../engine/random.ts";
import type { Tensor } from "../tensor/tensor.ts";

/**
 * A network part on tensors: the tensor twin of `Module`, with the same `parameters()` and
 * `zeroGrad()`, a `forward`, and a training/evaluation mode (dropout uses it).
 *
 * @example
 * class Square extends TensorModule {
 *   forward(x: Tensor): Tensor { return mul(x, x); }
 *   parameters(): Tensor[] { return []; }
 * }
 */
export abstract class TensorModule {
  /** True while training (the default); `eval()` turns it off. */
  training = true;

  /** The output for a batch of inputs. */
  abstract forward(x: Tensor): Tensor;

  /** Every trainable tensor, in a fixed order. */
  abstract parameters(): Tensor[];

  /**
   * The random generators this module draws from while training (dropout's), so that a training
   * checkpoint can store where they are. None by default.
   */
  rngs(): Rng[] {
    return [];
  }

  /** Sets every parameter's gradient to zero, before the next backward pass. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.paramBlock().grad.fill(0);
  }

  /** Switches training mode on or off (for this module and the ones inside it). */
  train(mode = true): this {
    this.training = mode;
    return this;
  }

  /** Switches to evaluation mode: dropout passes inputs through unchanged. */
  eval(): this {
    return this.train(false);
  }

  /** How many trainable numbers. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** A short summary, e.g. `Linear(2→16, bias)`; `Sequential` adds a line per layer. */
  toString(): string {
    return `TensorModule(${this.parameterCount()} parameters)`;
  }

  /** What `console.log` shows in Node: `toString()`, not the tensors' typed arrays. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
