import { Rng } from "../engine/random.ts";
import { LOSSES, type LossName } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";
import { Adam } from "../nn/optim/adam.ts";
import type { Optimizer, ParamBlock } from "../nn/optim/optimizer.ts";
import type { Schedule } from "../nn/optim/schedule.ts";
import { SGD } from "../nn/optim/sgd.ts";
import { TensorModule } from "../nn/tensor-module.ts";
import { batchOrder } from "./batch-order.ts";
import { fitTensor, type TensorTrainingData } from "./fit-tensor.ts";
import { accuracy } from "./metrics.ts";
import { compiledStep, valueStep } from "./step.ts";

/** Which optimiser `fit` uses. */
export type OptimizerName = "sgd" | "adam";

/** How many samples each update sees: all of them, one, or a mini-batch of n. */
export type BatchMode = "full" | "stochastic" | number;

/** Labelled training data. */
export interface TrainingData {
  readonly x: readonly (readonly number[])[];
  readonly y: readonly number[];
}

/** Progress after one update. */
export interface StepInfo {
  /** Updates made so far (1 after the first). */
  readonly step: number;
  /** Loss on this step's batch (with the L2 penalty), before the update. */
  readonly loss: number;
  /** Accuracy on this step's batch, before the update. */
  readonly accuracy: number;
  /** Step size used. */
  readonly lr: number;
}

/** How `fit` trains. */
export interface FitOptions {
  /** Loss (default: `softmax` when the model has several outputs, else `hinge`). */
  readonly loss?: LossName;
  /** Optimiser (default `sgd`). */
  readonly optimizer?: OptimizerName;
  /** Step size, fixed or scheduled (default 0.1 for SGD, 0.01 for Adam). */
  readonly lr?: number | Schedule;
  /** SGD momentum (default 0). */
  readonly momentum?: number;
  /** Weight decay added to gradients by the optimiser (default 0). */
  readonly weightDecay?: number;
  /** Weight of the L2 penalty added to the loss, as micrograd's demo does (default 0). */
  readonly l2?: number;
  /** Samples per update (default `full`). */
  readonly batch?: BatchMode;
  /** Number of updates (default 100). */
  readonly steps?: number;
  /** Stop once a step's loss is at or below this. */
  readonly targetLoss?: number;
  /** Stop once a step's accuracy is at or above this. */
  readonly targetAccuracy?: number;
  /** Seed of the batch order (default 1337). */
  readonly seed?: number;
  /**
   * `compiled` (default) records each step's graph once and replays it over typed arrays;
   * `value` builds a fresh graph of `Value`s every step, as micrograd does. Same numbers.
   */
  readonly engine?: "compiled" | "value";
  /** Called after every update. */
  readonly onStep?: (info: StepInfo) => void;
}

/** What `fit` did. */
export interface FitResult {
  /** Updates made. */
  readonly steps: number;
  /** Last step's loss. */
  readonly loss: number;
  /** Last step's accuracy. */
  readonly accuracy: number;
  /** Training time in milliseconds. */
  readonly ms: number;
  /** Why training stopped. */
  readonly stoppedBy: "steps" | "targetLoss" | "targetAccuracy";
  /** Every step's progress. */
  readonly history: StepInfo[];
}

/**
 * Trains `model` on `data` by gradient descent: full-batch, mini-batch or stochastic.
 * The model's parameters hold the trained weights afterwards (and after every step).
 *
 * @example
 * const data = moons({ n: 100, noise: 0.1 });
 * const model = new MLP(2, [16, 16, 1]);
 * const result = fit(model, data, { loss: "hinge", lr: linearDecay(1, 0.1, 100), l2: 1e-4 });
 * // a tensor model trains the same way, a batch at a time:
 * fit(tensorMLP(2, [16, 16, 1]), data, { loss: "hinge", batch: 32, steps: 500 });
 */
export function fit(
  model: MLP | TensorModule,
  data: TrainingData | TensorTrainingData,
  options: FitOptions = {},
): FitResult {
  // Tensor models train through the same loop on whole batches (train/fit-tensor.ts).
  if (model instanceof TensorModule) return fitTensor(model, data, options);
  if (!Array.isArray(data.x)) throw new TypeError("fit: a scalar MLP takes its samples as arrays of numbers");
  return fitScalar(model, data as TrainingData, options);
}

function fitScalar(model: MLP, data: TrainingData, options: FitOptions): FitResult {
  const outputs = model.sizes[model.sizes.length - 1];
  const {
    loss: lossName = outputs > 1 ? "softmax" : "hinge",
    optimizer: optimizerName = "sgd",
    batch = "full",
    steps = 100,
    l2 = 0,
    seed = 1337,
    engine = "compiled",
  } = options;
  const loss = LOSSES[lossName];
  if (loss === undefined) throw new RangeError(`fit: unknown loss "${lossName}"`);
  checkData(model, data);
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`fit: steps must be an integer >= 0, got ${steps}`);
  const n = data.x.length;
  const batchSize = batch === "full" ? n : batch === "stochastic" ? 1 : batch;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`fit: batch must be "full", "stochastic" or a positive integer, got ${batch}`);
  }

  const parameters = model.parameters();
  const block: ParamBlock = {
    data: Float64Array.from(parameters, (p) => p.data),
    grad: new Float64Array(parameters.length),
  };
  const optimizer = makeOptimizer(optimizerName, block, options);
  const step = (engine === "value" ? valueStep : compiledStep)({ model, loss, l2 });
  const batches = batchOrder(n, Math.min(batchSize, n), new Rng(seed));

  const history: StepInfo[] = [];
  let stoppedBy: FitResult["stoppedBy"] = "steps";
  const start = performance.now();
  for (let k = 0; k < steps; k++) {
    const indices = batches();
    const x = indices.map((i) => data.x[i]);
    const y = indices.map((i) => data.y[i]);
    const lr = optimizer.currentLr();
    const result = step.run(block.data as Float64Array, block.grad as Float64Array, x, y);
    if (!Number.isFinite(result.loss)) {
      throw new Error(
        `fit: the loss became ${result.loss} at step ${k + 1} (learning rate ${lr}); try a smaller learning rate`,
      );
    }
    optimizer.step();
    parameters.forEach((p, i) => {
      p.data = block.data[i];
    });
    const info: StepInfo = {
      step: k + 1,
      loss: result.loss,
      accuracy: accuracy(
        result.outputs.map((o) => loss.classify(o)),
        y,
      ),
      lr,
    };
    history.push(info);
    options.onStep?.(info);
    if (options.targetLoss !== undefined && info.loss <= options.targetLoss) {
      stoppedBy = "targetLoss";
      break;
    }
    if (options.targetAccuracy !== undefined && info.accuracy >= options.targetAccuracy) {
      stoppedBy = "targetAccuracy";
      break;
    }
  }
  const last = history[history.length - 1];
  return {
    steps: history.length,
    loss: last?.loss ?? Number.NaN,
    accuracy: last?.accuracy ?? Number.NaN,
    ms: performance.now() - start,
    stoppedBy,
    history,
  };
}

function makeOptimizer(name: OptimizerName, block: ParamBlock, options: FitOptions): Optimizer {
  const { momentum, weightDecay } = options;
  switch (name) {
    case "sgd":
      return new SGD([block], { lr: options.lr ?? 0.1, momentum, weightDecay });
    case "adam":
      return new Adam([block], { lr: options.lr ?? 0.01, weightDecay });
    default:
      throw new RangeError(`fit: unknown optimizer "${name}" (use sgd or adam)`);
  }
}

function checkData(model: MLP, data: TrainingData): void {
  if (data.x.length === 0) throw new RangeError("fit: the training data is empty");
  if (data.x.length !== data.y.length) {
    throw new RangeError(`fit: ${data.x.length} samples but ${data.y.length} labels`);
  }
  data.x.forEach((row, i) => {
    if (row.length !== model.nin) {
      throw new RangeError(`fit: sample ${i} has ${row.length} features, the model takes ${model.nin}`);
    }
    for (const v of row)
      if (!Number.isFinite(v)) throw new RangeError(`fit: sample ${i} has a non-finite feature (${v})`);
  });
}
