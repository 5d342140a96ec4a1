import { Rng } from "../engine/random.ts";
import { checkSampleCount, type Dataset, type GenerateOptions } from "./dataset.ts";

/**
 * Options of `circles`.
 *
 * @example
 * circles({ n: 200, factor: 0.3 }); // a small inner circle
 */
export interface CirclesOptions extends GenerateOptions {
  /** Radius of the inner circle relative to the outer one (default 0.5). */
  readonly factor?: number;
}

/**
 * A small circle (class 1) inside a large one (class 0), as scikit-learn's `make_circles`.
 *
 * @example
 * const data = circles({ n: 200, noise: 0.05, factor: 0.5 }); // an inner and an outer ring
 */
export function circles(options: CirclesOptions = {}): Dataset {
  const { n = 100, noise = 0.1, seed = 1337, factor = 0.5 } = options;
  checkSampleCount("circles", n, 2);
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${factor}`);
  const rng = new Rng(seed);
  const nOuter = Math.floor(n / 2);
  const points: [number[], number][] = [];
  for (let i = 0; i < n; i++) {
    const outer = i < nOuter;
    const count = outer ? nOuter : n - nOuter;
    const t = (2 * Math.PI * (outer ? i : i - nOuter)) / count;
    const r = outer ? 1 : factor;
    points.push([[r * Math.cos(t), r * Math.sin(t)], outer ? 0 : 1]);
  }
  rng.shuffle(points);
  return {
    x: points.map(([p]) => p.map((v) => v + rng.normal(0, noise))),
    y: points.map(([, label]) => label),
    classes: 2,
  };
}
