import type { Rng } from "../engine/random.ts";

/** Returns the next batch's sample indices each call: shuffled epochs, in order within one. */
export function batchOrder(n: number, size: number, rng: Rng): () => number[] {
  if (size === n) {
    const all = Array.from({ length: n }, (_, i) => i);
    return () => all;
  }
  let order = rng.permutation(n);
  let at = 0;
  return () => {
    if (at + size > n) {
      order = rng.permutation(n);
      at = 0;
    }
    const batch = order.slice(at, at + size);
    at += size;
    return batch;
  };
}
