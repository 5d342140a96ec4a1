import { Rng } from "../engine/random.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import { add } from "../tensor/ops/elementwise.ts";
import { noGrad, type Tensor, toHost } from "../tensor/tensor.ts";
import { batchOrder } from "./batch-order.ts";
import { evaluateTensorAsync } from "./evaluate-tensor.ts";
import type { FitOptions, FitResult, StepInfo, TrainingData } from "./fit.ts";
import { batchSizeOf, fitLoss } from "./fit-loop.ts";
import { fitOptimizer } from "./fit-optimizer.ts";
import {
  batchAccuracy,
  batchGradients,
  checkedTensor,
  rowsOf,
  type TensorTrainingData,
  validationSet,
} from "./fit-tensor.ts";
import { tensorWeights } from "./flat-weights.ts";
import { type ValidationScore, validationTracker } from "./validation-tracker.ts";

/**
 * Options of `fitAsync`: `fit`'s, plus how often the loss is read back.
 *
 * @example
 * await fitAsync(net, data, { loss: "softmax", batch: 128, steps: 2000, readEvery: 100 });
 */
export interface AsyncFitOptions extends FitOptions {
  /**
   * Read the loss (and the batch accuracy) every this many steps (default 10), and after the
   * last; `onStep` is called then, with the mean loss of the steps since the last read. Between
   * reads nothing waits for the GPU.
   */
  readonly readEvery?: number;
  /** Called at each read; `fitAsync` waits for a returned promise (an async evaluation, say). */
  readonly onStep?: (info: StepInfo) => void | Promise<void>;
}

// fit's options that need a number every step or the weights on the host mid-run
const UNSUPPORTED = ["checkpointEvery", "onCheckpoint", "resume", "targetLoss", "targetAccuracy"] as const;

/**
 * `fit` for tensor models on any backend, built for the GPU (webgpu): the steps are queued
 * without waiting, the losses are summed where they are computed, and the host reads them
 * only every `readEvery` steps. On js and wasm it trains exactly as `fit` does (the same
 * batches, the same updates); `onStep` comes every `readEvery` steps with the mean loss since the
 * last one. With a `validation` set it is evaluated every `evalEvery` steps (a read is made
 * then too) and after the last, with `fit`'s keys (`valLoss` and `valAccuracy` in those steps'
 * info; `bestStep`, `valLoss`, `valAccuracy` and `validationMs` in the result), `patience`, and
 * the best weights put back (`restoreBest`, default true). Checkpoints and the loss and accuracy
 * targets need a number every step: use `fit` for those (on js or wasm).
 *
 * @example
 * await init("webgpu");
 * const result = await fitAsync(tensorMLP(784, [128, 10]), { x, y }, { loss: "softmax", optimizer: "adam", lr: 1e-3, batch: 128, steps: 1000 });
 */
export async function fitAsync(
  model: TensorModule,
  data: TrainingData | TensorTrainingData,
  options: AsyncFitOptions = {},
): Promise<FitResult> {
  for (const name of UNSUPPORTED) {
    if (options[name] !== undefined) {
      throw new RangeError(
        `fitAsync: the "${name}" option is not supported (use fit, on the js or wasm backend)`,
      );
    }
  }
  const readEvery = options.readEvery ?? 10;
  if (!Number.isInteger(readEvery) || readEvery < 1) {
    throw new RangeError(`fitAsync: readEvery must be a positive integer, got ${options.readEvery}`);
  }
  const parameters = model.parameters();
  if (parameters.length === 0) throw new RangeError("fitAsync: the model has no parameters");
  const x = checkedTensor(data, parameters[0].dtype, "training");
  const n = x.shape[0];
  const features = x.size / n;
  const { batch = "full", steps = 100, l2 = 0, seed = 1337 } = options;
  model.eval();
  const probe = rowsOf(x, [0], features);
  const outputs = noGrad(() => model.forward(probe)).size;
  const loss = fitLoss(options, outputs);
  const size = batchSizeOf(batch, steps, n);
  const optimizer = fitOptimizer(options, parameters);
  const nextBatch = batchOrder(n, size, new Rng(seed));
  const per = data.y.length / n; // targets per sample: 1, or `time` for a sequence model
  const weights = tensorWeights(parameters);
  const valSet = options.validation && validationSet(options.validation, x, parameters[0].dtype, per);
  // The tracker scores with the evaluation made just before it is asked (asynchronously), and
  // copies the best weights from the host.
  let score: ValidationScore = { loss: Number.NaN, accuracy: Number.NaN };
  const evaluate = async (): Promise<void> => {
    score = await evaluateTensorAsync(model, valSet as TensorTrainingData, { loss: loss.name });
    await toHost(parameters); // the next optimiser step moves them back to the GPU
  };
  if (valSet !== undefined) await evaluate(); // the initial weights
  const validation = validationTracker(options, () => () => score, weights, Math.ceil(n / size));
  let validationMs = 0;
  model.train();
  const step = { model, optimizer, x, y: data.y, per, loss, l2, size, gradClip: options.gradClip };
  const history: StepInfo[] = [];
  const start = performance.now();
  let lossSum: Tensor | null = null; // on the device: the losses since the last read, summed there
  let summed = 0;
  let stoppedBy: FitResult["stoppedBy"] = "steps";
  for (let k = 0; k < steps; k++) {
    const indices = nextBatch();
    const lr = optimizer.currentLr();
    const { out, total, yb } = batchGradients(step, indices);
    optimizer.step();
    const detached = total.detach();
    lossSum = lossSum === null ? detached : add(lossSum, detached);
    summed++;
    const last = k + 1 === steps;
    const due = validation?.due(k + 1, last) ?? false;
    if ((k + 1) % readEvery !== 0 && !last && !due) continue;
    const [sum] = await lossSum.read();
    const mean = sum / summed;
    if (!Number.isFinite(mean)) {
      throw new Error(
        `fitAsync: the loss became ${mean} by step ${k + 1} (learning rate ${lr}); try a smaller learning rate`,
      );
    }
    let info: StepInfo = {
      step: k + 1,
      loss: mean,
      accuracy: batchAccuracy(out, yb, loss, await out.read()),
      lr,
    };
    if (due) {
      const t0 = performance.now();
      await evaluate();
      info = { ...info, ...validation?.check(k + 1, last) };
      validationMs += performance.now() - t0;
    }
    history.push(info);
    lossSum = null;
    summed = 0;
    await options.onStep?.(info);
    if (validation?.exhausted()) {
      stoppedBy = "patience";
      break;
    }
  }
  const final = history[history.length - 1];
  if (validation !== undefined && options.restoreBest !== false) {
    await toHost(parameters);
    weights.write(validation.bestWeights);
  }
  return {
    steps,
    stepsRun: final?.step ?? 0, // no resume here: the steps this call ran
    loss: final?.loss ?? Number.NaN,
    accuracy: final?.accuracy ?? Number.NaN,
    ms: performance.now() - start,
    stoppedBy,
    history,
    ...(validation && {
      validationMs,
      bestStep: validation.bestStep,
      valLoss: validation.bestLoss,
      valAccuracy: validation.bestAccuracy,
    }),
  };
}
