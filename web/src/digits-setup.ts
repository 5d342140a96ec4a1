// The Digits view's networks, data split and training plan, free of the DOM and of Vite: the MLP
// and the convolutional network of `micrograd train --dataset mnist` (same layers, same
// optimiser), fewer epochs on the digits the page ships, and one forward pass that keeps every
// hidden layer's output for the pictures.
import {
  ActivationLayer,
  type FitOptions,
  mnistCnn,
  noGrad,
  type Sequential,
  scheduleByName,
  Tensor,
  tensorMLP,
  trainTestSplit,
} from "../../src/index.ts";
import { type Digits, PIXELS } from "./digits-data.ts";

/** The networks the view trains. */
export type DigitsArch = "mlp" | "cnn";

/** How each network trains (Adam with a cosine schedule, as the CLI's defaults). */
export interface DigitsPlan {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly weightDecay: number;
}

/** The CLI's settings, with fewer epochs: the MLP is done in seconds, the CNN in under a minute on wasm. */
export const DIGITS_PLANS: Record<DigitsArch, DigitsPlan> = {
  mlp: { epochs: 8, batch: 128, lr: 0.002, weightDecay: 1e-4 },
  cnn: { epochs: 3, batch: 64, lr: 0.005, weightDecay: 1e-4 },
};

/** The seed of the split, the weights, dropout, shifts and batches. */
export const DIGITS_SEED = 1337;

/**
 * How `fit` trains `arch` on `train` (its plan, or `epochs` of it), evaluating `test` about
 * twice an epoch and keeping the last weights (the page shows the network as it is).
 */
export function digitsTraining(
  arch: DigitsArch,
  train: DigitSet,
  test: DigitSet,
  epochs = DIGITS_PLANS[arch].epochs,
): FitOptions & { readonly steps: number } {
  const plan = DIGITS_PLANS[arch];
  const perEpoch = Math.floor(train.y.length / plan.batch);
  const steps = epochs * perEpoch;
  return {
    loss: "softmax",
    optimizer: "adam",
    lr: scheduleByName("cosine", plan.lr, steps),
    weightDecay: plan.weightDecay,
    batch: plan.batch,
    steps,
    seed: DIGITS_SEED,
    validation: test,
    evalEvery: Math.ceil(perEpoch / 2),
    restoreBest: false,
  };
}

/** The network for `arch` with fresh weights, and a line that describes it. */
export function digitsNetwork(arch: DigitsArch, seed = DIGITS_SEED): { model: Sequential; describe: string } {
  if (arch === "cnn") return mnistCnn({ channels: [8, 16], hidden: [64], dropout: 0, shift: 1, seed });
  return {
    model: tensorMLP(PIXELS, [128, 10], { activation: "relu", dropout: 0.2, seed }),
    describe: "MLP 784-128-10 (relu, dropout 0.2)",
  };
}

/** Labelled digits as one `[count, 784]` tensor (standardised) and their classes. */
export interface DigitSet {
  readonly x: Tensor;
  readonly y: number[];
}

/**
 * A stratified 80/20 split of `digits`, standardised with the training digits' mean and
 * deviation (one of each over all pixels, as the CLI does), which the page needs for drawings.
 */
export function digitsSplit(
  digits: Digits,
  seed = DIGITS_SEED,
): { train: DigitSet; test: DigitSet; mean: number; std: number } {
  const labels = Array.from(digits.labels);
  const { train, test } = trainTestSplit(labels, { test: 0.2, seed });
  const rows = (idx: readonly number[]): Float32Array => {
    const out = new Float32Array(idx.length * PIXELS);
    idx.forEach((k, r) => out.set(digits.images.subarray(k * PIXELS, (k + 1) * PIXELS), r * PIXELS));
    return out;
  };
  const trainX = rows(train);
  let mean = 0;
  for (const v of trainX) mean += v;
  mean /= trainX.length;
  let variance = 0;
  for (const v of trainX) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / trainX.length) || 1;
  const set = (x: Float32Array, idx: readonly number[]): DigitSet => {
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean) / std;
    return { x: new Tensor(x, [idx.length, PIXELS]), y: idx.map((k) => labels[k]) };
  };
  return { train: set(trainX, train), test: set(rows(test), test), mean, std };
}

/** What the network makes of one digit: class probabilities and each hidden layer's output. */
export interface DigitReading {
  readonly probs: Float32Array;
  /** After each activation: `[1, channels, h, w]` for convolutions, `[1, units]` for dense layers. */
  readonly hidden: { readonly shape: readonly number[]; readonly data: Float32Array }[];
}

/** Runs `model` in evaluation mode (then puts its mode back) on one 28×28 digit with intensities in [0, 1]. */
export function readDigit(model: Sequential, pixels: Float32Array, mean: number, std: number): DigitReading {
  const x = new Float32Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) x[i] = (pixels[i] - mean) / std;
  const training = model.training;
  model.eval();
  const hidden: DigitReading["hidden"] = [];
  let h = new Tensor(x, [1, PIXELS]);
  try {
    noGrad(() => {
      for (const layer of model.layers) {
        h = layer.forward(h);
        if (layer instanceof ActivationLayer)
          hidden.push({ shape: h.shape, data: Float32Array.from(h.data) });
      }
    });
  } finally {
    model.train(training);
  }
  const logits = Array.from(h.data);
  const top = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return { probs: Float32Array.from(exps, (e) => e / total), hidden };
}
