import { Rng } from "../engine/random.ts";
import { checkSampleCount, type Dataset, type GenerateOptions } from "./dataset.ts";

/**
 * Options of `spiral`.
 *
 * @example
 * spiral({ n: 400, classes: 4 });
 */
export interface SpiralOptions extends GenerateOptions {
  /** Number of arms, one class each (default 3). */
  readonly classes?: number;
}

/**
 * Interleaved spiral arms, one per class (the CS231n spiral): a classic multi-class problem.
 *
 * @example
 * const data = spiral({ n: 300, classes: 3, noise: 0.2 });
 * const model = new MLP(2, [16, 16, 3]); // one output per class: softmax loss
 */
export function spiral(options: SpiralOptions = {}): Dataset {
  const { n = 300, noise = 0.2, seed = 1337, classes = 3 } = options;
  if (!Number.isInteger(classes) || classes < 2)
    throw new RangeError(`spiral: classes must be an integer >= 2, got ${classes}`);
  checkSampleCount("spiral", n, classes);
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    const t = Math.floor(i / classes) / Math.max(1, Math.ceil(n / classes) - 1);
    const angle = 4 * t + (2 * Math.PI * k) / classes + rng.normal(0, noise);
    x.push([t * Math.sin(angle), t * Math.cos(angle)]);
    y.push(k);
  }
  const order = rng.permutation(n);
  return { x: order.map((i) => x[i]), y: order.map((i) => y[i]), classes };
}
