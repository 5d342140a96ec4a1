/** Per-feature statistics that map features to mean 0 and standard deviation 1. */
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
 */
export function fitStandardizer(x: readonly (readonly number[])[]): Standardizer {
  if (x.length === 0) throw new RangeError("fitStandardizer: no samples");
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  x.forEach((row, i) => {
    if (row.length !== d)
      throw new RangeError(`fitStandardizer: sample ${i} has ${row.length} features, sample 0 has ${d}`);
    for (let j = 0; j < d; j++) mean[j] += row[j] / x.length;
  });
  for (const row of x) for (let j = 0; j < d; j++) std[j] += (row[j] - mean[j]) ** 2 / x.length;
  for (let j = 0; j < d; j++) {
    std[j] = Math.sqrt(std[j]);
    if (!(std[j] > 1e-12)) std[j] = 1;
    if (!Number.isFinite(mean[j]) || !Number.isFinite(std[j])) {
      throw new RangeError(`fitStandardizer: feature ${j} has non-finite values`);
    }
  }
  return { mean, std };
}

/** Applies `(x - mean) / std` per feature. */
export function standardize(x: readonly (readonly number[])[], s: Standardizer): number[][] {
  const d = s.mean.length;
  if (s.std.length !== d)
    throw new RangeError(`standardize: ${d} means but ${s.std.length} standard deviations`);
  return x.map((row, i) => {
    if (row.length !== d)
      throw new RangeError(`standardize: sample ${i} has ${row.length} features, the scaler has ${d}`);
    return row.map((v, j) => (v - s.mean[j]) / s.std[j]);
  });
}
