import { Rng } from "../engine/random.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import { add } from "../tensor/ops/elementwise.ts";
import { noGrad, type Tensor } from "../tensor/tensor.ts";
import { batchOrder } from "./batch-order.ts";
import type { FitOptions, FitResult, StepInfo, TrainingData } from "./fit.ts";
import { batchSizeOf, fitLoss } from "./fit-loop.ts";
import { fitOptimizer } from "./fit-optimizer.ts";
import {
  batchAccuracy,
  batchGradients,
  checkedTensor,
  rowsOf,
  type TensorTrainingData,
} from "./fit-tensor.ts";

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
const UNSUPPORTED = [
  "validation",
  "patience",
  "evalEvery",
  "checkpointEvery",
  "onCheckpoint",
  "resume",
  "targetLoss",
  "targetAccuracy",
] as const;

/**
 * `fit` for tensor models on any backend, built for the GPU (webgpu): the steps are queued
 * without waiting, the losses are summed where they are computed, and the host reads them
 * only every `readEvery` steps. On js and wasm it trains exactly as `fit` does (the same
 * batches, the same updates); `onStep` comes every `readEvery` steps with the mean loss since the
 * last one. Validation, checkpoints and early stopping need a number every step: use `fit` for
 * those (on js or wasm).
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
  model.train();
  const per = data.y.length / n; // targets per sample: 1, or `time` for a sequence model
  const step = { model, optimizer, x, y: data.y, per, loss, l2, size, gradClip: options.gradClip };
  const history: StepInfo[] = [];
  const start = performance.now();
  let lossSum: Tensor | null = null; // on the device: the losses since the last read, summed there
  let summed = 0;
  for (let k = 0; k < steps; k++) {
    const indices = nextBatch();
    const lr = optimizer.currentLr();
    const { out, total, yb } = batchGradients(step, indices);
    optimizer.step();
    const detached = total.detach();
    lossSum = lossSum === null ? detached : add(lossSum, detached);
    summed++;
    if ((k + 1) % readEvery !== 0 && k + 1 !== steps) continue;
    const [sum] = await lossSum.read();
    const mean = sum / summed;
    if (!Number.isFinite(mean)) {
      throw new Error(
        `fitAsync: the loss became ${mean} by step ${k + 1} (learning rate ${lr}); try a smaller learning rate`,
      );
    }
    const info: StepInfo = {
      step: k + 1,
      loss: mean,
      accuracy: batchAccuracy(out, yb, loss, await out.read()),
      lr,
    };
    history.push(info);
    lossSum = null;
    summed = 0;
    await options.onStep?.(info);
  }
  const last = history[history.length - 1];
  return {
    steps,
    stepsRun: steps, // no resume here: every step ran in this call
    loss: last?.loss ?? Number.NaN,
    accuracy: last?.accuracy ?? Number.NaN,
    ms: performance.now() - start,
    stoppedBy: "steps",
    history,
  };
}
