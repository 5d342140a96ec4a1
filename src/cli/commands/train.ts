import type { Dataset } from "../../data/dataset.ts";
import { DATASETS, type DatasetName } from "../../data/generate.ts";
import { scalarTwin } from "../../io/tensor-mlp-file.ts";
import { LOSSES, type LossName } from "../../nn/losses.ts";
import { MLP } from "../../nn/mlp.ts";
import { scheduleByName } from "../../nn/optim/schedule.ts";
import { tensorMLP } from "../../nn/tensor-mlp.ts";
import { tensor } from "../../tensor/create.ts";
import { evaluate } from "../../train/evaluate.ts";
import { evaluateTensor } from "../../train/evaluate-tensor.ts";
import { type FitCheckpoint, type FitOptions, type FitResult, fit } from "../../train/fit.ts";
import { asciiBoundary } from "../ascii-plot.ts";
import { type BackendChoice, useBackend } from "../backend-option.ts";
import { checkpointOptions, readResume } from "../checkpoint.ts";
import { crossValidate } from "../cross-validate.ts";
import { loadTrainingSource, type TrainingSource } from "../data-source.ts";
import { commandFlags, type FlagValues } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";
import { checkTrainingOutputs, saveTrained } from "../save-options.ts";
import { type Parts, readSplitSettings, type SplitSettings, splitParts } from "../split-options.ts";
import {
  checkTrainingMemory,
  readConfig,
  TRAIN_FLAGS,
  type TrainConfig,
  trainHelp,
  withMnistHint,
} from "../train-config.ts";
import {
  heldOutFigures,
  heldOutLines,
  pct,
  progressPrinter,
  resultLines,
  runSummary,
  type Score,
  summaryFigures,
} from "../train-report.ts";
import { type TrainingPlots, trainingPlots } from "../training-plots.ts";

/** Trains an MLP on a dataset and reports progress and results. */
export async function run(argv: string[], io: CliIO, resume?: FitCheckpoint): Promise<number> {
  // One help page for every dataset, MNIST's options included.
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(trainHelp((await import("../mnist-command.ts")).MNIST_FLAGS));
    return 0;
  }
  // --resume: the checkpoint's training flags (and this call's output flags) run again.
  const resumed = await readResume(argv);
  if (resumed !== undefined) return run(resumed.argv, io, resumed.checkpoint);
  // MNIST trains a tensor-engine MLP with its own options (src/cli/mnist-command.ts, mnist.ts).
  if (argv.some((a, i) => a === "--dataset=mnist" || (a === "--dataset" && argv[i + 1] === "mnist"))) {
    return (await import("../mnist-command.ts")).runMnist(argv, io, resume);
  }
  const values = await withMnistHint(() =>
    commandFlags(TRAIN_FLAGS, argv, io, "micrograd train [options]", "Train a multilayer perceptron."),
  );
  if (values === undefined) return 0;
  const job = await prepare(values, argv, io, resume);
  const backend = await useBackend(values);
  if (backend !== undefined) return trainOnTensors(job, backend);
  if (job.split.folds !== undefined) return crossValidateRun(job);
  return trainScalar(job);
}

/** One `train` run, read from its flags: the data, the loss and the options `fit` gets. */
interface Job {
  readonly values: FlagValues;
  readonly argv: readonly string[];
  readonly io: CliIO;
  readonly resume: FitCheckpoint | undefined;
  readonly config: TrainConfig;
  readonly split: SplitSettings;
  readonly source: TrainingSource;
  readonly data: Dataset;
  readonly loss: LossName;
  /** Outputs of the network: one score, or one per class for softmax. */
  readonly outputs: number;
  readonly fitOptions: FitOptions;
}

/** Reads the flags, loads the data and checks that the loss fits it. */
async function prepare(
  values: FlagValues,
  argv: readonly string[],
  io: CliIO,
  resume: FitCheckpoint | undefined,
): Promise<Job> {
  const config = readConfig(values);
  checkTrainingOutputs(values, [typeof values.data === "string" ? values.data : undefined]);
  const split = readSplitSettings(values);
  if (split.folds !== undefined && typeof values.checkpoint === "string") {
    throw new UsageError("--checkpoint is for a single run, not --folds");
  }
  const source = await loadTrainingSource(values, config.dataset, () =>
    DATASETS[config.dataset as DatasetName]({
      n: config.n,
      noise: config.noise,
      seed: config.seed,
      classes: config.classes,
    }),
  );
  const data = source.data;
  if (source.warning !== undefined) io.err(source.warning);
  const loss = config.loss ?? (data.classes === 1 ? "mse" : data.classes > 2 ? "softmax" : "hinge");
  if (data.classes === 1 && loss !== "mse")
    throw new UsageError(`--task regression trains with --loss mse, not ${loss}`);
  if (loss !== "softmax" && data.classes > 2) {
    throw new UsageError(
      `--loss ${loss} is for two classes; ${config.dataset} has ${data.classes}: use --loss softmax`,
    );
  }
  const fitOptions: FitOptions = {
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
    evalEvery: split.evalEvery,
    patience: split.patience,
    ...checkpointOptions(values, argv),
    resume,
  };
  const outputs = loss === "softmax" ? data.classes : 1;
  checkTrainingMemory(values, config, data.x.length, [data.x[0].length, ...config.hidden, outputs]);
  return { values, argv, io, resume, config, split, source, data, loss, outputs, fitOptions };
}

/** `--backend`: the same network on the tensor engine, on that backend, through the same `fit`. */
async function trainOnTensors(job: Job, backend: BackendChoice): Promise<number> {
  const { values, config, data, loss, outputs, source, io } = job;
  const scalarOnly = ["demo", "plots", "folds"];
  const clash = scalarOnly.find((flag) => values[flag] !== undefined && values[flag] !== false);
  if (clash) throw new UsageError(`--${clash} is for the scalar MLP: drop --backend to use it`);
  const parts = splitParts(data, job.split, config.seed, source.standardize);
  const model = tensorMLP(data.x[0].length, [...config.hidden, outputs], {
    activation: config.activation,
    init: config.init,
    seed: config.seed,
    outputActivation: "linear",
  });
  const result = fit(model, parts.train, {
    ...job.fitOptions,
    validation: parts.val,
    onStep: progressPrinter(io, config.steps, values.json === true, job.resume?.step),
  });
  const score = (part: Dataset | undefined): Score | undefined =>
    part && evaluateTensor(model, { x: tensor(part.x), y: part.y }, { loss });
  const summary = {
    ...runSummary(
      result,
      () => evaluateTensor(model, { x: tensor(parts.train.x), y: parts.train.y }, { loss }),
      source.name,
      data.x.length,
      loss,
      config,
    ),
    model: `MLP ${[data.x[0].length, ...config.hidden, outputs].join("-")} (tensor)`,
    parameters: model.parameterCount(),
    engine: `tensor on ${backend.label}`,
    ...heldOutFigures(result, score(parts.val), score(parts.test)),
  };
  // Model files hold an MLP: the tensor network's scalar twin has the same weights.
  const saved = await saveTrained(values, scalarTwin(model), savedInfo(job, parts, result, summary));
  if (values.json) io.out(`${JSON.stringify(summary)}\n`);
  else io.out(resultLines(summary, config) + heldOutLines(result, parts, summary));
  if (saved && !values.json) io.out(`saved ${saved}\n`);
  return 0;
}

/** `--folds K`: K runs, each tested on its own fold; prints each fold and the mean. */
function crossValidateRun(job: Job): number {
  const { config, data, source, split, io } = job;
  const cv = crossValidate(data, split, config.seed, source.standardize, (parts) => ({
    ...trainMlp(job, parts, true),
    loss: job.loss,
  }));
  const model = new MLP(data.x[0].length, [...config.hidden, job.outputs], { activation: config.activation });
  const summary = { dataset: source.name, samples: data.x.length, model: model.describe(), ...cv };
  if (job.values.json) {
    io.out(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  for (const f of cv.folds) {
    io.out(
      `fold ${f.fold}/${cv.folds.length}: ${f.steps} steps, train accuracy ${pct(f.trainAccuracy)}, test accuracy ${pct(f.testAccuracy)} (${f.testSamples} samples)\n`,
    );
  }
  io.out(
    `\n${summary.model} on ${source.name}: cross-validated accuracy ${pct(cv.cvAccuracy)} ± ${pct(cv.cvAccuracyStd)} over ${cv.folds.length} folds\n`,
  );
  return 0;
}

/** The scalar MLP on one split: trains, reports, saves, and draws what `--plots`/`--demo` ask for. */
async function trainScalar(job: Job): Promise<number> {
  const { values, config, data, loss, source, io } = job;
  const parts = splitParts(data, job.split, config.seed, source.standardize);
  const plotsDir = typeof values.plots === "string" ? values.plots : undefined;
  const { model, result, plots } = trainMlp(job, parts, values.json === true, plotsDir);
  const score = (part: Dataset | undefined): Score | undefined => part && evaluate(model, part, { loss });
  const summary = {
    ...runSummary(
      result,
      () => evaluate(model, parts.train, { loss }),
      source.name,
      data.x.length,
      loss,
      config,
    ),
    model: model.describe(),
    parameters: model.parameters().length,
    engine: config.engine,
    ...heldOutFigures(result, score(parts.val), score(parts.test)),
  };
  const saved = await saveTrained(values, model, savedInfo(job, parts, result, summary));
  const pictures = plots ? await plots.write() : [];
  if (values.json) {
    io.out(`${JSON.stringify(pictures.length > 0 ? { ...summary, plots: pictures } : summary)}\n`);
    return 0;
  }
  io.out(resultLines(summary, config) + heldOutLines(result, parts, summary));
  if (saved) io.out(`saved ${saved}\n`);
  if (values.demo) {
    const lossDef = LOSSES[loss];
    io.out(`\nDecision boundary (digits are the data's classes, shading the model's):\n`);
    io.out(`${asciiBoundary((x, y) => lossDef.classify(model.predict([x, y])), data.x, data.y)}\n`);
  }
  if (pictures.length > 0) io.out(`\nPictures:\n${pictures.map((p) => `  ${p}\n`).join("")}`);
  return 0;
}

/** A fresh scalar MLP trained by `fit` on `parts.train`, with its curves when `plotsDir` is set. */
function trainMlp(
  job: Job,
  parts: Parts,
  quiet: boolean,
  plotsDir?: string,
): { model: MLP; result: FitResult; plots?: TrainingPlots } {
  const { config, source, io } = job;
  const model = new MLP(job.data.x[0].length, [...config.hidden, job.outputs], {
    activation: config.activation,
    init: config.init,
    seed: config.seed,
  });
  const progress = progressPrinter(io, config.steps, quiet, job.resume?.step);
  const plots =
    plotsDir === undefined
      ? undefined
      : trainingPlots({
          dir: plotsDir,
          model,
          loss: job.loss,
          train: parts.train,
          // Curves need held-out data: the validation split, or fresh samples of a generated set.
          validation:
            parts.val ??
            (config.dataset in DATASETS
              ? DATASETS[config.dataset as DatasetName]({ ...config, seed: config.seed + 1 })
              : undefined),
          steps: config.steps,
          caption: `${source.name}, ${model.describe()}`,
          runName: `${config.optimizer}, batch ${config.batch}`,
          smoothing: config.batch === "full" ? 0 : 0.9,
        });
  const result = fit(model, parts.train, {
    ...job.fitOptions,
    validation: parts.val,
    onStep: (info) => {
      progress(info);
      plots?.onStep(info);
    },
  });
  return { model, result, plots };
}

/** What a saved model records about its training. */
function savedInfo(job: Job, parts: Parts, result: FitResult, summary: Record<string, unknown>) {
  return {
    loss: job.loss,
    labels: job.source.labels,
    features: job.source.features,
    scaling: parts.scaling,
    training: {
      dataset: job.source.name,
      seed: job.config.seed,
      steps: result.steps,
      ...summaryFigures(summary),
    },
  };
}
