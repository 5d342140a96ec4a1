import type { LossName } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";
import { checkData } from "./check-data.ts";
import { evaluate } from "./evaluate.ts";
import type { FitOptions, ValidationState } from "./fit.ts";

/** Validation during `fit`: when to evaluate, the best weights so far, and patience. */
export interface ValidationTracker {
  /** Evaluates when due (or when `force`); returns the figures to add to the step's info. */
  check(step: number, force: boolean): { valLoss: number; valAccuracy: number } | undefined;
  /** Whether `patience` evaluations in a row brought no improvement. */
  exhausted(): boolean;
  readonly bestWeights: Float64Array;
  readonly bestStep: number;
  readonly bestLoss: number;
  readonly bestAccuracy: number;
  state(): ValidationState;
  restore(state: ValidationState): void;
}

/** Evaluates the model on the validation set and remembers the best weights seen. */
export function validationTracker(
  model: MLP,
  options: FitOptions,
  lossName: LossName,
  batchSize: number,
  n: number,
  weights: Float64Array | Float32Array,
): ValidationTracker | undefined {
  const data = options.validation;
  if (data === undefined) {
    if (options.patience !== undefined) throw new RangeError("fit: patience needs a validation set");
    return undefined;
  }
  checkData(model, data, "validation");
  const every = options.evalEvery ?? Math.ceil(n / Math.min(batchSize, n));
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`fit: evalEvery must be a positive integer, got ${options.evalEvery}`);
  }
  const patience = options.patience ?? Number.POSITIVE_INFINITY;
  if (!(patience >= 1) || (Number.isFinite(patience) && !Number.isInteger(patience))) {
    throw new RangeError(`fit: patience must be a positive integer, got ${options.patience}`);
  }
  const initial = evaluate(model, data, { loss: lossName });
  let lastChecked = 0;
  let stale = 0;
  const tracker = {
    bestWeights: Float64Array.from(weights),
    bestStep: 0,
    bestLoss: initial.loss,
    bestAccuracy: initial.accuracy,
    check(step: number, force: boolean) {
      if (step === lastChecked || (!force && step % every !== 0)) return undefined;
      lastChecked = step;
      const e = evaluate(model, data, { loss: lossName });
      if (e.loss < tracker.bestLoss) {
        tracker.bestLoss = e.loss;
        tracker.bestAccuracy = e.accuracy;
        tracker.bestStep = step;
        tracker.bestWeights.set(weights);
        stale = 0;
      } else {
        stale++;
      }
      return { valLoss: e.loss, valAccuracy: e.accuracy };
    },
    exhausted: () => stale >= patience,
    state: (): ValidationState => ({
      bestWeights: Array.from(tracker.bestWeights),
      bestStep: tracker.bestStep,
      bestLoss: tracker.bestLoss,
      bestAccuracy: tracker.bestAccuracy,
      stale,
      lastChecked,
    }),
    restore(state: ValidationState): void {
      if (state.bestWeights.length !== weights.length) {
        throw new RangeError(
          `fit: the checkpoint's best weights are ${state.bestWeights.length} numbers, the model has ${weights.length}`,
        );
      }
      tracker.bestWeights.set(state.bestWeights);
      tracker.bestStep = state.bestStep;
      tracker.bestLoss = state.bestLoss;
      tracker.bestAccuracy = state.bestAccuracy;
      stale = state.stale;
      lastChecked = state.lastChecked;
    },
  };
  return tracker;
}
