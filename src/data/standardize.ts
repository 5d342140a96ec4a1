// Magnitudes above this are rescaled before squaring (1e154 squared is near the float64 limit).
const HUGE = 1e150;

/**
 * Per-feature statistics that map features to mean 0 and standard deviation 1.
 *
 * @example
 * const scaling: Standardizer = fitStandardizer(data.x);
 * scaling.mean; // one number per feature
 */
export interface Standardizer {
  /** Mean of each feature over the data it was fitted on. */
  readonly mean: readonly number[];
  /** Standard deviation of each feature (population); 1 for a constant feature. */
  readonly std: readonly number[];
}

/**
 * Measures each feature's mean and standard deviation. Fit it on the training part only, then
 * apply it everywhere (validation, test, and new data at prediction time), so no statistic of
 * held-out data leaks into training.
 *
 * @example
 * const scaling = fitStandardizer(trainSet.x); // mean and std of each feature, on training data only
 * const x = standardize(testSet.x, scaling);
 */
export function fitStandardizer(x: readonly (readonly number[])[]): Standardizer {
  if (x.length === 0) throw new RangeError("fitStandardizer: no samples");
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  // Features with huge values (near 1e308) are measured in units of their largest magnitude,
  // where squares and differences cannot overflow; the rest as they are (the same figures).
  const unit = new Array<number>(d).fill(0);
  x.forEach((row, i) => {
    if (row.length !== d)
      throw new RangeError(`fitStandardizer: sample ${i} has ${row.length} features, sample 0 has ${d}`);
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        throw new RangeError(`fitStandardizer: sample ${i}, feature ${j} is ${row[j]}`);
      }
      unit[j] = Math.max(unit[j], Math.abs(row[j]));
    }
  });
  for (let j = 0; j < d; j++) unit[j] = unit[j] > HUGE ? unit[j] : 1;
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / unit[j] / x.length;
  for (const row of x) for (let j = 0; j < d; j++) std[j] += (row[j] / unit[j] - mean[j]) ** 2 / x.length;
  for (let j = 0; j < d; j++) {
    mean[j] *= unit[j];
    std[j] = Math.sqrt(std[j]) * unit[j];
    if (!(std[j] > 1e-12)) std[j] = 1;
  }
  return { mean, std };
}

/**
 * Applies `(x - mean) / std` per feature.
 *
 * @example
 * const x = standardize([[170, 65], [180, 80]], { mean: [175, 72.5], std: [5, 7.5] }); // [[-1, -1], [1, 1]]
 */
export function standardize(x: readonly (readonly number[])[], s: Standardizer): number[][] {
  const d = s.mean.length;
  if (s.std.length !== d)
    throw new RangeError(`standardize: ${d} means but ${s.std.length} standard deviations`);
  return x.map((row, i) => {
    if (row.length !== d)
      throw new RangeError(`standardize: sample ${i} has ${row.length} features, the scaler has ${d}`);
    return row.map((v, j) => {
      const z = (v - s.mean[j]) / s.std[j];
      // v - mean overflows for values of opposite sign near 1e308: divide first
      return Number.isFinite(z) ? z : v / s.std[j] - s.mean[j] / s.std[j];
    });
  });
}
