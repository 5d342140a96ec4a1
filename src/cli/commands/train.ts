import { DATASETS, type DatasetName } from "../../data/generate.ts";
import { ACTIVATIONS } from "../../nn/activation.ts";
import { INITS } from "../../nn/init.ts";
import { LOSS_NAMES, LOSSES, type LossName } from "../../nn/losses.ts";
import { MLP } from "../../nn/mlp.ts";
import { SCHEDULES, scheduleByName } from "../../nn/optim/schedule.ts";
import { tensorMLP } from "../../nn/tensor-mlp.ts";
import { type BatchMode, fit, type StepInfo } from "../../train/fit.ts";
import { asciiBoundary } from "../ascii-plot.ts";
import { BACKEND_FLAGS, useBackend } from "../backend-option.ts";
import {
  choiceFlag,
  type FlagTable,
  type FlagValues,
  helpText,
  numberFlag,
  optionalNumberFlag,
  parseFlags,
} from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";

const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];

// Defaults are micrograd's demo: moons, MLP 2-16-16-1, hinge + L2, full batch, SGD 1.0 -> 0.1.
const FLAGS: FlagTable = {
  dataset: { type: "string", default: "moons", value: DATASET_NAMES.join("|"), help: "training data" },
  n: { type: "string", default: "100", value: "N", help: "number of samples" },
  noise: { type: "string", default: "0.1", value: "X", help: "noise of the generated data" },
  classes: { type: "string", default: "3", value: "K", help: "classes of spiral and blobs" },
  hidden: { type: "string", default: "16,16", value: "N,N,...", help: "hidden layer sizes" },
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
  steps: { type: "string", default: "100", value: "N", help: "number of updates" },
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
  json: { type: "boolean", help: "print one JSON object with the results on stdout" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Trains an MLP on a dataset and reports progress and results. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  // MNIST trains a tensor-engine MLP with its own options (src/cli/mnist.ts).
  if (argv.some((a, i) => a === "--dataset=mnist" || (a === "--dataset" && argv[i + 1] === "mnist"))) {
    return (await import("../mnist.ts")).runMnist(argv, io);
  }
  const { values } = parseFlags(FLAGS, argv);
  if (values.help) {
    io.out(helpText("micrograd train [options]", "Train a multilayer perceptron on a 2-D dataset.", FLAGS));
    return 0;
  }
  const config = readConfig(values);
  const data = DATASETS[config.dataset]({
    n: config.n,
    noise: config.noise,
    seed: config.seed,
    classes: config.classes,
  });
  const loss = config.loss ?? (data.classes > 2 ? "softmax" : "hinge");
  if (loss !== "softmax" && data.classes > 2) {
    throw new UsageError(
      `--loss ${loss} is for two classes; ${config.dataset} has ${data.classes}: use --loss softmax`,
    );
  }
  const outputs = loss === "softmax" ? data.classes : 1;
  // --backend trains the same network on the tensor engine, on that backend.
  if (values.backend !== undefined && values.demo)
    throw new UsageError("--demo draws the scalar MLP: drop --backend");
  const choice = await useBackend(values);
  const layers = { activation: config.activation, init: config.init, seed: config.seed };
  const model =
    choice === undefined
      ? new MLP(2, [...config.hidden, outputs], layers)
      : tensorMLP(2, [...config.hidden, outputs], { ...layers, outputActivation: "linear" });
  const engine = choice === undefined ? config.engine : `tensor on ${choice.label}`;

  const progress = progressPrinter(io, config.steps, values.json === true);
  const result = fit(model, data, {
    loss,
    optimizer: config.optimizer,
    lr: scheduleByName(config.schedule, config.lr, config.steps),
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    l2: config.l2,
    batch: config.batch,
    steps: config.steps,
    seed: config.seed,
    engine: config.engine,
    targetLoss: config.targetLoss,
    targetAccuracy: config.targetAccuracy,
    onStep: progress,
  });

  const summary = {
    steps: result.steps,
    loss: result.loss,
    accuracy: result.accuracy,
    ms: Math.round(result.ms * 1000) / 1000,
    msPerStep: result.steps > 0 ? result.ms / result.steps : 0,
    stoppedBy: result.stoppedBy,
    dataset: config.dataset,
    samples: data.x.length,
    model:
      model instanceof MLP ? model.describe() : `MLP ${[2, ...config.hidden, outputs].join("-")} (tensor)`,
    parameters: model instanceof MLP ? model.parameters().length : model.parameterCount(),
    lossName: loss,
    optimizer: config.optimizer,
    engine,
  };
  if (values.json) {
    io.out(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  io.out(
    `\n${summary.model}, ${summary.parameters} parameters, ${loss} loss, ${config.optimizer} ${config.schedule} lr ${config.lr}, batch ${config.batch}\n` +
      `trained ${result.steps} steps in ${result.ms.toFixed(1)} ms (${summary.msPerStep.toFixed(3)} ms/step, ${engine} engine): ` +
      `loss ${result.loss.toFixed(4)}, accuracy ${(result.accuracy * 100).toFixed(1)}%\n`,
  );
  if (values.demo) {
    const lossDef = LOSSES[loss];
    io.out(`\nDecision boundary (digits are the data's classes, shading the model's):\n`);
    const mlp = model as MLP;
    io.out(`${asciiBoundary((x, y) => lossDef.classify(mlp.predict([x, y])), data.x, data.y)}\n`);
  }
  return 0;
}

interface TrainConfig {
  dataset: DatasetName;
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

function readConfig(values: FlagValues): TrainConfig {
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
    n: numberFlag(values, "n", (n) => positiveInt(n) && n >= 2, "an integer >= 2"),
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
    steps: numberFlag(values, "steps", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0"),
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

/** Progress: one live line on a terminal, a line every tenth of the run otherwise; none for --json. */
function progressPrinter(io: CliIO, steps: number, quiet: boolean): (info: StepInfo) => void {
  const every = Math.max(1, Math.round(steps / 10));
  let lastDraw = 0;
  return (info) => {
    if (quiet) return;
    const line = `step ${String(info.step).padStart(String(steps).length)}/${steps}  loss ${info.loss.toFixed(4)}  accuracy ${(info.accuracy * 100).toFixed(1)}%  lr ${info.lr.toPrecision(3)}`;
    if (io.isTTY) {
      const now = Date.now();
      if (now - lastDraw > 50 || info.step === steps) {
        io.err(`\r${line}`);
        lastDraw = now;
      }
    } else if (info.step % every === 0 || info.step === 1 || info.step === steps) {
      io.out(`${line}\n`);
    }
  };
}
