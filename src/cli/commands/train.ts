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
import { type FitCheckpoint, type FitResult, fit, type StepInfo } from "../../train/fit.ts";
import { asciiBoundary } from "../ascii-plot.ts";
import { useBackend } from "../backend-option.ts";
import { checkpointOptions, readResume } from "../checkpoint.ts";
import { crossValidate } from "../cross-validate.ts";
import { loadTrainingSource } from "../data-source.ts";
import { commandFlags, type FlagValues } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";
import { progressReporter } from "../progress.ts";
import { checkTrainingOutputs, saveTrained } from "../save-options.ts";
import { checkMemory, mlpParameterCount, scalarTrainingBytes, tensorTrainingBytes } from "../size-limits.ts";
import { type Parts, readSplitSettings, splitParts } from "../split-options.ts";
import { readConfig, TRAIN_FLAGS, type TrainConfig, trainHelp } from "../train-config.ts";
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
  const outputs = loss === "softmax" ? data.classes : 1;
  checkTrainingMemory(values, config, data.x.length, [data.x[0].length, ...config.hidden, outputs]);
  const trainOn = (
    parts: Parts,
    quiet: boolean,
    plotsDir?: string,
  ): { model: MLP; result: FitResult; loss: LossName; plots?: TrainingPlots } => {
    const model = new MLP(data.x[0].length, [...config.hidden, outputs], {
      activation: config.activation,
      init: config.init,
      seed: config.seed,
    });
    const progress = progressPrinter(io, config.steps, quiet, resume?.step);
    const plots =
      plotsDir === undefined
        ? undefined
        : trainingPlots({
            dir: plotsDir,
            model,
            loss,
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
      ...fitOptions,
      validation: parts.val,
      evalEvery: split.evalEvery,
      patience: split.patience,
      onStep: (info) => {
        progress(info);
        plots?.onStep(info);
      },
      ...checkpointOptions(values, argv),
      resume,
    });
    return { model, result, loss, plots };
  };
  const fitOptions = {
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
  };

  const backend = await useBackend(values);
  if (backend !== undefined) {
    const scalarOnly = ["demo", "plots", "folds"];
    const clash = scalarOnly.find((flag) => values[flag] !== undefined && values[flag] !== false);
    if (clash) throw new UsageError(`--${clash} is for the scalar MLP: drop --backend to use it`);
    // --backend trains the same network on the tensor engine, on that backend, through the same fit.
    const parts = splitParts(data, split, config.seed, source.standardize);
    const layers = { activation: config.activation, init: config.init, seed: config.seed };
    const tensorModel = tensorMLP(data.x[0].length, [...config.hidden, outputs], {
      ...layers,
      outputActivation: "linear",
    });
    const progress = progressPrinter(io, config.steps, values.json === true, resume?.step);
    const result = fit(tensorModel, parts.train, {
      ...fitOptions,
      validation: parts.val,
      evalEvery: split.evalEvery,
      patience: split.patience,
      onStep: progress,
      ...checkpointOptions(values, argv),
      resume,
    });
    const score = (part: Dataset | undefined): Score | undefined =>
      part && evaluateTensor(tensorModel, { x: tensor(part.x), y: part.y }, { loss });
    const summary = {
      ...runSummary(
        result,
        () => evaluateTensor(tensorModel, { x: tensor(parts.train.x), y: parts.train.y }, { loss }),
        source.name,
        data.x.length,
        loss,
        config,
      ),
      model: `MLP ${[data.x[0].length, ...config.hidden, outputs].join("-")} (tensor)`,
      parameters: tensorModel.parameterCount(),
      engine: `tensor on ${backend.label}`,
      ...heldOutFigures(result, score(parts.val), score(parts.test)),
    };
    // Model files hold an MLP: the tensor network's scalar twin has the same weights.
    const saved = await saveTrained(values, scalarTwin(tensorModel), {
      loss,
      labels: source.labels,
      features: source.features,
      scaling: parts.scaling,
      training: { dataset: source.name, seed: config.seed, steps: result.steps, ...summaryFigures(summary) },
    });
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else io.out(resultLines(summary, config) + heldOutLines(result, parts, summary));
    if (saved && !values.json) io.out(`saved ${saved}\n`);
    return 0;
  }

  if (split.folds !== undefined) {
    const cv = crossValidate(data, split, config.seed, source.standardize, (parts) => trainOn(parts, true));
    const cvSummary = {
      dataset: source.name,
      samples: data.x.length,
      model: new MLP(data.x[0].length, [...config.hidden, outputs], {
        activation: config.activation,
      }).describe(),
      ...cv,
    };
    if (values.json) io.out(`${JSON.stringify(cvSummary)}\n`);
    else {
      for (const f of cv.folds) {
        io.out(
          `fold ${f.fold}/${cv.folds.length}: ${f.steps} steps, train accuracy ${pct(f.trainAccuracy)}, test accuracy ${pct(f.testAccuracy)} (${f.testSamples} samples)\n`,
        );
      }
      io.out(
        `\n${cvSummary.model} on ${source.name}: cross-validated accuracy ${pct(cv.cvAccuracy)} ± ${pct(cv.cvAccuracyStd)} over ${cv.folds.length} folds\n`,
      );
    }
    return 0;
  }
  const parts = splitParts(data, split, config.seed, source.standardize);
  const { model, result, plots } = trainOn(
    parts,
    values.json === true,
    typeof values.plots === "string" ? values.plots : undefined,
  );
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
  const saved = await saveTrained(values, model, {
    loss,
    labels: source.labels,
    features: source.features,
    scaling: parts.scaling,
    training: { dataset: source.name, seed: config.seed, steps: result.steps, ...summaryFigures(summary) },
  });
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

/** Parses the flags; an MNIST-only flag without `--dataset mnist` says so, not just "Unknown option". */
async function withMnistHint<T>(parse: () => T): Promise<T> {
  try {
    return parse();
  } catch (error) {
    const flag = /^Unknown option '--([^'=]+)'/.exec((error as Error).message)?.[1];
    if (flag !== undefined && Object.hasOwn((await import("../mnist-command.ts")).MNIST_FLAGS, flag)) {
      throw new UsageError(`--${flag} is an option of --dataset mnist (see "MNIST options" in train --help)`);
    }
    throw error;
  }
}

/** Refuses a network and batch whose training would need more memory than the limit (size-limits.ts). */
function checkTrainingMemory(
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

/** The figures every run reports (`--json` keys). */
function runSummary(
  result: FitResult,
  untrained: () => Score,
  dataset: string,
  samples: number,
  lossName: LossName,
  config: TrainConfig,
) {
  // --steps 0 reports the untrained model on the training data (no update has a loss to show).
  const score = result.steps > 0 ? result : untrained();
  return {
    steps: result.steps,
    stepsRun: result.stepsRun,
    loss: score.loss,
    accuracy: score.accuracy,
    ms: Math.round(result.ms * 1000) / 1000,
    msPerStep: result.stepsRun > 0 ? result.ms / result.stepsRun : 0,
    stoppedBy: result.stoppedBy,
    dataset,
    samples,
    lossName,
    optimizer: config.optimizer,
  };
}

/** A model's mean loss and accuracy on a held-out part. */
type Score = { readonly loss: number; readonly accuracy: number };

/** The held-out figures of a run (`--json` keys `valLoss`, `valAccuracy`, `bestStep`, `testLoss`, `testAccuracy`). */
function heldOutFigures(result: FitResult, onVal: Score | undefined, onTest: Score | undefined) {
  return {
    ...(onVal && { valLoss: onVal.loss, valAccuracy: onVal.accuracy, bestStep: result.bestStep }),
    ...(onTest && { testLoss: onTest.loss, testAccuracy: onTest.accuracy }),
  };
}

/** The human-readable lines of the held-out figures. */
function heldOutLines(result: FitResult, parts: Parts, figures: ReturnType<typeof heldOutFigures>): string {
  let text = "";
  if (parts.val && figures.valLoss !== undefined && figures.valAccuracy !== undefined) {
    text += `validation (${parts.val.x.length} samples): loss ${figures.valLoss.toFixed(4)}, accuracy ${pct(figures.valAccuracy)} (best weights from step ${result.bestStep}${result.stoppedBy === "patience" ? ", stopped early" : ""})\n`;
  }
  if (parts.test && figures.testLoss !== undefined && figures.testAccuracy !== undefined) {
    text += `test (${parts.test.x.length} samples): loss ${figures.testLoss.toFixed(4)}, accuracy ${pct(figures.testAccuracy)}\n`;
  }
  return text;
}

/** The human-readable summary of a run. */
function resultLines(
  summary: ReturnType<typeof runSummary> & { model: string; parameters: number; engine: string },
  config: TrainConfig,
): string {
  return (
    `\n${summary.model}, ${summary.parameters} parameters, ${summary.lossName} loss, ${config.optimizer} ${config.schedule} lr ${config.lr}, batch ${config.batch}\n` +
    `trained ${summary.steps} steps${summary.stepsRun < summary.steps ? ` (${summary.stepsRun} after the checkpoint)` : ""} in ${summary.ms.toFixed(1)} ms (${summary.msPerStep.toFixed(3)} ms/step, ${summary.engine} engine): ` +
    `loss ${summary.loss.toFixed(4)}, accuracy ${pct(summary.accuracy)}\n`
  );
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function summaryFigures(summary: Record<string, unknown>): Record<string, unknown> {
  const keep = ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "bestStep"];
  return Object.fromEntries(Object.entries(summary).filter(([k]) => keep.includes(k)));
}

/** Progress by time (src/cli/progress.ts): step, loss, accuracy, lr, elapsed, rate, ETA; none for --json. */
function progressPrinter(io: CliIO, steps: number, quiet: boolean, first = 0): (info: StepInfo) => void {
  const reporter = progressReporter(io, steps, quiet, { first });
  return (info) => {
    if (!reporter.due(info.step)) return;
    reporter.update(
      info.step,
      `step ${String(info.step).padStart(String(steps).length)}/${steps}  loss ${info.loss.toFixed(4)}  accuracy ${(info.accuracy * 100).toFixed(1)}%  lr ${info.lr.toPrecision(3)}`,
    );
  };
}
