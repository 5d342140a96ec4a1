import { Rng } from "../engine/random.ts";

/**
 * Features and labels, the part of a dataset a split needs.
 *
 * @example
 * const data: LabelledData = { x: [[0, 0], [1, 1]], y: [0, 1] };
 */
export interface LabelledData {
  /** Feature vectors, one per sample. */
  readonly x: readonly (readonly number[])[];
  /** The label (class index, or target for regression) of each sample. */
  readonly y: readonly number[];
}

/**
 * Options of a split.
 *
 * @example
 * trainTestSplit(targets, { test: 0.25, seed: 3, stratify: false }); // regression targets
 */
export interface DataSplitOptions {
  /** Seed of the shuffle (default 1337). */
  readonly seed?: number;
  /**
   * Keep each class's share the same in every part (default true). Turn it off for regression,
   * where `y` holds targets rather than class indices.
   */
  readonly stratify?: boolean;
}

/**
 * The indices of a train/test split.
 *
 * @example
 * const { train, test }: SplitIndices = trainTestSplit(data.y, { test: 0.2 });
 */
export interface SplitIndices {
  /** Indices of the training samples, sorted. */
  readonly train: number[];
  /** Indices of the held-out samples, sorted. */
  readonly test: number[];
}

/**
 * The indices of a train/validation/test split.
 *
 * @example
 * const { train, val, test }: ThreeWaySplitIndices = trainValTestSplit(data.y, { val: 0.1, test: 0.1 });
 */
export interface ThreeWaySplitIndices {
  /** Indices of the training samples, sorted. */
  readonly train: number[];
  /** Indices of the validation samples, sorted. */
  readonly val: number[];
  /** Indices of the test samples, sorted. */
  readonly test: number[];
}

/**
 * Shuffles sample indices (within each class when stratified) and deals them out so that each
 * part gets its share: parts[k] of every class goes to part k, rounded so the totals match
 * `Math.round(fraction · n)` overall. Returns one index list per part, each sorted.
 *
 * @example
 * const [train, val, test] = splitIndices(data.y, [0.2, 0.1]); // 70% / 20% / 10%
 */
export function splitIndices(
  y: readonly number[],
  fractions: readonly number[],
  options: DataSplitOptions = {},
): number[][] {
  const { seed = 1337, stratify = true } = options;
  const n = y.length;
  let total = 0;
  for (const f of fractions) {
    if (!(f >= 0 && f < 1)) throw new RangeError(`split: each fraction must be in [0, 1), got ${f}`);
    total += f;
  }
  if (!(total < 1)) throw new RangeError(`split: the held-out fractions add up to ${total}, must be < 1`);
  const rng = new Rng(seed);
  const groups = stratify ? groupByClass(y) : [Array.from({ length: n }, (_, i) => i)];
  const parts: number[][] = fractions.map(() => []);
  const train: number[] = [];
  // Largest-remainder rounding of each part's size, then per-class quotas that add up to it.
  const targets = fractions.map((f) => Math.round(f * n));
  const taken = fractions.map(() => 0);
  let seen = 0;
  for (const group of groups) {
    const order = rng.shuffle([...group]);
    seen += group.length;
    let at = 0;
    for (let k = 0; k < fractions.length; k++) {
      // Give this part what it should have after `seen` samples, minus what it already has.
      const want = Math.min(Math.round((targets[k] * seen) / n) - taken[k], order.length - at);
      const count = Math.max(0, want);
      for (let i = at; i < at + count; i++) parts[k].push(order[i]);
      taken[k] += count;
      at += count;
    }
    for (let i = at; i < order.length; i++) train.push(order[i]); // a loop: a spread of 250k indices overflows the stack
  }
  return [train, ...parts].map((p) => p.sort((a, b) => a - b));
}

/**
 * Splits sample indices into a training part and a test part holding `test` of the samples
 * (e.g. 0.2), seeded and stratified by class.
 *
 * @example
 * const { train, test } = trainTestSplit(data.y, { test: 0.2, seed: 1 });
 * const trainSet = subset(data, train);
 */
export function trainTestSplit(
  y: readonly number[],
  options: DataSplitOptions & { test: number },
): SplitIndices {
  const [train, test] = splitIndices(y, [options.test], options);
  return { train, test };
}

/**
 * Splits sample indices into training, validation and test parts, seeded and stratified by class.
 *
 * @example
 * const { train, val, test } = trainValTestSplit(data.y, { val: 0.2, test: 0.2, seed: 1 });
 */
export function trainValTestSplit(
  y: readonly number[],
  options: DataSplitOptions & { val: number; test: number },
): ThreeWaySplitIndices {
  const [train, val, test] = splitIndices(y, [options.val, options.test], options);
  return { train, val, test };
}

/**
 * K-fold cross-validation folds: each sample is in exactly one fold's `test` part, and each
 * fold trains on the rest. Stratified by default: every class is dealt round-robin over the
 * folds after a seeded shuffle, so each fold holds about 1/k of every class.
 *
 * @example
 * for (const { train, test } of kFold(data.y, 5, { seed: 1 })) {
 *   const model = new MLP(2, [8, 1]);
 *   fit(model, subset(data, train));
 *   console.log(evaluate(model, subset(data, test)).accuracy);
 * }
 */
export function kFold(y: readonly number[], k: number, options: DataSplitOptions = {}): SplitIndices[] {
  const { seed = 1337, stratify = true } = options;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`kFold: k must be an integer >= 2, got ${k}`);
  if (k > y.length) throw new RangeError(`kFold: k = ${k} folds but only ${y.length} samples`);
  const rng = new Rng(seed);
  const groups = stratify ? groupByClass(y) : [Array.from({ length: y.length }, (_, i) => i)];
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const group of groups) {
    for (const i of rng.shuffle([...group])) {
      folds[next].push(i);
      next = (next + 1) % k;
    }
  }
  return folds.map((testPart, f) => ({
    train: folds
      .filter((_, g) => g !== f)
      .flat()
      .sort((a, b) => a - b),
    test: testPart.sort((a, b) => a - b),
  }));
}

/**
 * The samples at `indices`, keeping any other fields of the dataset (class count, names).
 *
 * @example
 * const { train } = trainTestSplit(data.y, { test: 0.2 });
 * const trainSet = subset(data, train); // same fields, only those samples
 */
export function subset<D extends LabelledData>(data: D, indices: readonly number[]): D {
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= data.x.length) {
      throw new RangeError(`subset: index ${i} is outside [0, ${data.x.length})`);
    }
  }
  return { ...data, x: indices.map((i) => data.x[i]), y: indices.map((i) => data.y[i]) };
}

function groupByClass(y: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  y.forEach((c, i) => {
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [i]);
    else g.push(i);
  });
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}
