import { Rng } from "../engine/random.ts";
import { LOSSES } from "../nn/losses.ts";
import { Adam } from "../nn/optim/adam.ts";
import type { Optimizer } from "../nn/optim/optimizer.ts";
import { SGD } from "../nn/optim/sgd.ts";
import { tensorL2, tensorLoss } from "../nn/tensor-losses.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import { add } from "../tensor/ops/elementwise.ts";
import { allocate, noGrad, Tensor } from "../tensor/tensor.ts";
import { batchOrder } from "./batch-order.ts";
import type { FitOptions, FitResult, StepInfo, TrainingData } from "./fit.ts";
import { accuracy } from "./metrics.ts";

/** Training data already in a tensor: `x` is `[samples, features]`. */
export interface TensorTrainingData {
  readonly x: Tensor;
  readonly y: readonly number[];
}

/**
 * `fit` for tensor models: the same options, losses, optimisers, batches and `onStep`
 * progress, with each batch as one `[batch, features]` tensor. `fit` calls it when given a
 * `TensorModule`; the `engine` option does not apply, and `validation`/`patience` are not
 * supported yet (an error says so).
 */
export function fitTensor(
  model: TensorModule,
  data: TrainingData | TensorTrainingData,
  options: FitOptions = {},
): FitResult {
  if (options.validation !== undefined || options.patience !== undefined) {
    throw new RangeError(
      "fit: validation and patience are for the scalar MLP; tensor models do not support them yet",
    );
  }
  const parameters = model.parameters();
  if (parameters.length === 0) throw new RangeError("fit: the model has no parameters");
  const dtype = parameters[0].dtype;
  const x = data.x instanceof Tensor ? data.x : toTensor(data.x, dtype);
  const n = x.shape[0];
  if (n === 0) throw new RangeError("fit: the training data is empty");
  if (n !== data.y.length) throw new RangeError(`fit: ${n} samples but ${data.y.length} labels`);
  const features = x.size / n;
  for (let i = 0; i < x.size; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new RangeError(`fit: sample ${Math.floor(i / features)} has a non-finite feature (${x.data[i]})`);
    }
  }
  const outputs = noGrad(() => model.forward(new Tensor(x.data.slice(0, features), [1, features]))).size;
  const {
    loss: lossName = outputs > 1 ? "softmax" : "hinge",
    batch = "full",
    steps = 100,
    l2 = 0,
    seed = 1337,
  } = options;
  const loss = LOSSES[lossName];
  if (loss === undefined) throw new RangeError(`fit: unknown loss "${lossName}"`);
  if (!Number.isInteger(steps) || steps < 0)
    throw new RangeError(`fit: steps must be an integer >= 0, got ${steps}`);
  const batchSize = batch === "full" ? n : batch === "stochastic" ? 1 : batch;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`fit: batch must be "full", "stochastic" or a positive integer, got ${batch}`);
  }
  const optimizer = makeOptimizer(options, parameters);
  const size = Math.min(batchSize, n);
  const order = batchOrder(n, size, new Rng(seed));

  model.train();
  const history: StepInfo[] = [];
  let stoppedBy: FitResult["stoppedBy"] = "steps";
  const start = performance.now();
  for (let k = 0; k < steps; k++) {
    const indices = order();
    const xb = size === n ? x : rowsOf(x, indices, features);
    const yb = indices.map((i) => data.y[i]);
    const lr = optimizer.currentLr();
    optimizer.zeroGrad();
    const out = model.forward(xb);
    const dataLoss = tensorLoss(lossName, out, yb);
    const total = l2 > 0 ? add(dataLoss, tensorL2(parameters, l2)) : dataLoss;
    total.backward();
    const value = total.item();
    if (!Number.isFinite(value)) {
      throw new Error(
        `fit: the loss became ${value} at step ${k + 1} (learning rate ${lr}); try a smaller learning rate`,
      );
    }
    optimizer.step();
    const info: StepInfo = { step: k + 1, loss: value, accuracy: batchAccuracy(out, yb, loss.classify), lr };
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

function makeOptimizer(options: FitOptions, parameters: Tensor[]): Optimizer {
  const { optimizer = "sgd", momentum, weightDecay } = options;
  switch (optimizer) {
    case "sgd":
      return new SGD(parameters, { lr: options.lr ?? 0.1, momentum, weightDecay });
    case "adam":
      return new Adam(parameters, { lr: options.lr ?? 0.01, weightDecay });
    default:
      throw new RangeError(`fit: unknown optimizer "${optimizer as string}" (use sgd or adam)`);
  }
}

function toTensor(rows: readonly (readonly number[])[], dtype: Tensor["dtype"]): Tensor {
  const features = rows[0]?.length ?? 0;
  const data = allocate(dtype, rows.length * features);
  rows.forEach((row, i) => {
    if (row.length !== features)
      throw new RangeError(`fit: sample ${i} has ${row.length} features, sample 0 has ${features}`);
    data.set(row, i * features);
  });
  return new Tensor(data, [rows.length, features]);
}

/** The rows `indices` of `x`, as a new `[indices.length, features]` tensor. */
export function rowsOf(x: Tensor, indices: readonly number[], features: number): Tensor {
  const data = allocate(x.dtype, indices.length * features);
  for (let r = 0; r < indices.length; r++) {
    const s = indices[r] * features;
    data.set(x.data.subarray(s, s + features), r * features);
  }
  return new Tensor(data, [indices.length, ...x.shape.slice(1)]);
}

/** The fraction of rows of `out` whose predicted class (by `classify`) is the target. */
function batchAccuracy(out: Tensor, targets: readonly number[], classify: (row: number[]) => number): number {
  const cols = out.size / targets.length;
  const predicted = targets.map((_, r) => classify(Array.from(out.data.subarray(r * cols, (r + 1) * cols))));
  return accuracy(predicted, targets);
}
