import { Rng } from "../engine/random.ts";
import type { LossName } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";
import type { OptimizerState, ParamBlock } from "../nn/optim/optimizer.ts";
import type { Schedule } from "../nn/optim/schedule.ts";
import { TensorModule } from "../nn/tensor-module.ts";
import { batchOrder } from "./batch-order.ts";
import { checkData } from "./check-data.ts";
import { evaluate } from "./evaluate.ts";
import { batchSizeOf, fitLoss, runFit } from "./fit-loop.ts";
import { fitOptimizer } from "./fit-optimizer.ts";
import { fitTensor, type TensorTrainingData } from "./fit-tensor.ts";
import { scalarWeights } from "./flat-weights.ts";
import { accuracy } from "./metrics.ts";
import { compiledStep, valueStep } from "./step.ts";
import { validationTracker } from "./validation-tracker.ts";

/**
 * Which optimiser `fit` uses.
 *
 * @example
 * fit(model, data, { optimizer: "adam" satisfies OptimizerName, lr: 0.01 });
 */
export type OptimizerName = "sgd" | "adam" | "adamw";

/**
 * How many samples each update sees: all of them, one, or a mini-batch of n.
 *
 * @example
 * fit(model, data, { batch: 16 satisfies BatchMode }); // or "full", or "stochastic"
 */
export type BatchMode = "full" | "stochastic" | number;

/**
 * Labelled training data.
 *
 * @example
 * const data: TrainingData = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0] };
 */
export interface TrainingData {
  /** Feature vectors, one per sample. */
  readonly x: readonly (readonly number[])[];
  /** The label (class index, or target for regression) of each sample. */
  readonly y: readonly number[];
}

/**
 * Progress after one update.
 *
 * @example
 * fit(model, data, { onStep: ({ step, loss, accuracy, lr }) => console.log(step, loss, accuracy, lr) });
 */
export interface StepInfo {
  /** Updates made so far (1 after the first). */
  readonly step: number;
  /** Loss on this step's batch (with the L2 penalty), before the update. */
  readonly loss: number;
  /** Accuracy on this step's batch, before the update. */
  readonly accuracy: number;
  /** Step size used. */
  readonly lr: number;
  /** Mean loss on the validation set after this update (only on steps where it was evaluated). */
  readonly valLoss?: number;
  /** Accuracy on the validation set after this update (only on steps where it was evaluated). */
  readonly valAccuracy?: number;
}

/**
 * How `fit` trains.
 *
 * @example
 * fit(model, data, { loss: "softmax", optimizer: "adam", lr: 0.01, batch: 32, steps: 1000, validation: val, patience: 5 });
 */
export interface FitOptions {
  /** Loss (default: `softmax` when the model has several outputs, else `hinge`). */
  readonly loss?: LossName;
  /** Optimiser (default `sgd`). */
  readonly optimizer?: OptimizerName;
  /** Step size, fixed or scheduled (default 0.1 for SGD, 0.01 for Adam). */
  readonly lr?: number | Schedule;
  /** SGD momentum (default 0). */
  readonly momentum?: number;
  /** Weight decay added to gradients by the optimiser (default 0); with `adamw`, the decoupled decay of its matrices. */
  readonly weightDecay?: number;
  /** Tensor models: scale the gradients down to this L2 norm when they exceed it, before each update. */
  readonly gradClip?: number;
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
  /**
   * Held-out data evaluated every `evalEvery` updates (and after the last one). With it, `fit`
   * keeps the weights of the evaluation with the lowest validation loss and puts them back in
   * the model at the end (unless `restoreBest` is false).
   */
  readonly validation?: TrainingData | TensorTrainingData;
  /** Updates between validation evaluations (default: one epoch, i.e. ceil(samples / batch)). */
  readonly evalEvery?: number;
  /** Stop after this many validation evaluations in a row without a lower validation loss. */
  readonly patience?: number;
  /** Put the best validation weights back in the model at the end (default true). */
  readonly restoreBest?: boolean;
  /** Updates between calls of `onCheckpoint`, which also gets the last update (default 1: every update). */
  readonly checkpointEvery?: number;
  /** Receives everything needed to continue this run later with `resume`. */
  readonly onCheckpoint?: (checkpoint: FitCheckpoint) => void;
  /**
   * Continue from a checkpoint of a run with the same model, data and options: the weights,
   * optimiser state, batch order and validation record are restored, so the result is the same
   * as if the run had never stopped.
   */
  readonly resume?: FitCheckpoint;
}

/**
 * A training run's state after some update: plain data, ready for JSON.
 *
 * @example
 * let saved: FitCheckpoint | undefined;
 * fit(model, data, { steps: 100, checkpointEvery: 10, onCheckpoint: (c) => { saved = c; } }); // interrupted
 * fit(model, data, { steps: 100, resume: saved }); // goes on after saved.step, as if never stopped
 */
export interface FitCheckpoint {
  /** Updates made. */
  readonly step: number;
  /** The parameters, in `model.parameters()` order. */
  readonly weights: readonly number[];
  /** The optimiser's step count and buffers. */
  readonly optimizer: OptimizerState;
  /** Every step's progress so far. */
  readonly history: readonly StepInfo[];
  /** The validation record, when training with a validation set. */
  readonly validation?: ValidationState;
  /** Where the model's random generators are (`Rng.state()`), when it draws while training (dropout). */
  readonly random?: readonly (readonly number[])[];
}

/**
 * What `fit` remembers about validation between updates.
 *
 * @example
 * const best = checkpoint.validation?.bestStep; // the update with the lowest validation loss so far
 */
export interface ValidationState {
  /** The parameters at the lowest validation loss, in `model.parameters()` order. */
  readonly bestWeights: readonly number[];
  /** The update that reached it (0: the initial weights). */
  readonly bestStep: number;
  /** The lowest validation loss so far. */
  readonly bestLoss: number;
  /** The validation accuracy at `bestStep`. */
  readonly bestAccuracy: number;
  /** Evaluations in a row without improvement. */
  readonly stale: number;
  /** The last update evaluated. */
  readonly lastChecked: number;
}

/**
 * What `fit` did.
 *
 * @example
 * const { steps, loss, accuracy, ms, stoppedBy, history }: FitResult = fit(model, data, { targetAccuracy: 1 });
 */
export interface FitResult {
  /** Updates made (counting those before a resumed checkpoint). */
  readonly steps: number;
  /** Updates this call made: `steps` less those of the resumed checkpoint. `ms` is their time. */
  readonly stepsRun: number;
  /** Last step's loss. */
  readonly loss: number;
  /** Last step's accuracy. */
  readonly accuracy: number;
  /** Training time of this call's updates in milliseconds (validation included). */
  readonly ms: number;
  /** With validation: the part of `ms` spent evaluating the validation set. */
  readonly validationMs?: number;
  /** Why training stopped. */
  readonly stoppedBy: "steps" | "targetLoss" | "targetAccuracy" | "patience";
  /** Every step's progress. */
  readonly history: StepInfo[];
  /** With validation: the update whose weights had the lowest validation loss (0: the initial ones). */
  readonly bestStep?: number;
  /** With validation: the lowest validation loss seen. */
  readonly valLoss?: number;
  /** With validation: the validation accuracy at `bestStep`. */
  readonly valAccuracy?: number;
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
  const { batch = "full", steps = 100, l2 = 0, seed = 1337, engine = "compiled" } = options;
  const loss = fitLoss(options, outputs);
  checkData(model, data);
  const n = data.x.length;
  const batchSize = batchSizeOf(batch, steps, n);

  const parameters = model.parameters();
  const block: ParamBlock = {
    data: Float64Array.from(parameters, (p) => p.data),
    grad: new Float64Array(parameters.length),
  };
  const weights = scalarWeights(parameters, block);
  const step = (engine === "value" ? valueStep : compiledStep)({ model, loss, l2 });
  const prepare = (validation: TrainingData | TensorTrainingData) => {
    if (!Array.isArray(validation.x)) {
      throw new TypeError("fit: a scalar MLP takes its validation samples as arrays of numbers");
    }
    const set = validation as TrainingData;
    checkData(model, set, "validation");
    return () => evaluate(model, set, { loss: loss.name });
  };
  return runFit({
    options,
    steps,
    weights,
    optimizer: fitOptimizer(options, [block]),
    nextBatch: batchOrder(n, batchSize, new Rng(seed)),
    validation: validationTracker(options, prepare, weights, Math.ceil(n / batchSize)),
    rngs: [],
    computeGradients: (indices) => {
      const x = indices.map((i) => data.x[i]);
      const y = indices.map((i) => data.y[i]);
      const result = step.run(block.data as Float64Array, block.grad as Float64Array, x, y);
      const classes = loss.classOf ? y.map(loss.classOf) : y;
      const predicted = result.outputs.map((o) => loss.classify(o));
      return { loss: result.loss, accuracy: accuracy(predicted, classes) };
    },
  });
}
