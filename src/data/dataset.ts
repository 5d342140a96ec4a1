/**
 * A labelled dataset: one feature vector and one class index per sample.
 *
 * @example
 * const { x, y, classes } = moons({ n: 100 }); // x[i] = [x1, x2], y[i] = 0 or 1, classes = 2
 */
export interface Dataset {
  /** Features, one row per sample. */
  readonly x: number[][];
  /** Class index of each sample (0, 1, …); for regression, the target. */
  readonly y: number[];
  /** How many classes (1 for regression). */
  readonly classes: number;
  /** Names of the classes, when known. */
  readonly labels?: readonly string[];
}

/**
 * Options every generated dataset takes.
 *
 * @example
 * moons({ n: 200, noise: 0.2, seed: 42 });
 */
export interface GenerateOptions {
  /** How many samples (default 100). */
  readonly n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  readonly noise?: number;
  /** Seed of the generator (default 1337): same seed, same data, everywhere. */
  readonly seed?: number;
}

/** Checks a sample count given by a user. */
export function checkSampleCount(name: string, n: number, min = 1): void {
  if (!Number.isInteger(n) || n < min)
    throw new RangeError(`${name}: n must be an integer >= ${min}, got ${n}`);
}
