import type { FitOptions, TrainingData, ValidationState } from "./fit.ts";
import type { TensorTrainingData } from "./fit-tensor.ts";
import type { FlatWeights } from "./flat-weights.ts";

/** A model's mean loss and accuracy on the validation set. */
export interface ValidationScore {
  readonly loss: number;
  readonly accuracy: number;
}

/** Validation during `fit`: when to evaluate, the best weights so far, and patience. */
export interface ValidationTracker {
  /** Whether `check(step, force)` would evaluate. */
  due(step: number, force: boolean): boolean;
  /** Evaluates when due (or when `force`); returns the figures to add to the step's info. */
  check(step: number, force: boolean): { valLoss: number; valAccuracy: number } | undefined;
  /** Whether `patience` evaluations in a row brought no improvement. */
  exhausted(): boolean;
  readonly bestWeights: Float64Array;
  readonly bestStep: number;
  readonly bestLoss: number;
  readonly bestAccuracy: number;
  /** Milliseconds spent evaluating during the run (the evaluation of the initial weights excluded). */
  readonly ms: number;
  state(): ValidationState;
  restore(state: ValidationState): void;
}

/**
 * Evaluates the model on `options.validation` and remembers the best weights seen; the same
 * for every kind of model. `prepare` checks the validation data against the model and returns
 * what scores it with the current weights; `weights` reads and writes those weights. Undefined
 * without a validation set.
 */
export function validationTracker(
  options: FitOptions,
  prepare: (data: TrainingData | TensorTrainingData) => () => ValidationScore,
  weights: FlatWeights,
  stepsPerEpoch: number,
): ValidationTracker | undefined {
  const data = options.validation;
  if (data === undefined) {
    if (options.patience !== undefined) throw new RangeError("fit: patience needs a validation set");
    return undefined;
  }
  const score = prepare(data);
  const every = options.evalEvery ?? stepsPerEpoch;
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`fit: evalEvery must be a positive integer, got ${options.evalEvery}`);
  }
  const patience = options.patience ?? Number.POSITIVE_INFINITY;
  if (!(patience >= 1) || (Number.isFinite(patience) && !Number.isInteger(patience))) {
    throw new RangeError(`fit: patience must be a positive integer, got ${options.patience}`);
  }
  const initial = score();
  const bestWeights = new Float64Array(weights.size);
  weights.read(bestWeights);
  let lastChecked = 0;
  let stale = 0;
  const tracker = {
    bestWeights,
    bestStep: 0,
    bestLoss: initial.loss,
    bestAccuracy: initial.accuracy,
    ms: 0,
    due: (step: number, force: boolean) => step !== lastChecked && (force || step % every === 0),
    check(step: number, force: boolean) {
      if (!tracker.due(step, force)) return undefined;
      lastChecked = step;
      const t0 = performance.now();
      const e = score();
      tracker.ms += performance.now() - t0;
      if (e.loss < tracker.bestLoss) {
        tracker.bestLoss = e.loss;
        tracker.bestAccuracy = e.accuracy;
        tracker.bestStep = step;
        weights.read(bestWeights);
        stale = 0;
      } else {
        stale++;
      }
      return { valLoss: e.loss, valAccuracy: e.accuracy };
    },
    exhausted: () => stale >= patience,
    state: (): ValidationState => ({
      bestWeights: Array.from(bestWeights),
      bestStep: tracker.bestStep,
      bestLoss: tracker.bestLoss,
      bestAccuracy: tracker.bestAccuracy,
      stale,
      lastChecked,
    }),
    restore(state: ValidationState): void {
      if (state.bestWeights.length !== weights.size) {
        throw new RangeError(
          `fit: the checkpoint's best weights are ${state.bestWeights.length} numbers, the model has ${weights.size}`,
        );
      }
      bestWeights.set(state.bestWeights);
      tracker.bestStep = state.bestStep;
      tracker.bestLoss = state.bestLoss;
      tracker.bestAccuracy = state.bestAccuracy;
      stale = state.stale;
      lastChecked = state.lastChecked;
    },
  };
  return tracker;
}
