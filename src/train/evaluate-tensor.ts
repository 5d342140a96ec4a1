import { noGrad } from "../engine/grad-mode.ts";
import { LOSSES, type LossDef, type LossName } from "../nn/losses.ts";
import { tensorLoss } from "../nn/tensor-losses.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import type { Data } from "../tensor/backend.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type Labels, labelRange } from "./labels.ts";
import { accuracy } from "./metrics.ts";
import { predictedClass } from "./predicted-class.ts";

/**
 * A tensor model's figures on a dataset.
 *
 * @example
 * const { loss, accuracy, predicted }: TensorEvaluation = evaluateTensor(net, { x, y }, { loss: "softmax" });
 */
export interface TensorEvaluation {
  /** Mean loss over the samples (no L2 penalty), as `evaluate` measures it for a scalar MLP; over the (non-padding) targets for a sequence model. */
  readonly loss: number;
  /** Fraction of samples classified right (meaningless for regression). */
  readonly accuracy: number;
  /** The class the model predicts for each sample (each target position of a sequence model). */
  readonly predicted: number[];
  /** How many targets the loss is the mean of: the samples, or a sequence model's non-padding targets. */
  readonly count: number;
}

/** Rows per forward pass: bounds the memory an evaluation of a large set takes. */
const CHUNK = 1024;

/**
 * Runs a tensor model on every sample of `x` (`[samples, features]`, or `[samples, ...]`) in evaluation mode
 * (dropout off) under `noGrad`, and measures its mean loss, accuracy and predicted classes:
 * the tensor twin of `evaluate`, giving the same numbers for the same weights. The model's
 * training mode is put back afterwards.
 *
 * @example
 * const { loss, accuracy } = evaluateTensor(net, { x: tensor(test.x), y: test.y }, { loss: "softmax" });
 */
export function evaluateTensor(
  model: TensorModule,
  data: { readonly x: Tensor; readonly y: Labels },
  options: { readonly loss: LossName },
): TensorEvaluation {
  const read: Pass<Data, number>[] = [];
  // each chunk read as soon as it is computed: one chunk's outputs alive at a time
  const { def, per } = evaluationPasses(model, data, options.loss, (p) =>
    read.push({ ...p, out: p.out.data, loss: p.loss?.item() ?? 0 }),
  );
  return figures(def, data.y, per, read);
}

/**
 * `evaluateTensor` for a model on the GPU (the webgpu backend): the same figures, read back
 * once every chunk's forward pass is queued. On js and wasm it gives what `evaluateTensor` gives.
 *
 * @example
 * await init("webgpu");
 * const { loss, accuracy } = await evaluateTensorAsync(net, { x: tensor(test.x), y: test.y }, { loss: "softmax" });
 */
export async function evaluateTensorAsync(
  model: TensorModule,
  data: { readonly x: Tensor; readonly y: Labels },
  options: { readonly loss: LossName },
): Promise<TensorEvaluation> {
  const passes: Pass<Tensor, Tensor | null>[] = [];
  const { def, per } = evaluationPasses(model, data, options.loss, (p) => passes.push(p));
  const read = await Promise.all(
    passes.map(async (p) => ({
      ...p,
      out: await p.out.read(),
      loss: p.loss === null ? 0 : (await p.loss.read())[0],
    })),
  );
  return figures(def, data.y, per, read);
}

/** One chunk's forward pass: its outputs, its mean loss (null with no counted target), its targets. */
interface Pass<T, L> {
  readonly out: T;
  readonly loss: L;
  readonly targets: readonly number[];
  readonly counted: number;
}

/**
 * The model on every sample of `x` in chunks, in evaluation mode (dropout off) under `noGrad`:
 * `each` gets each chunk's outputs and mean loss as tensors, unread (on a GPU they may not be
 * computed yet).
 */
function evaluationPasses(
  model: TensorModule,
  data: { readonly x: Tensor; readonly y: Labels },
  loss: LossName,
  each: (pass: Pass<Tensor, Tensor | null>) => void,
): { def: LossDef; per: number } {
  const def: LossDef | undefined = Object.hasOwn(LOSSES, loss) ? LOSSES[loss] : undefined;
  if (def === undefined) throw new RangeError(`evaluateTensor: unknown loss "${loss}"`);
  const { x, y } = data;
  if (x.ndim < 2) {
    throw new RangeError(`evaluateTensor: x must be [samples, features], got [${x.shape.join(",")}]`);
  }
  const n = x.shape[0];
  const row = x.shape.slice(1);
  const features = n === 0 ? 0 : x.size / n;
  if (y.length === 0 ? n !== 0 : y.length % n !== 0)
    throw new RangeError(`evaluateTensor: ${n} samples but ${y.length} labels`);
  const per = n === 0 ? 1 : y.length / n; // targets per sample (a sequence model has several)
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      // a sequence model's chunk holds about CHUNK positions
      const chunkRows = Math.max(1, Math.floor(CHUNK / per));
      for (let from = 0; from < n; from += chunkRows) {
        const rows = Math.min(chunkRows, n - from);
        const numbers = x.data.subarray(from * features, (from + rows) * features);
        const chunk = new Tensor(numbers, [rows, ...row]);
        const targets = labelRange(y, from * per, (from + rows) * per);
        const out = model.forward(chunk);
        const counted = per === 1 ? rows : targets.filter((t) => t !== -1).length;
        each({ out, loss: counted > 0 ? tensorLoss(loss, out, targets) : null, targets, counted });
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return { def, per };
}

/** Mean loss, accuracy and predicted classes from the chunks' numbers. */
function figures(
  def: LossDef,
  y: Labels,
  per: number,
  passes: readonly Pass<Data, number>[],
): TensorEvaluation {
  let sum = 0;
  let count = 0;
  const predicted: number[] = [];
  for (const { out, loss, targets, counted } of passes) {
    sum += loss * counted;
    count += counted;
    const cols = out.length / targets.length;
    for (let r = 0; r < targets.length; r++)
      predicted.push(predictedClass(def, out.subarray(r * cols, (r + 1) * cols)));
  }
  return {
    loss: count === 0 ? Number.NaN : sum / count,
    accuracy:
      per === 1
        ? accuracy(predicted, def.classOf ? Array.from(y, def.classOf) : Array.from(y))
        : sequenceAccuracy(predicted, y),
    predicted,
    count,
  };
}

/** The fraction of a sequence model's non-padding targets (not -1) predicted right. */
function sequenceAccuracy(predicted: readonly number[], targets: Labels): number {
  let right = 0;
  let counted = 0;
  for (let i = 0; i < targets.length; i++) {
    if (targets[i] === -1) continue;
    counted++;
    if (predicted[i] === targets[i]) right++;
  }
  return counted === 0 ? Number.NaN : right / counted;
}
