import { Rng } from "../engine/random.ts";
import { checkSampleCount, type Dataset, type GenerateOptions } from "./dataset.ts";

/** Points uniform in the square [-1, 1]², with the generator that drew them. */
function square(name: string, options: GenerateOptions): { x: number[][]; rng: Rng; noise: number } {
  const { n = 200, noise = 0, seed = 1337 } = options;
  checkSampleCount(name, n, 1);
  const rng = new Rng(seed);
  const x = Array.from({ length: n }, () => [2 * rng.next() - 1, 2 * rng.next() - 1]);
  return { x, rng, noise };
}

/**
 * A regression target that is a tilted plane: `y = (x1 + x2) / 2` plus Gaussian noise, for
 * points uniform in [-1, 1]² (TensorFlow Playground's "plane"). `classes` is 1: `y` holds
 * targets, between -1 and 1 before the noise.
 *
 * @example
 * const data = plane({ n: 200, noise: 0.05, seed: 1 }); // data.y[i] ≈ (x1 + x2) / 2
 */
export function plane(options: GenerateOptions = {}): Dataset {
  const { x, rng, noise } = square("plane", options);
  const y = x.map(([a, b]) => (a + b) / 2 + rng.normal(0, noise));
  return { x, y, classes: 1 };
}

/** Centres and signs of the bumps of `gaussians`. */
const BUMPS: readonly (readonly [number, number, number])[] = [
  [-0.5, 0.5, 1],
  [0.5, 0.5, -1],
  [-0.5, -0.5, -1],
  [0.5, -0.5, 1],
  [0, 0, 0.5],
];

/**
 * A regression target made of Gaussian bumps, some up and some down, over points uniform in
 * [-1, 1]² (TensorFlow Playground's "multi-gaussian"): `y` is the sum of the bumps (between
 * about -1 and 1) plus Gaussian noise. `classes` is 1.
 *
 * @example
 * const data = gaussians({ n: 300, seed: 2 }); // data.y[i]: the bumps' height at data.x[i]
 */
export function gaussians(options: GenerateOptions = {}): Dataset {
  const { x, rng, noise } = square("gaussians", options);
  const y = x.map(([a, b]) => {
    let h = 0;
    for (const [cx, cy, sign] of BUMPS)
      h += sign * Math.exp(-((a - cx) ** 2 + (b - cy) ** 2) / (2 * 0.25 ** 2));
    return h + rng.normal(0, noise);
  });
  return { x, y, classes: 1 };
}
