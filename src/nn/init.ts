import type { Rng } from "../engine/random.ts";

/**
 * How weights start: `uniform` is micrograd's uniform(-1, 1); `xavier` (Glorot) keeps the
 * variance of tanh/sigmoid layers steady; `he` (Kaiming) does the same for ReLU layers.
 * Biases start at zero.
 */
export type Init = "uniform" | "xavier" | "he";

/** Every init name, for validating user input. */
export const INITS: readonly Init[] = ["uniform", "xavier", "he"];

/** One initial weight for a layer with `fanIn` inputs and `fanOut` outputs. */
export function initialWeight(init: Init, fanIn: number, fanOut: number, rng: Rng): number {
  switch (init) {
    case "uniform":
      return rng.uniform(-1, 1);
    case "xavier": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniform(-limit, limit);
    }
    case "he":
      return rng.normal(0, Math.sqrt(2 / fanIn));
  }
}
