import { Rng } from "../engine/random.ts";
import { Adam } from "../nn/optim/adam.ts";
import type { Optimizer } from "../nn/optim/optimizer.ts";
import type { Schedule } from "../nn/optim/schedule.ts";
import { SGD } from "../nn/optim/sgd.ts";
import type { MLPLanguageModel } from "./mlp-language-model.ts";
import type { Windows } from "./windows.ts";

/** How `trainLanguageModel` trains. */
export interface LMTrainOptions {
  /** Number of updates (default 1000). */
  readonly steps?: number;
  /** Rows per mini-batch, drawn at random with replacement (default 32). */
  readonly batch?: number;
  /** Optimiser (default `adam`). */
  readonly optimizer?: "adam" | "sgd";
  /** Step size, fixed or scheduled (default 0.01). */
  readonly lr?: number | Schedule;
  /** Seed of the batch draws (default 1337). */
  readonly seed?: number;
  /** Measure the validation loss every this many steps, and after the last (default 1000; 0 = only at the end). */
  readonly evalEvery?: number;
  /** Called after every update with that batch's mean loss (nats per token). */
  readonly onStep?: (info: LMStepInfo) => void;
  /** Called after each validation with the mean training-batch loss since the last one. */
  readonly onEval?: (info: LMEvalInfo) => void;
}

/** Progress after one update. */
export interface LMStepInfo {
  readonly step: number;
  readonly loss: number;
  readonly lr: number;
}

/** Progress at a validation point. */
export interface LMEvalInfo {
  readonly step: number;
  /** Mean loss of the training batches since the last validation (nats per token). */
  readonly batchLoss: number;
  /** Loss on the validation windows (nats per character), or NaN without them. */
  readonly valLoss: number;
  /** Milliseconds since training started. */
  readonly ms: number;
}

/** What `trainLanguageModel` did. */
export interface LMTrainResult {
  readonly steps: number;
  /** Training time in milliseconds, validation excluded. */
  readonly ms: number;
  /** Every validation point. */
  readonly history: readonly LMEvalInfo[];
}

/** The model's cross-entropy on `windows` in nats per character (NaN when there are none). */
export function lossPerChar(model: MLPLanguageModel, windows: Windows): number {
  checkWindows("lossPerChar", model, windows);
  return windows.count === 0
    ? Number.NaN
    : model.totalLoss(windows.x, windows.y, windows.count) / windows.chars;
}

/**
 * Mini-batch training of a language model on `train` windows: each step draws `batch` rows at
 * random (seeded), computes the mean cross-entropy and its gradient, and lets the optimiser
 * update the model's parameter block. Validates on `val` every `evalEvery` steps.
 */
export function trainLanguageModel(
  model: MLPLanguageModel,
  train: Windows,
  options: LMTrainOptions = {},
  val?: Windows,
): LMTrainResult {
  const { steps = 1000, batch = 32, optimizer = "adam", lr = 0.01, seed = 1337, evalEvery = 1000 } = options;
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`trainLanguageModel: steps must be an integer >= 0, got ${steps}`);
  if (!Number.isInteger(batch) || batch < 1)
    throw new RangeError(`trainLanguageModel: batch must be an integer >= 1, got ${batch}`);
  if (train.count === 0) throw new RangeError("trainLanguageModel: no training windows");
  checkWindows("trainLanguageModel", model, train);
  if (val !== undefined) checkWindows("trainLanguageModel (validation)", model, val);
  const opt: Optimizer = optimizer === "sgd" ? new SGD([model], { lr }) : new Adam([model], { lr });
  const rng = new Rng(seed);
  const n = train.context;
  const bx = new Int32Array(batch * n);
  const by = new Int32Array(batch);
  const history: LMEvalInfo[] = [];
  let ms = 0;
  let since = 0;
  let sum = 0;
  const validate = (step: number): void => {
    const info = { step, batchLoss: sum / since, valLoss: val ? lossPerChar(model, val) : Number.NaN, ms };
    history.push(info);
    options.onEval?.(info);
    since = 0;
    sum = 0;
  };
  for (let step = 1; step <= steps; step++) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) {
      const row = rng.int(train.count);
      by[b] = train.y[row];
      for (let j = 0; j < n; j++) bx[b * n + j] = train.x[row * n + j];
    }
    const rate = opt.currentLr();
    const loss = model.lossAndGrad(bx, by, batch);
    opt.step();
    ms += performance.now() - t0;
    sum += loss;
    since++;
    options.onStep?.({ step, loss, lr: rate });
    if (step === steps || (evalEvery > 0 && step % evalEvery === 0)) validate(step);
  }
  return { steps, ms, history };
}

/** Throws unless every id of `windows` is a token of `model` and the context widths agree. */
function checkWindows(op: string, model: MLPLanguageModel, windows: Windows): void {
  const { vocabSize, context } = model.config;
  if (windows.context !== context) {
    throw new RangeError(`${op}: windows have context ${windows.context}, the model ${context}`);
  }
  for (const ids of [windows.x, windows.y]) {
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new RangeError(`${op}: token id ${ids[i]} is not in the model's vocabulary [0, ${vocabSize})`);
      }
    }
  }
}
