// A plain-number forward pass over a flat parameter array, for the pictures: evaluating the
// network on thousands of grid cells needs no gradients, so no `Value` graph is built, and all
// the points go through each layer together, in flat arrays.
// The activations are the library's own (`activateNumber`, the scalar engine's forward rules),
// so the pictures show exactly what the model computes, NaN and large inputs included.
import { type Activation, activateNumber } from "../../src/index.ts";

/**
 * Every layer's outputs for `rows` inputs at once (`xs` row-major, 2 numbers per row): one
 * row-major `[rows, size]` array per layer; `params` in `MLP.parameters()` order (per neuron its
 * weights, then its bias).
 */
export function layerRows(
  params: ArrayLike<number>,
  sizes: readonly number[],
  activations: readonly Activation[],
  xs: ArrayLike<number>,
  rows: number,
): Float64Array[] {
  const outs: Float64Array[] = [];
  let h: ArrayLike<number> = xs;
  let nin = rows > 0 ? xs.length / rows : 2;
  let at = 0;
  for (const [l, size] of sizes.entries()) {
    const next = new Float64Array(rows * size);
    for (let j = 0; j < size; j++) {
      const bias = params[at + nin];
      for (let r = 0; r < rows; r++) {
        let sum = bias;
        for (let i = 0; i < nin; i++) sum += params[at + i] * h[r * nin + i];
        next[r * size + j] = activateNumber(sum, activations[l]);
      }
      at += nin + 1;
    }
    outs.push(next);
    h = next;
    nin = size;
  }
  return outs;
}
