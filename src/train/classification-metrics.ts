/** Precision, recall and F1 of one class. */
export interface ClassScores {
  /** Of the samples predicted as this class, the fraction that are (0 when none is predicted). */
  readonly precision: number;
  /** Of the samples of this class, the fraction predicted as it (0 when the class is absent). */
  readonly recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  readonly f1: number;
  /** Samples of this class. */
  readonly support: number;
}

/** How well predicted classes match the true ones. */
export interface ClassificationMetrics {
  /** Fraction of samples predicted right. */
  readonly accuracy: number;
  /** Scores of each class, by class index. */
  readonly perClass: readonly ClassScores[];
  /** Unweighted means of the per-class scores (every class counts the same). */
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  /** `confusion[actual][predicted]`: how many samples of class `actual` were predicted as `predicted`. */
  readonly confusion: readonly (readonly number[])[];
  /** Samples scored. */
  readonly n: number;
}

/**
 * The confusion matrix: `m[actual][predicted]` counts the samples of class `actual` that were
 * predicted as class `predicted`. Rows are the truth, columns the prediction.
 */
export function confusionMatrix(
  predicted: readonly number[],
  labels: readonly number[],
  classes: number,
): number[][] {
  if (predicted.length !== labels.length) {
    throw new RangeError(`confusionMatrix: ${predicted.length} predictions but ${labels.length} labels`);
  }
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`confusionMatrix: classes must be a positive integer, got ${classes}`);
  }
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    const p = predicted[i];
    for (const [what, c] of [
      ["label", a],
      ["prediction", p],
    ] as const) {
      if (!Number.isInteger(c) || c < 0 || c >= classes) {
        throw new RangeError(
          `confusionMatrix: ${what} ${c} of sample ${i} is not a class in [0, ${classes})`,
        );
      }
    }
    m[a][p]++;
  }
  return m;
}

/**
 * Accuracy, per-class precision/recall/F1, their macro averages and the confusion matrix.
 *
 * @example
 * const m = classificationMetrics([0, 1, 1], [0, 1, 0], 2);
 * m.accuracy; // 2/3
 * m.perClass[1].precision; // 1/2
 */
export function classificationMetrics(
  predicted: readonly number[],
  labels: readonly number[],
  classes: number,
): ClassificationMetrics {
  const confusion = confusionMatrix(predicted, labels, classes);
  let right = 0;
  const perClass: ClassScores[] = [];
  for (let c = 0; c < classes; c++) {
    right += confusion[c][c];
    let predictedAs = 0;
    for (let a = 0; a < classes; a++) predictedAs += confusion[a][c];
    const support = confusion[c].reduce((s, v) => s + v, 0);
    const precision = predictedAs === 0 ? 0 : confusion[c][c] / predictedAs;
    const recall = support === 0 ? 0 : confusion[c][c] / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support });
  }
  const mean = (k: "precision" | "recall" | "f1"): number => perClass.reduce((s, p) => s + p[k], 0) / classes;
  return {
    accuracy: labels.length === 0 ? Number.NaN : right / labels.length,
    perClass,
    macro: { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") },
    confusion,
    n: labels.length,
  };
}

/**
 * Mean negative log-likelihood of the true classes: `-mean(log p[i][y[i]])`, each probability
 * clipped to [eps, 1] so a confident mistake costs a large but finite amount.
 */
export function logLoss(
  probabilities: readonly (readonly number[])[],
  labels: readonly number[],
  eps = 1e-15,
): number {
  if (probabilities.length !== labels.length) {
    throw new RangeError(`logLoss: ${probabilities.length} probability rows but ${labels.length} labels`);
  }
  if (labels.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = probabilities[i];
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= row.length) {
      throw new RangeError(`logLoss: label ${c} of sample ${i} is not a class in [0, ${row.length})`);
    }
    const p = row[c];
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`logLoss: probability ${p} of sample ${i} is not in [0, 1]`);
    sum -= Math.log(Math.min(1, Math.max(eps, p)));
  }
  return sum / labels.length;
}
