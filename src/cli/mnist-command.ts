// The flags of `micrograd train --dataset mnist`; the training itself is in mnist.ts.
import { scalarTwin } from "../io/tensor-mlp-file.ts";
import { SCHEDULES } from "../nn/optim/schedule.ts";
import type { FitCheckpoint } from "../train/fit.ts";
import { BACKEND_FLAGS, useBackend } from "./backend-option.ts";
import { CHECKPOINT_FLAGS, checkpointOptions, readResume } from "./checkpoint.ts";
import {
  choiceFlag,
  commandFlags,
  type FlagTable,
  type FlagValues,
  numberFlag,
  optionalNumberFlag,
} from "./flags.ts";
import { type CliIO, UsageError } from "./io.ts";
import {
  loadMnist,
  MNIST_ARCHS,
  MNIST_CNN_DEFAULTS,
  MNIST_DEFAULTS,
  type MnistOptions,
  trainMnist,
} from "./mnist.ts";
import { writeCnnPictures } from "./mnist-plots.ts";
import { saveSequentialFile } from "./model-file.ts";
import { checkTrainingOutputs, SAVE_FLAGS, saveTrained } from "./save-options.ts";
import { checkMemory, MAX_STEPS, mlpParameterCount, tensorTrainingBytes } from "./size-limits.ts";
import { SPLIT_FLAGS } from "./split-options.ts";

const d = MNIST_DEFAULTS;
const c = MNIST_CNN_DEFAULTS;
const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
/** The flags of `train --dataset mnist` (listed in `train --help`). */
export const MNIST_FLAGS: FlagTable = {
  dataset: {
    type: "string",
    default: "mnist",
    value: "mnist",
    help: "the MNIST digits (from the mnist package)",
  },
  arch: {
    type: "string",
    default: d.arch,
    value: MNIST_ARCHS.join("|"),
    help: "network: an MLP on the flat pixels or a convolutional network (CNN) on the images",
  },
  hidden: {
    type: "string",
    value: "N,N,...",
    help: `hidden layer sizes (default ${d.hidden.join(",")}; cnn: fully connected layers after the convolutions, default ${c.hidden.join(",")})`,
  },
  channels: {
    type: "string",
    value: "N,N",
    help: `cnn: channels of its two convolutions (default ${c.channels.join(",")})`,
  },
  shift: {
    type: "string",
    value: "N",
    help: `cnn: move each training digit by up to N pixels at random (default ${c.shift})`,
  },
  epochs: {
    type: "string",
    value: "N",
    help: `passes over the training digits (default ${d.epochs}; cnn ${c.epochs})`,
  },
  steps: {
    type: "string",
    value: "N",
    help: "stop after N updates (default: all of --epochs; at most 10,000,000)",
  },
  batch: { type: "string", value: "N", help: `digits per update (default ${d.batch}; cnn ${c.batch})` },
  lr: {
    type: "string",
    value: "X",
    help: `Adam learning rate (start of the schedule; default ${d.lr}, cnn ${c.lr})`,
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
    value: "P",
    help: `dropout after each hidden layer (default ${d.dropout}; cnn ${c.dropout})`,
  },
  train: { type: "string", default: String(d.train), value: "N", help: "training digits" },
  test: { type: "string", default: String(d.test), value: "N", help: "test digits" },
  val: {
    type: "string",
    value: "F",
    help: "fraction of the training digits held out for validation (stratified), e.g. 0.1",
  },
  patience: SPLIT_FLAGS.patience,
  "eval-every": SPLIT_FLAGS["eval-every"],
  seed: {
    type: "string",
    default: String(d.seed),
    value: "N",
    help: "seed of the split, weights, dropout and batches",
  },
  ...BACKEND_FLAGS,
  ...SAVE_FLAGS,
  ...CHECKPOINT_FLAGS,
  json: { type: "boolean", help: "print one JSON object with the results on stdout" },
  plots: {
    type: "string",
    value: "DIR",
    help: "cnn: write the first convolution's filters and one digit's feature maps (.svg, .png) there",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** A comma-separated list of positive integers (`--hidden`, `--channels`). */
function intList(values: FlagValues, name: string, fallback: readonly number[], example: string): number[] {
  const raw = values[name] === undefined ? fallback.join(",") : String(values[name]);
  const list = raw.trim() === "" ? [] : raw.split(",").map((s) => Number(s.trim()));
  if (!list.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new UsageError(
      `--${name}: expected comma-separated positive integers like ${example}, got "${raw}"`,
    );
  }
  return list;
}

function readOptions(values: FlagValues): MnistOptions {
  const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
  choiceFlag(values, "dataset", ["mnist"] as const);
  const arch = choiceFlag(values, "arch", MNIST_ARCHS);
  const base = arch === "cnn" ? c : d;
  for (const name of ["channels", "shift", "plots"]) {
    if (arch !== "cnn" && values[name] !== undefined) throw new UsageError(`--${name} is for --arch cnn`);
  }
  // flags whose default depends on the network
  const withDefault = { ...values };
  for (const [name, v] of [
    ["epochs", base.epochs],
    ["batch", base.batch],
    ["dropout", base.dropout],
    ["lr", base.lr],
    ["shift", base.shift],
  ] as const) {
    withDefault[name] ??= String(v);
  }
  values = withDefault;
  const channels = intList(values, "channels", base.channels, "8,16");
  if (channels.length !== 2)
    throw new UsageError(`--channels: expected two numbers like 8,16, got "${values.channels}"`);
  return {
    arch,
    hidden: intList(values, "hidden", base.hidden, "256,128"),
    channels: [channels[0], channels[1]],
    shift: numberFlag(
      values,
      "shift",
      (n) => Number.isInteger(n) && n >= 0 && n < 14,
      "an integer in [0, 13]",
    ),
    epochs: numberFlag(values, "epochs", positiveInt, "a positive integer"),
    steps: optionalNumberFlag(
      values,
      "steps",
      (n) => positiveInt(n) && n <= MAX_STEPS,
      `an integer in [1, ${MAX_STEPS.toLocaleString("en")}]`,
    ),
    batch: numberFlag(values, "batch", positiveInt, "a positive integer"),
    lr: numberFlag(values, "lr", (n) => n > 0, "a number > 0"),
    schedule: choiceFlag(values, "schedule", SCHEDULES),
    weightDecay: numberFlag(values, "weight-decay", (n) => n >= 0, "a number >= 0"),
    dropout: numberFlag(values, "dropout", (n) => n >= 0 && n < 1, "a number in [0, 1)"),
    train: numberFlag(values, "train", positiveInt, "a positive integer"),
    test: numberFlag(values, "test", positiveInt, "a positive integer"),
    ...heldOut(values),
    seed: numberFlag(values, "seed", Number.isInteger, "an integer"),
    verbose: values.json !== true,
  };
}

/** `--val`, `--patience` and `--eval-every`, read and checked as `train` reads them for the 2-D data. */
function heldOut(values: FlagValues): Pick<MnistOptions, "val" | "patience" | "evalEvery"> {
  const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
  const val = optionalNumberFlag(values, "val", (n) => n >= 0 && n < 1, "a fraction in [0, 1)") ?? 0;
  const patience = optionalNumberFlag(values, "patience", positiveInt, "a positive integer");
  const evalEvery = optionalNumberFlag(values, "eval-every", positiveInt, "a positive integer");
  if (patience !== undefined && val === 0)
    throw new UsageError("--patience needs a validation set: add --val 0.1");
  if (evalEvery !== undefined && val === 0)
    throw new UsageError("--eval-every needs a validation set: add --val 0.1");
  return { val, patience, evalEvery };
}

/**
 * `micrograd train --dataset mnist [options]`: returns the exit status. `resume` is the state
 * of a checkpoint whose flags `argv` holds (`train --resume FILE` passes them on).
 */
export async function runMnist(argv: string[], io: CliIO, resume?: FitCheckpoint): Promise<number> {
  const resumed = await readResume(argv);
  if (resumed !== undefined) return runMnist(resumed.argv, io, resumed.checkpoint);
  let values: FlagValues | undefined;
  try {
    values = commandFlags(
      MNIST_FLAGS,
      argv,
      io,
      "micrograd train --dataset mnist [options]",
      "Train an MLP or a convolutional network on real handwritten digits with the tensor engine.",
    );
  } catch (error) {
    const flag = /^Unknown option '--([^'=]+)'/.exec((error as Error).message)?.[1];
    if (flag === undefined) throw error;
    throw new UsageError(
      `--${flag} is not an option of --dataset mnist (its options are under "MNIST options" in train --help)`,
    );
  }
  if (values === undefined) return 0;
  const options = readOptions(values);
  checkTrainingOutputs(values, []);
  if (options.arch === "mlp") {
    const sizes = [784, ...options.hidden, 10];
    checkMemory(
      tensorTrainingBytes(sizes, options.batch),
      `training MLP ${sizes.join("-")} (${mlpParameterCount(sizes).toLocaleString("en")} parameters)`,
      "use a smaller --hidden",
    );
  }
  const backend = (await useBackend(values))?.label ?? "js";
  if (options.verbose) io.out(`backend: ${backend}\n`);
  const data = loadMnist();
  const { network, scaling, ...result } = trainMnist(options, io, data, {
    ...checkpointOptions(values, argv),
    resume,
  });
  const info = {
    loss: "softmax" as const,
    labels: DIGITS,
    scaling,
    training: {
      dataset: "mnist",
      seed: options.seed,
      steps: result.steps,
      testAccuracy: result.testAccuracy,
    },
  };
  // An MLP file holds the network's scalar twin (dropout is off there); a CNN is saved as its layers.
  let saved: string | undefined;
  if (typeof values.save === "string" && options.arch === "cnn") {
    await saveSequentialFile(values.save, network, info);
    saved = values.save;
  } else if (options.arch === "mlp") saved = await saveTrained(values, scalarTwin(network), info);
  if (typeof values.plots === "string") {
    const paths = await writeCnnPictures(values.plots, network, data, options);
    if (options.verbose) io.out(`pictures: ${paths.join(", ")}\n`);
  }
  if (values.json) {
    const { epochs, ...rest } = result;
    const seconds = Math.round(result.ms) / 1000;
    io.out(
      `${JSON.stringify({ ...rest, ms: Math.round(result.ms), seconds, arch: options.arch, backend, epochs })}\n`,
    );
  } else if (saved) io.out(`saved ${saved}\n`);
  return 0;
}
