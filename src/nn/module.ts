import type { Value } from "../engine/value.ts";

/**
 * Anything with trainable parameters: a neuron, a layer, a network.
 *
 * @example
 * const model: Module = new MLP(2, [4, 1]);
 * model.parameters().length; // 17
 * model.zeroGrad();
 */
export abstract class Module {
  /** Every trainable value, in a fixed order (the order saved models use). */
  abstract parameters(): Value[];

  /** Sets every parameter's gradient to zero, before the next backward pass. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  /** A short summary, e.g. `MLP(2-16-16-1, 337 parameters)` and one line per layer. */
  toString(): string {
    return `Module(${this.parameters().length} parameters)`;
  }

  /** What `console.log` shows in Node: `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
