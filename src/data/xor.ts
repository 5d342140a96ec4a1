import { Rng } from "../engine/random.ts";
import { checkSampleCount, type Dataset, type GenerateOptions } from "./dataset.ts";

/**
 * Points in the square [-1, 1]², class 1 where x and y have the same sign: the problem a network
 * without a hidden layer cannot solve.
 *
 * @example
 * const data = xor({ n: 100, seed: 1 });
 * fit(new MLP(2, [8, 1], { activation: "tanh" }), data, { optimizer: "adam", lr: 0.05, steps: 300 });
 */
export function xor(options: GenerateOptions = {}): Dataset {
  const { n = 200, noise = 0, seed = 1337 } = options;
  checkSampleCount("xor", n);
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    y.push(a * b > 0 ? 1 : 0);
    x.push([a + rng.normal(0, noise || 0), b + (noise ? rng.normal(0, noise) : 0)]);
  }
  return { x, y, classes: 2 };
}
