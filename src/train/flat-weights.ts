import type { Value } from "../engine/value.ts";
import type { ParamBlock } from "../nn/optim/optimizer.ts";
import type { Tensor } from "../tensor/tensor.ts";

/**
 * A model's parameters seen as one flat run of numbers, in `model.parameters()` order: what
 * `fit` copies for the best validation weights, puts back, and stores in checkpoints, the same
 * way for scalar `Value`s and for tensors.
 *
 * @example
 * const weights: FlatWeights = tensorWeights(net.parameters());
 * const saved = new Float64Array(weights.size);
 * weights.read(saved); // ... train on ...
 * weights.write(saved); // back to the saved weights
 */
export interface FlatWeights {
  /** How many numbers. */
  readonly size: number;
  /** Copies the current weights into `out` (of length `size`). */
  read(out: Float64Array): void;
  /** Makes `values` (of length `size`) the model's weights. */
  write(values: ArrayLike<number>): void;
  /** Brings the model up to date after an optimiser changed the numbers in place. */
  sync(): void;
}

/**
 * The flat view of a scalar model whose `Value`s are trained through `block`: the block holds
 * the numbers the optimiser updates, and `sync` copies them into the `Value`s.
 *
 * @example
 * const parameters = model.parameters();
 * const block = { data: Float64Array.from(parameters, (p) => p.data), grad: new Float64Array(parameters.length) };
 * const weights = scalarWeights(parameters, block);
 */
export function scalarWeights(parameters: readonly Value[], block: ParamBlock): FlatWeights {
  const sync = (): void => {
    for (let i = 0; i < parameters.length; i++) parameters[i].data = block.data[i];
  };
  return {
    size: parameters.length,
    read: (out) => out.set(block.data),
    write: (values) => {
      block.data.set(values);
      sync();
    },
    sync,
  };
}

/**
 * The flat view of tensor parameters: their numbers one tensor after another (float32 weights
 * are read into float64 exactly, and written back exactly).
 *
 * @example
 * const weights = tensorWeights(net.parameters());
 * weights.size === net.parameterCount(); // true
 */
export function tensorWeights(parameters: readonly Tensor[]): FlatWeights {
  const size = parameters.reduce((n, p) => n + p.size, 0);
  const check = (what: string, length: number): void => {
    if (length !== size) throw new RangeError(`fit: ${what} ${length} weights, the model has ${size}`);
  };
  return {
    size,
    read(out) {
      check("cannot read", out.length);
      let at = 0;
      for (const p of parameters) {
        out.set(p.data, at);
        at += p.size;
      }
    },
    write(values) {
      check("was given", values.length);
      let at = 0;
      for (const p of parameters) {
        for (let i = 0; i < p.size; i++) p.data[i] = values[at + i];
        at += p.size;
      }
    },
    sync: () => {},
  };
}
