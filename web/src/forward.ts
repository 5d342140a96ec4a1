// A plain-number forward pass over a flat parameter array, for the pictures: evaluating the
// network on thousands of grid cells needs no gradients, so no `Value` graph is built.
import type { Activation } from "../../src/index.ts";

function act(a: Activation, v: number): number {
  switch (a) {
    case "relu":
      return v > 0 ? v : 0;
    case "tanh":
      return Math.tanh(v);
    case "sigmoid":
      return 1 / (1 + Math.exp(-v));
    case "linear":
      return v;
  }
}

/**
 * Every layer's outputs for input `x`; `params` in `MLP.parameters()` order (per neuron its
 * weights, then its bias).
 */
export function layerOutputs(
  params: ArrayLike<number>,
  sizes: readonly number[],
  activations: readonly Activation[],
  x: readonly number[],
): number[][] {
  const outs: number[][] = [];
  let h = x;
  let at = 0;
  for (const [l, size] of sizes.entries()) {
    const next: number[] = new Array(size);
    for (let j = 0; j < size; j++) {
      let sum = params[at + h.length];
      for (let i = 0; i < h.length; i++) sum += params[at + i] * h[i];
      at += h.length + 1;
      next[j] = act(activations[l], sum);
    }
    outs.push(next);
    h = next;
  }
  return outs;
}
