import { Rng } from "../engine/random.ts";
import { checkSampleCount, type Dataset, type GenerateOptions } from "./dataset.ts";

/**
 * Options of `blobs`.
 *
 * @example
 * blobs({ n: 300, classes: 4, seed: 7 });
 */
export interface BlobsOptions extends GenerateOptions {
  /** Number of blobs, one class each (default 3). */
  readonly classes?: number;
}

/**
 * Gaussian blobs around centres spread on a circle of radius 2, one class per blob.
 *
 * @example
 * const data = blobs({ n: 300, classes: 3, noise: 0.5, seed: 1 }); // data.classes === 3
 */
export function blobs(options: BlobsOptions = {}): Dataset {
  const { n = 150, noise = 0.5, seed = 1337, classes = 3 } = options;
  if (!Number.isInteger(classes) || classes < 2)
    throw new RangeError(`blobs: classes must be an integer >= 2, got ${classes}`);
  checkSampleCount("blobs", n, classes);
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    const angle = (2 * Math.PI * k) / classes;
    x.push([2 * Math.cos(angle) + rng.normal(0, noise), 2 * Math.sin(angle) + rng.normal(0, noise)]);
    y.push(k);
  }
  const order = rng.permutation(n);
  return { x: order.map((i) => x[i]), y: order.map((i) => y[i]), classes };
}
