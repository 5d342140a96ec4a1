/** How close predicted numbers are to the targets. */
export interface RegressionMetrics {
  /** Mean squared error. */
  readonly mse: number;
  /** Mean absolute error. */
  readonly mae: number;
  /** Coefficient of determination: 1 - SS_res / SS_tot (1 is perfect, 0 is "always the mean"). */
  readonly r2: number;
  /** Samples scored. */
  readonly n: number;
}

/**
 * MSE, MAE and R² of predictions against targets. R² is NaN when the targets are all equal
 * (nothing to explain), unless the predictions are exact, when it is 1.
 *
 * @example
 * regressionMetrics([1, 2, 3], [1, 2, 4]); // { mse: 1/3, mae: 1/3, r2: 0.5714…, n: 3 }
 */
export function regressionMetrics(
  predicted: readonly number[],
  targets: readonly number[],
): RegressionMetrics {
  const n = targets.length;
  if (predicted.length !== n) {
    throw new RangeError(`regressionMetrics: ${predicted.length} predictions but ${n} targets`);
  }
  if (n === 0) return { mse: Number.NaN, mae: Number.NaN, r2: Number.NaN, n };
  let mean = 0;
  for (const t of targets) mean += t / n;
  let ssRes = 0;
  let ssTot = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i] - targets[i];
    ssRes += e * e;
    abs += Math.abs(e);
    ssTot += (targets[i] - mean) ** 2;
  }
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : Number.NaN) : 1 - ssRes / ssTot;
  return { mse: ssRes / n, mae: abs / n, r2, n };
}
