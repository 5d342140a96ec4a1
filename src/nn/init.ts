import type { Rng } from "../engine/random.ts";

/**
 * How weights start: `uniform` is micrograd's uniform(-1, 1); `xavier` (Glorot) keeps the
 * variance of tanh/sigmoid layers steady; `he` (Kaiming) does the same for ReLU layers.
 * Biases start at zero.
 *
 * @example
 * new MLP(2, [64, 64, 1], { init: "he" satisfies Init });
 */
export type Init = "uniform" | "xavier" | "he";

/**
 * Every init name, for validating user input.
 *
 * @example
 * INITS; // ["uniform", "xavier", "he"]
 */
export const INITS: readonly Init[] = ["uniform", "xavier", "he"];

/**
 * One initial weight for a layer with `fanIn` inputs and `fanOut` outputs.
 *
 * @example
 * const w = initialWeight("he", 16, 16, new Rng(1)); // normal, std sqrt(2 / 16)
 */
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
