// What `micrograd train` prints and returns: the summary (its `--json` keys are a contract), the
// held-out figures, the human-readable lines and the progress printer.

import type { LossName } from "../nn/losses.ts";
import type { FitResult, StepInfo } from "../train/fit.ts";
import type { CliIO } from "./io.ts";
import { progressReporter } from "./progress.ts";
import type { Parts } from "./split-options.ts";
import type { TrainConfig } from "./train-config.ts";

/** The figures every run reports (`--json` keys). */
export function runSummary(
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
export type Score = { readonly loss: number; readonly accuracy: number };

/** The held-out figures of a run (`--json` keys `valLoss`, `valAccuracy`, `bestStep`, `testLoss`, `testAccuracy`). */
export function heldOutFigures(result: FitResult, onVal: Score | undefined, onTest: Score | undefined) {
  return {
    ...(onVal && { valLoss: onVal.loss, valAccuracy: onVal.accuracy, bestStep: result.bestStep }),
    ...(onTest && { testLoss: onTest.loss, testAccuracy: onTest.accuracy }),
  };
}

/** The human-readable lines of the held-out figures. */
export function heldOutLines(
  result: FitResult,
  parts: Parts,
  figures: ReturnType<typeof heldOutFigures>,
): string {
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
export function resultLines(
  summary: ReturnType<typeof runSummary> & { model: string; parameters: number; engine: string },
  config: TrainConfig,
): string {
  return (
    `\n${summary.model}, ${summary.parameters} parameters, ${summary.lossName} loss, ${config.optimizer} ${config.schedule} lr ${config.lr}, batch ${config.batch}\n` +
    `trained ${summary.steps} steps${summary.stepsRun < summary.steps ? ` (${summary.stepsRun} after the checkpoint)` : ""} in ${summary.ms.toFixed(1)} ms (${summary.msPerStep.toFixed(3)} ms/step, ${summary.engine} engine): ` +
    `loss ${summary.loss.toFixed(4)}, accuracy ${pct(summary.accuracy)}\n`
  );
}

/** A fraction as a percentage with one decimal: `0.955` → `95.5%`. */
export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** The figures of a summary that a saved model's `training` info keeps. */
export function summaryFigures(summary: Record<string, unknown>): Record<string, unknown> {
  const keep = ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy", "bestStep"];
  return Object.fromEntries(Object.entries(summary).filter(([k]) => keep.includes(k)));
}

/** Progress by time (src/cli/progress.ts): step, loss, accuracy, lr, elapsed, rate, ETA; none for --json. */
export function progressPrinter(
  io: CliIO,
  steps: number,
  quiet: boolean,
  first = 0,
): (info: StepInfo) => void {
  const reporter = progressReporter(io, steps, quiet, { first });
  return (info) => {
    if (!reporter.due(info.step)) return;
    reporter.update(
      info.step,
      `step ${String(info.step).padStart(String(steps).length)}/${steps}  loss ${info.loss.toFixed(4)}  accuracy ${(info.accuracy * 100).toFixed(1)}%  lr ${info.lr.toPrecision(3)}`,
    );
  };
}
