import type { Dataset } from "../data/dataset.ts";
import { kFold, subset, trainValTestSplit } from "../data/split.ts";
import { fitStandardizer, type Standardizer, standardize } from "../data/standardize.ts";
import { type FlagTable, type FlagValues, optionalNumberFlag } from "./flags.ts";
import { UsageError } from "./io.ts";

/** Flags for held-out evaluation (added to `train`'s table). */
export const SPLIT_FLAGS: FlagTable = {
  val: { type: "string", value: "F", help: "fraction held out for validation (stratified), e.g. 0.2" },
  test: { type: "string", value: "F", help: "fraction held out for the final test (stratified), e.g. 0.2" },
  patience: {
    type: "string",
    value: "N",
    help: "stop after N validation checks without a lower loss (needs --val)",
  },
  "eval-every": {
    type: "string",
    value: "N",
    help: "updates between validation checks (default: one epoch)",
  },
  folds: { type: "string", value: "K", help: "stratified K-fold cross-validation; reports cvAccuracy" },
};

/** How the data is held out. */
export interface SplitSettings {
  readonly val: number;
  readonly test: number;
  readonly patience?: number;
  readonly evalEvery?: number;
  readonly folds?: number;
}

/** The parts training uses, already standardised with the training part's statistics. */
export interface Parts {
  readonly train: Dataset;
  readonly val?: Dataset;
  readonly test?: Dataset;
  readonly scaling?: Standardizer;
}

const fraction = (n: number): boolean => n >= 0 && n < 1;
const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;

/** Reads and checks the split flags. */
export function readSplitSettings(values: FlagValues): SplitSettings {
  const val = optionalNumberFlag(values, "val", fraction, "a fraction in [0, 1)") ?? 0;
  const test = optionalNumberFlag(values, "test", fraction, "a fraction in [0, 1)") ?? 0;
  const patience = optionalNumberFlag(values, "patience", positiveInt, "a positive integer");
  const evalEvery = optionalNumberFlag(values, "eval-every", positiveInt, "a positive integer");
  const folds = optionalNumberFlag(values, "folds", (n) => Number.isInteger(n) && n >= 2, "an integer >= 2");
  if (val + test >= 1) throw new UsageError(`--val ${val} and --test ${test} leave nothing to train on`);
  if (patience !== undefined && val === 0)
    throw new UsageError("--patience needs a validation set: add --val 0.2");
  if (evalEvery !== undefined && val === 0)
    throw new UsageError("--eval-every needs a validation set: add --val 0.2");
  if (folds !== undefined && test > 0) {
    throw new UsageError("--folds and --test do not mix: each fold is tested on its own held-out part");
  }
  return { val, test, patience, evalEvery, folds };
}

/** Splits the data into train/validation/test (seeded, stratified for classes) and standardises. */
export function splitParts(data: Dataset, settings: SplitSettings, seed: number, scale: boolean): Parts {
  const { train, val, test } = trainValTestSplit(data.y, {
    val: settings.val,
    test: settings.test,
    seed,
    stratify: data.classes > 1,
  });
  return prepareParts(
    data,
    train,
    settings.val > 0 ? val : undefined,
    settings.test > 0 ? test : undefined,
    scale,
  );
}

/** The folds of a stratified k-fold run: each with its test part, and a validation part when asked. */
export function foldParts(data: Dataset, settings: SplitSettings, seed: number, scale: boolean): Parts[] {
  const k = settings.folds ?? 5;
  if (k > data.x.length) throw new UsageError(`--folds ${k}: only ${data.x.length} samples`);
  return kFold(data.y, k, { seed, stratify: data.classes > 1 }).map(({ train, test }) => {
    if (settings.val === 0) return prepareParts(data, train, undefined, test, scale);
    const inner = trainValTestSplit(
      train.map((i) => data.y[i]),
      { val: settings.val, test: 0, seed, stratify: data.classes > 1 },
    );
    return prepareParts(
      data,
      inner.train.map((i) => train[i]),
      inner.val.map((i) => train[i]),
      test,
      scale,
    );
  });
}

function prepareParts(
  data: Dataset,
  trainIdx: readonly number[],
  valIdx: readonly number[] | undefined,
  testIdx: readonly number[] | undefined,
  scale: boolean,
): Parts {
  if (trainIdx.length === 0) throw new UsageError("the split leaves no training samples");
  for (const [name, idx] of [
    ["--val", valIdx],
    ["--test", testIdx],
  ] as const) {
    if (idx !== undefined && idx.length === 0)
      throw new UsageError(`${name} is too small: it holds no samples of ${data.x.length}`);
  }
  const train = subset(data, trainIdx);
  const scaling = scale ? fitStandardizer(train.x) : undefined;
  const apply = (d: Dataset): Dataset => (scaling ? { ...d, x: standardize(d.x, scaling) } : d);
  return {
    train: apply(train),
    val: valIdx && apply(subset(data, valIdx)),
    test: testIdx && apply(subset(data, testIdx)),
    scaling,
  };
}
