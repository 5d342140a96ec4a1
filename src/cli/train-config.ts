import { DATASETS, type DatasetName } from "../data/generate.ts";
import { ACTIVATIONS } from "../nn/activation.ts";
import { INITS } from "../nn/init.ts";
import { LOSS_NAMES, type LossName } from "../nn/losses.ts";
import { SCHEDULES } from "../nn/optim/schedule.ts";
import type { BatchMode } from "../train/fit.ts";
import { BACKEND_FLAGS } from "./backend-option.ts";
import { CHECKPOINT_FLAGS } from "./checkpoint.ts";
import { DATA_FLAGS } from "./data-source.ts";
import {
  choiceFlag,
  type FlagTable,
  type FlagValues,
  flagRows,
  numberFlag,
  optionalNumberFlag,
} from "./flags.ts";
import { UsageError } from "./io.ts";
import { SAVE_FLAGS } from "./save-options.ts";
import {
  checkMemory,
  MAX_SAMPLES,
  MAX_STEPS,
  mlpParameterCount,
  scalarTrainingBytes,
  tensorTrainingBytes,
} from "./size-limits.ts";
import { SPLIT_FLAGS } from "./split-options.ts";

const DATASET_NAMES = [...(Object.keys(DATASETS) as DatasetName[]), "iris" as const];

// Defaults are micrograd's demo: moons, MLP 2-16-16-1, hinge + L2, full batch, SGD 1.0 -> 0.1.
export const TRAIN_FLAGS: FlagTable = {
  dataset: {
    type: "string",
    default: "moons",
    value: [...DATASET_NAMES, "mnist"].join("|"),
    help: "training data (mnist takes the options listed below)",
  },
  n: {
    type: "string",
    default: "100",
    value: "N",
    help: `number of samples (at most ${MAX_SAMPLES.toLocaleString("en")})`,
  },
  noise: { type: "string", default: "0.1", value: "X", help: "noise of the generated data" },
  classes: { type: "string", default: "3", value: "K", help: "classes of spiral and blobs" },
  hidden: {
    type: "string",
    default: "16,16",
    value: "N,N,...",
    help: "hidden layer sizes (a run that would need more than 2 GB is refused, with its estimate)",
  },
  activation: {
    type: "string",
    default: "relu",
    value: ACTIVATIONS.join("|"),
    help: "activation of hidden layers",
  },
  init: { type: "string", default: "uniform", value: INITS.join("|"), help: "weight initialisation" },
  loss: {
    type: "string",
    value: LOSS_NAMES.join("|"),
    help: "loss (default: hinge for 2 classes, softmax for more)",
  },
  optimizer: { type: "string", default: "sgd", value: "sgd|adam", help: "optimiser" },
  lr: { type: "string", default: "1", value: "X", help: "learning rate (start of the schedule)" },
  schedule: { type: "string", default: "linear", value: SCHEDULES.join("|"), help: "learning-rate schedule" },
  momentum: { type: "string", default: "0", value: "X", help: "SGD momentum" },
  "weight-decay": { type: "string", default: "0", value: "X", help: "weight decay added to gradients" },
  l2: { type: "string", default: "0.0001", value: "X", help: "weight of the L2 penalty in the loss" },
  steps: {
    type: "string",
    default: "100",
    value: "N",
    help: `number of updates (at most ${MAX_STEPS.toLocaleString("en")}; 0 reports the untrained model)`,
  },
  batch: { type: "string", default: "full", value: "full|stochastic|N", help: "samples per update" },
  seed: { type: "string", default: "1337", value: "N", help: "seed of data, weights and batch order" },
  engine: {
    type: "string",
    default: "compiled",
    value: "compiled|value",
    help: "compiled tape or a Value graph per step",
  },
  "target-loss": { type: "string", value: "X", help: "stop once the loss is at most X" },
  "target-accuracy": { type: "string", value: "X", help: "stop once the accuracy is at least X (0..1)" },
  ...BACKEND_FLAGS,
  demo: { type: "boolean", help: "micrograd's demo: train with the defaults and draw the result" },
  ...DATA_FLAGS,
  ...SPLIT_FLAGS,
  ...SAVE_FLAGS,
  ...CHECKPOINT_FLAGS,
  json: { type: "boolean", help: "print one JSON object with the results on stdout" },
  plots: {
    type: "string",
    value: "DIR",
    help: "write the decision boundary and the curves (.svg, .png) there",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** The flags of `micrograd train`, read and checked. */
export interface TrainConfig {
  dataset: DatasetName | "iris";
  n: number;
  noise: number;
  classes: number;
  hidden: number[];
  activation: (typeof ACTIVATIONS)[number];
  init: (typeof INITS)[number];
  loss: LossName | undefined;
  optimizer: "sgd" | "adam";
  lr: number;
  schedule: (typeof SCHEDULES)[number];
  momentum: number;
  weightDecay: number;
  l2: number;
  steps: number;
  batch: BatchMode;
  seed: number;
  engine: "compiled" | "value";
  targetLoss: number | undefined;
  targetAccuracy: number | undefined;
}

const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
const nonNegative = (n: number): boolean => n >= 0;

export function readConfig(values: FlagValues): TrainConfig {
  const hiddenRaw = String(values.hidden);
  const hidden = hiddenRaw.split(",").map((s) => Number(s.trim()));
  if (hiddenRaw.trim() === "" || !hidden.every(positiveInt)) {
    throw new UsageError(
      `--hidden: expected comma-separated positive integers like 16,16, got "${hiddenRaw}"`,
    );
  }
  const batchRaw = String(values.batch);
  const batch: BatchMode =
    batchRaw === "full" || batchRaw === "stochastic"
      ? batchRaw
      : numberFlag(values, "batch", positiveInt, "full, stochastic or a positive integer");
  return {
    dataset: choiceFlag(values, "dataset", DATASET_NAMES),
    n: numberFlag(
      values,
      "n",
      (n) => positiveInt(n) && n >= 2 && n <= MAX_SAMPLES,
      `an integer in [2, ${MAX_SAMPLES.toLocaleString("en")}]`,
    ),
    noise: numberFlag(values, "noise", nonNegative, "a number >= 0"),
    classes: numberFlag(values, "classes", (n) => positiveInt(n) && n >= 2, "an integer >= 2"),
    hidden,
    activation: choiceFlag(values, "activation", ACTIVATIONS),
    init: choiceFlag(values, "init", INITS),
    loss: values.loss === undefined ? undefined : choiceFlag(values, "loss", LOSS_NAMES),
    optimizer: choiceFlag(values, "optimizer", ["sgd", "adam"] as const),
    lr: numberFlag(values, "lr", (n) => n > 0, "a number > 0"),
    schedule: choiceFlag(values, "schedule", SCHEDULES),
    momentum: numberFlag(values, "momentum", (n) => n >= 0 && n < 1, "a number in [0, 1)"),
    weightDecay: numberFlag(values, "weight-decay", nonNegative, "a number >= 0"),
    l2: numberFlag(values, "l2", nonNegative, "a number >= 0"),
    steps: numberFlag(
      values,
      "steps",
      (n) => Number.isInteger(n) && n >= 0 && n <= MAX_STEPS,
      `an integer in [0, ${MAX_STEPS.toLocaleString("en")}]`,
    ),
    batch,
    seed: numberFlag(values, "seed", Number.isInteger, "an integer"),
    engine: choiceFlag(values, "engine", ["compiled", "value"] as const),
    targetLoss: optionalNumberFlag(values, "target-loss", nonNegative, "a number >= 0"),
    targetAccuracy: optionalNumberFlag(
      values,
      "target-accuracy",
      (n) => n >= 0 && n <= 1,
      "a number in [0, 1]",
    ),
  };
}

/** `micrograd train --help`: one page for every dataset, MNIST's own options in a section of their own. */
export function trainHelp(mnistFlags: FlagTable): string {
  return `Usage: micrograd train [options]
       micrograd train --dataset mnist [MNIST options]

Train a neural network: an MLP on a generated 2-D dataset (${Object.keys(DATASETS).join(", ")}), on the
iris flowers or on a CSV file (--data), with the scalar engine (the tensor engine with --backend);
or an MLP or a convolutional network on the MNIST digits (--dataset mnist, tensor engine).

Options:
${flagRows(TRAIN_FLAGS)}
MNIST options (with --dataset mnist, only these):
${flagRows(mnistFlags)}`;
}

/** Parses the flags; an MNIST-only flag without `--dataset mnist` says so, not just "Unknown option". */
export async function withMnistHint<T>(parse: () => T): Promise<T> {
  try {
    return parse();
  } catch (error) {
    const flag = /^Unknown option '--([^'=]+)'/.exec((error as Error).message)?.[1];
    if (flag !== undefined && Object.hasOwn((await import("./mnist-command.ts")).MNIST_FLAGS, flag)) {
      throw new UsageError(`--${flag} is an option of --dataset mnist (see "MNIST options" in train --help)`);
    }
    throw error;
  }
}

/** Refuses a network and batch whose training would need more memory than the limit (size-limits.ts). */
export function checkTrainingMemory(
  values: FlagValues,
  config: TrainConfig,
  samples: number,
  sizes: number[],
): void {
  const batch =
    config.batch === "full" ? samples : config.batch === "stochastic" ? 1 : Math.min(config.batch, samples);
  const tensor = values.backend !== undefined;
  checkMemory(
    tensor ? tensorTrainingBytes(sizes, batch) : scalarTrainingBytes(sizes, batch),
    `training MLP ${sizes.join("-")} (${mlpParameterCount(sizes).toLocaleString("en")} parameters) on ${batch.toLocaleString("en")} samples per update${tensor ? "" : " with the scalar engine"}`,
    tensor
      ? "use a smaller --hidden or --batch"
      : "use a smaller --hidden or --batch, or the tensor engine (--backend js)",
  );
}
