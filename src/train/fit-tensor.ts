import { Rng } from "../engine/random.ts";
import type { LossDef } from "../nn/losses.ts";
import { clipGradNorm } from "../nn/optim/clip.ts";
import { clipGradNormOnDevice, gradsOnDevice } from "../nn/optim/clip-device.ts";
import type { Optimizer } from "../nn/optim/optimizer.ts";
import { tensorL2, tensorLoss } from "../nn/tensor-losses.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import { backend, type Data } from "../tensor/backend.ts";
import { add } from "../tensor/ops/elementwise.ts";
import { allocate, noGrad, Tensor } from "../tensor/tensor.ts";
import { batchOrder } from "./batch-order.ts";
import { evaluateTensor } from "./evaluate-tensor.ts";
import type { FitOptions, FitResult, TrainingData } from "./fit.ts";
import { batchSizeOf, fitLoss, runFit } from "./fit-loop.ts";
import { fitOptimizer } from "./fit-optimizer.ts";
import { tensorWeights } from "./flat-weights.ts";
import type { Labels } from "./labels.ts";
import { predictedClass } from "./predicted-class.ts";
import { validationTracker } from "./validation-tracker.ts";

/**
 * Training data already in a tensor: `x` is `[samples, features]`. For a sequence model (a
 * GPT: `[samples, time]` token ids in, `[samples, time, classes]` logits out) `y` holds
 * `time` targets per sample, one after another, -1 where a position is padding.
 *
 * @example
 * fit(net, { x: tensor(data.x), y: data.y });
 */
export interface TensorTrainingData {
  /** `[samples, features]`. */
  readonly x: Tensor;
  /**
   * The label (or target) of each sample, or `time` targets per sample for a sequence model
   * (an `Int32Array` suits millions of targets: the garbage collector never walks it).
   */
  readonly y: Labels;
}

/**
 * `fit` for tensor models: the same options, losses, optimisers, batches, `onStep` progress,
 * validation with `patience` and `restoreBest`, and checkpoints with `resume`, with each batch
 * as one `[batch, features]` tensor. `fit` calls it when given a `TensorModule`; the `engine`
 * option does not apply. The validation set is evaluated under `noGrad` in evaluation mode
 * (dropout off), so training takes the same steps with or without it.
 *
 * @example
 * fitTensor(tensorMLP(2, [16, 16, 1]), train, { loss: "hinge", batch: 32, steps: 500, validation: val, patience: 5 });
 */
export function fitTensor(
  model: TensorModule,
  data: TrainingData | TensorTrainingData,
  options: FitOptions = {},
): FitResult {
  if (backend().read !== undefined) {
    throw new Error(
      `fit: on the ${backend().name} backend the numbers stay on the GPU and are read asynchronously: use \`await fitAsync(model, data, options)\`, which reads the loss every \`readEvery\` steps`,
    );
  }
  const parameters = model.parameters();
  if (parameters.length === 0) throw new RangeError("fit: the model has no parameters");
  const dtype = parameters[0].dtype;
  const x = checkedTensor(data, dtype, "training");
  const n = x.shape[0];
  const features = x.size / n;
  const per = data.y.length / n; // targets per sample: 1, or `time` for a sequence model
  // One sample through the model, to count its outputs: in evaluation mode, so the probe
  // draws no dropout and leaves batch-norm statistics alone (and one sample is a valid batch).
  model.eval();
  const probe = new Tensor(x.data.slice(0, features), [1, ...x.shape.slice(1)]);
  const probed = noGrad(() => model.forward(probe));
  const outputs = probed.size;
  // several targets per sample only for a sequence model: [1, per, classes] out of one sample
  if (per !== 1 && !(probed.ndim === 3 && probed.shape[1] === per))
    throw new RangeError(`fit: ${n} samples but ${data.y.length} labels`);
  const { batch = "full", steps = 100, l2 = 0, seed = 1337 } = options;
  const loss = fitLoss(options, outputs);
  const size = batchSizeOf(batch, steps, n);
  const optimizer = fitOptimizer(options, parameters);
  const weights = tensorWeights(parameters);
  model.train();
  const prepare = (set: TrainingData | TensorTrainingData) => {
    const validation = validationSet(set, x, dtype, per);
    return () => evaluateTensor(model, validation, { loss: loss.name });
  };
  return runFit({
    options,
    steps,
    weights,
    optimizer,
    nextBatch: batchOrder(n, size, new Rng(seed)),
    validation: validationTracker(options, prepare, weights, Math.ceil(n / size)),
    rngs: model.rngs(),
    computeGradients: (indices) => {
      const step = { model, optimizer, x, y: data.y, per, loss, l2, size, gradClip: options.gradClip };
      const { out, total, yb } = batchGradients(step, indices);
      return { loss: total.item(), accuracy: batchAccuracy(out, yb, loss) };
    },
  });
}

/**
 * @internal The validation samples as a `dtype` tensor, after checking them against the
 * training samples `x` (the same shape per sample, `per` labels each).
 */
export function validationSet(
  set: TrainingData | TensorTrainingData,
  x: Tensor,
  dtype: Tensor["dtype"],
  per: number,
): TensorTrainingData {
  const vx = checkedTensor(set, dtype, "validation", per);
  if (vx.shape.slice(1).join(",") !== x.shape.slice(1).join(",")) {
    throw new RangeError(
      `fit: the validation x is [${vx.shape.join(",")}], the training x [${x.shape.join(",")}]: ` +
        "the samples differ in shape",
    );
  }
  if (set.y.length !== vx.shape[0] * per)
    throw new RangeError(`fit: validation ${vx.shape[0]} samples but ${set.y.length} labels`);
  return { x: vx, y: set.y };
}

/** @internal What one training step needs to compute its batch's gradients. */
export interface BatchStep {
  readonly model: TensorModule;
  readonly optimizer: Optimizer;
  /** All samples, `[samples, features]`. */
  readonly x: Tensor;
  readonly y: Labels;
  /** Targets per sample: 1, or `time` for a sequence model. */
  readonly per: number;
  readonly loss: LossDef;
  readonly l2: number;
  /** The batch size (the whole set: `x` itself, no copy). */
  readonly size: number;
  readonly gradClip?: number;
}

/**
 * @internal The batch `indices` through the model, and the gradients of its loss (plus the L2
 * term, clipped when asked) left in the parameters: the outputs, the loss and the targets.
 */
export function batchGradients(
  s: BatchStep,
  indices: readonly number[],
): { out: Tensor; total: Tensor; yb: number[] } {
  const n = s.x.shape[0];
  const xb = s.size === n ? s.x : rowsOf(s.x, indices, s.x.size / n);
  const yb: number[] = [];
  for (const i of indices) for (let j = i * s.per; j < (i + 1) * s.per; j++) yb.push(s.y[j]);
  s.optimizer.zeroGrad();
  const out = s.model.forward(xb);
  const parameters = s.model.parameters();
  const dataLoss = tensorLoss(s.loss.name, out, yb);
  const total = s.l2 > 0 ? add(dataLoss, tensorL2(parameters, s.l2)) : dataLoss;
  total.backward();
  if (s.gradClip !== undefined) {
    if (gradsOnDevice(parameters)) clipGradNormOnDevice(parameters, s.gradClip);
    else clipGradNorm(parameters, s.gradClip);
  }
  return { out, total, yb };
}

/**
 * @internal The samples as a tensor, after checking them: not empty, finite features, and the
 * same number of labels for each (`per`, the training set's, for the validation set).
 */
export function checkedTensor(
  data: TrainingData | TensorTrainingData,
  dtype: Tensor["dtype"],
  what: "training" | "validation",
  per?: number,
): Tensor {
  const where = what === "training" ? "fit:" : `fit: ${what}`;
  const x = data.x instanceof Tensor ? data.x : toTensor(data.x, dtype, where);
  const n = x.shape[0];
  if (n === 0 || x.ndim === 0) throw new RangeError(`fit: the ${what} data is empty`);
  const labelsFit =
    per === undefined ? data.y.length % n === 0 && data.y.length > 0 : data.y.length === n * per;
  if (!labelsFit) throw new RangeError(`${where} ${n} samples but ${data.y.length} labels`);
  const features = x.size / n;
  for (let i = 0; i < x.size; i++) {
    if (!Number.isFinite(x.data[i])) {
      throw new RangeError(
        `${where} sample ${Math.floor(i / features)} has a non-finite feature (${x.data[i]})`,
      );
    }
  }
  return x;
}

function toTensor(rows: readonly (readonly number[])[], dtype: Tensor["dtype"], where: string): Tensor {
  const features = rows[0]?.length ?? 0;
  const data = allocate(dtype, rows.length * features);
  rows.forEach((row, i) => {
    if (row.length !== features)
      throw new RangeError(`${where} sample ${i} has ${row.length} features, sample 0 has ${features}`);
    data.set(row, i * features);
  });
  return new Tensor(data, [rows.length, features]);
}

/**
 * The rows `indices` of `x`, as a new `[indices.length, features]` tensor.
 *
 * @example
 * const batch = rowsOf(x, [3, 0, 7], 2); // rows 3, 0 and 7 of a [samples, 2] tensor
 */
export function rowsOf(x: Tensor, indices: readonly number[], features: number): Tensor {
  const data = allocate(x.dtype, indices.length * features);
  for (let r = 0; r < indices.length; r++) {
    const s = indices[r] * features;
    data.set(x.data.subarray(s, s + features), r * features);
  }
  return new Tensor(data, [indices.length, ...x.shape.slice(1)]);
}

/**
 * The fraction of rows of `out` whose predicted class is the target's, as the scalar `fit`
 * counts it; `numbers` are out's (pass them when they had to be read from the GPU).
 *
 * @example
 * batchAccuracy(out, [3, 0], LOSSES.softmax, await out.read()); // 0.5 when one of two rows is right
 */
export function batchAccuracy(
  out: Tensor,
  targets: readonly number[],
  loss: LossDef,
  numbers: Data = out.data,
): number {
  const n = targets.length;
  const cols = out.size / n;
  let right = 0;
  let counted = 0;
  for (let r = 0; r < n; r++) {
    if (out.ndim === 3 && targets[r] === -1) continue; // padding of a sequence
    counted++;
    const row = numbers.subarray(r * cols, (r + 1) * cols);
    const predicted = predictedClass(loss, row);
    if (predicted === (loss.classOf ? loss.classOf(targets[r]) : targets[r])) right++;
  }
  return counted === 0 ? Number.NaN : right / counted;
}
