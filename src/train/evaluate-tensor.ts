import { noGrad } from "../engine/grad-mode.ts";
import { LOSSES, type LossDef, type LossName } from "../nn/losses.ts";
import { tensorLoss } from "../nn/tensor-losses.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import { Tensor } from "../tensor/tensor.ts";
import { accuracy } from "./metrics.ts";

/**
 * A tensor model's figures on a dataset.
 *
 * @example
 * const { loss, accuracy, predicted }: TensorEvaluation = evaluateTensor(net, { x, y }, { loss: "softmax" });
 */
export interface TensorEvaluation {
  /** Mean loss over the samples (no L2 penalty), as `evaluate` measures it for a scalar MLP. */
  readonly loss: number;
  /** Fraction of samples classified right (meaningless for regression). */
  readonly accuracy: number;
  /** The class the model predicts for each sample. */
  readonly predicted: number[];
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
  data: { readonly x: Tensor; readonly y: readonly number[] },
  options: { readonly loss: LossName },
): TensorEvaluation {
  const def: LossDef | undefined = Object.hasOwn(LOSSES, options.loss) ? LOSSES[options.loss] : undefined;
  if (def === undefined) throw new RangeError(`evaluateTensor: unknown loss "${options.loss}"`);
  const { x, y } = data;
  if (x.ndim < 2) {
    throw new RangeError(`evaluateTensor: x must be [samples, features], got [${x.shape.join(",")}]`);
  }
  const n = x.shape[0];
  const row = x.shape.slice(1);
  const features = n === 0 ? 0 : x.size / n;
  if (n !== y.length) throw new RangeError(`evaluateTensor: ${n} samples but ${y.length} labels`);
  const wasTraining = model.training;
  model.eval();
  let sum = 0;
  const predicted: number[] = [];
  try {
    noGrad(() => {
      for (let from = 0; from < n; from += CHUNK) {
        const rows = Math.min(CHUNK, n - from);
        const numbers = x.data.subarray(from * features, (from + rows) * features);
        const chunk = new Tensor(numbers, [rows, ...row]);
        const targets = y.slice(from, from + rows);
        const out = model.forward(chunk);
        sum += tensorLoss(options.loss, out, targets).item() * rows;
        const cols = out.size / rows;
        for (let r = 0; r < rows; r++)
          predicted.push(def.classify(Array.from(out.data.subarray(r * cols, (r + 1) * cols))));
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return {
    loss: n === 0 ? Number.NaN : sum / n,
    accuracy: accuracy(predicted, def.classOf ? y.map(def.classOf) : (y as number[])),
    predicted,
  };
}
