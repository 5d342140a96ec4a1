import type { Dataset } from "../data/dataset.ts";
import type { LossName } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";
import { evaluate } from "../train/evaluate.ts";
import type { FitResult } from "../train/fit.ts";
import { foldParts, type Parts, type SplitSettings } from "./split-options.ts";

/** One fold's figures. */
export interface FoldResult {
  readonly fold: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly steps: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly bestStep?: number;
}

/** Cross-validation figures: the mean and spread of the folds' test accuracy, and each fold. */
export interface CrossValidation {
  readonly cvAccuracy: number;
  readonly cvAccuracyStd: number;
  readonly cvLoss: number;
  readonly folds: FoldResult[];
}

/**
 * Stratified k-fold cross-validation: trains a fresh model on each fold's training part (with
 * the same seed and settings) and tests it on the fold's held-out part. Features are
 * standardised per fold with that fold's training statistics, so nothing leaks.
 */
export function crossValidate(
  data: Dataset,
  settings: SplitSettings,
  seed: number,
  scale: boolean,
  train: (parts: Parts) => { model: MLP; result: FitResult; loss: LossName },
): CrossValidation {
  const folds = foldParts(data, settings, seed, scale).map((parts, f): FoldResult => {
    const { model, result, loss } = train(parts);
    const test = parts.test ?? parts.train;
    const onTest = evaluate(model, test, { loss });
    const onTrain = evaluate(model, parts.train, { loss });
    return {
      fold: f + 1,
      trainSamples: parts.train.x.length,
      testSamples: test.x.length,
      steps: result.steps,
      trainAccuracy: onTrain.accuracy,
      testAccuracy: onTest.accuracy,
      testLoss: onTest.loss,
      ...(result.bestStep !== undefined && { bestStep: result.bestStep }),
    };
  });
  const accuracies = folds.map((f) => f.testAccuracy);
  const mean = accuracies.reduce((a, b) => a + b, 0) / folds.length;
  const std = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / folds.length);
  return {
    cvAccuracy: mean,
    cvAccuracyStd: std,
    cvLoss: folds.reduce((a, f) => a + f.testLoss, 0) / folds.length,
    folds,
  };
}
