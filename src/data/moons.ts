import { Rng } from "../engine/random.ts";
import { checkSampleCount, type Dataset, type GenerateOptions } from "./dataset.ts";

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): the upper moon is class 0, the
 * lower one class 1. micrograd's demo uses 100 points with noise 0.1.
 *
 * @example
 * const data = moons({ n: 100, noise: 0.1, seed: 1337 }); // micrograd's demo data
 */
export function moons(options: GenerateOptions = {}): Dataset {
  const { n = 100, noise = 0.1, seed = 1337 } = options;
  checkSampleCount("moons", n, 2);
  const rng = new Rng(seed);
  const nOuter = Math.floor(n / 2);
  const nInner = n - nOuter;
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nOuter; i++) {
    const t = (Math.PI * i) / Math.max(1, nOuter - 1);
    x.push([Math.cos(t), Math.sin(t)]);
    y.push(0);
  }
  for (let i = 0; i < nInner; i++) {
    const t = (Math.PI * i) / Math.max(1, nInner - 1);
    x.push([1 - Math.cos(t), 0.5 - Math.sin(t)]);
    y.push(1);
  }
  const order = rng.permutation(n);
  return {
    x: order.map((i) => x[i].map((v) => v + rng.normal(0, noise))),
    y: order.map((i) => y[i]),
    classes: 2,
  };
}
