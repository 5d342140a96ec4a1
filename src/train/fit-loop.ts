import type { Rng } from "../engine/random.ts";
import { LOSSES, type LossDef } from "../nn/losses.ts";
import type { Optimizer } from "../nn/optim/optimizer.ts";
import type { BatchMode, FitCheckpoint, FitOptions, FitResult, StepInfo } from "./fit.ts";
import type { FlatWeights } from "./flat-weights.ts";
import type { ValidationTracker } from "./validation-tracker.ts";

/** What one kind of model brings to the shared training loop. */
export interface FitRun {
  readonly options: FitOptions;
  /** Updates to make in all (counting those before a resumed checkpoint). */
  readonly steps: number;
  readonly weights: FlatWeights;
  readonly optimizer: Optimizer;
  /** The next batch's sample indices. */
  readonly nextBatch: () => readonly number[];
  readonly validation: ValidationTracker | undefined;
  /** Random generators the model draws from while training (dropout), checkpointed with it. */
  readonly rngs: readonly Rng[];
  /** Forward and backward on one batch, leaving the gradients for the optimiser: the batch's loss and accuracy. */
  readonly computeGradients: (indices: readonly number[]) => { loss: number; accuracy: number };
}

/**
 * The training loop every model shares: updates, validation checks and patience, stopping
 * targets, checkpoints and resuming, and putting the best validation weights back.
 */
export function runFit(run: FitRun): FitResult {
  const { options, steps, weights, optimizer, validation } = run;
  const checkpointEvery = options.checkpointEvery ?? 1;
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new RangeError(`fit: checkpointEvery must be a positive integer, got ${options.checkpointEvery}`);
  }
  const history: StepInfo[] = [];
  let first = options.resume === undefined ? 0 : resume(run, options.resume, history);
  const resumedSteps = history.length;
  let stoppedBy: FitResult["stoppedBy"] = "steps";
  // A checkpoint taken at the update where the run stopped early resumes as stopped.
  const lastResumed = history[history.length - 1];
  if (lastResumed !== undefined) {
    const reason = stopReason(lastResumed, options, validation);
    if (reason !== undefined) {
      stoppedBy = reason;
      first = steps;
    }
  }
  const start = performance.now();
  for (let k = first; k < steps; k++) {
    const indices = run.nextBatch();
    const lr = optimizer.currentLr();
    const { loss, accuracy } = run.computeGradients(indices);
    if (!Number.isFinite(loss)) {
      throw new Error(
        `fit: the loss became ${loss} at step ${k + 1} (learning rate ${lr}); try a smaller learning rate`,
      );
    }
    optimizer.step();
    weights.sync();
    const info: StepInfo = { step: k + 1, loss, accuracy, lr, ...validation?.check(k + 1, k + 1 === steps) };
    history.push(info);
    options.onStep?.(info);
    const reason = stopReason(info, options, validation);
    const lastStep = reason !== undefined || k + 1 === steps;
    if (options.onCheckpoint !== undefined && ((k + 1) % checkpointEvery === 0 || lastStep)) {
      options.onCheckpoint(checkpointOf(run, k + 1, history));
    }
    if (reason !== undefined) {
      stoppedBy = reason;
      break;
    }
  }
  const last = history[history.length - 1];
  if (validation !== undefined) {
    if (last !== undefined && last.valLoss === undefined) validation.check(last.step, true);
    if (options.restoreBest !== false) weights.write(validation.bestWeights);
  }
  return {
    steps: history.length,
    stepsRun: history.length - resumedSteps,
    loss: last?.loss ?? Number.NaN,
    accuracy: last?.accuracy ?? Number.NaN,
    ms: performance.now() - start,
    stoppedBy,
    history,
    ...(validation && {
      validationMs: validation.ms,
      bestStep: validation.bestStep,
      valLoss: validation.bestLoss,
      valAccuracy: validation.bestAccuracy,
    }),
  };
}

/**
 * Puts a run back where checkpoint `r` left it: weights, optimiser, random generators, batch
 * order, validation record and history (appended to `history`). Returns the next update's index.
 */
function resume(run: FitRun, r: FitCheckpoint, history: StepInfo[]): number {
  const { steps, weights, validation } = run;
  if (r.weights.length !== weights.size) {
    throw new RangeError(`fit: the checkpoint has ${r.weights.length} weights, the model ${weights.size}`);
  }
  if (!Number.isInteger(r.step) || r.step < 0 || r.step > steps || r.history.length !== r.step) {
    throw new RangeError(`fit: the checkpoint's step ${r.step} does not fit a run of ${steps} steps`);
  }
  if ((r.validation === undefined) !== (validation === undefined)) {
    throw new RangeError("fit: resume with the same validation set as the checkpointed run");
  }
  const random = r.random ?? [];
  if (random.length !== run.rngs.length) {
    throw new RangeError(
      `fit: the checkpoint holds ${random.length} random generator states, the model draws from ${run.rngs.length}`,
    );
  }
  weights.write(r.weights);
  run.optimizer.loadState(r.optimizer);
  run.rngs.forEach((rng, i) => {
    rng.setState(random[i]);
  });
  for (let k = 0; k < r.step; k++) run.nextBatch(); // the same batch order from here on
  if (r.validation !== undefined) validation?.restore(r.validation);
  for (const h of r.history) history.push(h); // a loop: a spread of 130k records overflows the stack
  return r.step;
}

/** The run's state after update `step`, as plain data for a checkpoint. */
function checkpointOf(run: FitRun, step: number, history: readonly StepInfo[]): FitCheckpoint {
  const current = new Float64Array(run.weights.size);
  run.weights.read(current);
  return {
    step,
    weights: Array.from(current),
    optimizer: run.optimizer.state(),
    history: [...history],
    ...(run.validation && { validation: run.validation.state() }),
    ...(run.rngs.length > 0 && { random: run.rngs.map((rng) => rng.state()) }),
  };
}

/** Why training stops after this update, if it does. */
function stopReason(
  info: StepInfo,
  options: FitOptions,
  validation: ValidationTracker | undefined,
): FitResult["stoppedBy"] | undefined {
  if (validation?.exhausted()) return "patience";
  if (options.targetLoss !== undefined && info.loss <= options.targetLoss) return "targetLoss";
  if (options.targetAccuracy !== undefined && info.accuracy >= options.targetAccuracy)
    return "targetAccuracy";
  return undefined;
}

/**
 * The samples per update for `batch` over `n` samples (at most `n`), after checking `steps` and
 * `batch`: the same rules for every model (and for the playground's runs).
 *
 * @example
 * batchSizeOf(32, 1000, 20); // 20: a batch is never larger than the data
 */
export function batchSizeOf(batch: BatchMode, steps: number, n: number): number {
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`fit: steps must be an integer >= 0, got ${steps}`);
  const size = batch === "full" ? n : batch === "stochastic" ? 1 : batch;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`fit: batch must be "full", "stochastic" or a positive integer, got ${batch}`);
  }
  return Math.min(size, n);
}

/** The loss `options` names, checked (default: softmax for several outputs, hinge for one). */
export function fitLoss(options: FitOptions, outputs: number): LossDef {
  const name = options.loss ?? (outputs > 1 ? "softmax" : "hinge");
  if (!Object.hasOwn(LOSSES, name)) throw new RangeError(`fit: unknown loss "${name}"`);
  return LOSSES[name];
}
