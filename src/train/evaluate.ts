import { noGrad } from "../engine/grad-mode.ts";
import { OPS } from "../engine/ops.ts";
import { Value } from "../engine/value.ts";
import type { Activation } from "../nn/activation.ts";
import { LOSSES, type LossName, softmax } from "../nn/losses.ts";
import type { MLP } from "../nn/mlp.ts";
import { accuracy } from "./metrics.ts";

/**
 * A model's figures on a dataset.
 *
 * @example
 * const { loss, accuracy, predicted, probabilities }: Evaluation = evaluate(model, test, { loss: "softmax" });
 */
export interface Evaluation {
  /** Mean loss over the samples (no L2 penalty). */
  readonly loss: number;
  /** Fraction of samples classified right (meaningless for regression). */
  readonly accuracy: number;
  /** The class the model predicts for each sample. */
  readonly predicted: number[];
  /** The raw network outputs for each sample. */
  readonly outputs: number[][];
  /**
   * Class probabilities for each sample when the loss defines them: softmax of the logits for
   * `softmax`, sigmoid of the logit for `bce` (as [P(0), P(1)]); undefined for `hinge` and `mse`.
   */
  readonly probabilities?: number[][];
}

/**
 * The loss a model trained with by default: `softmax` for several outputs, else `hinge` (as `fit`).
 *
 * @example
 * defaultLoss(new MLP(2, [16, 3])); // "softmax"
 */
export function defaultLoss(model: MLP): LossName {
  return model.sizes[model.sizes.length - 1] > 1 ? "softmax" : "hinge";
}

/**
 * Runs the model on every sample and measures its mean loss, accuracy and predictions, without
 * touching gradients.
 *
 * @example
 * const { loss, accuracy } = evaluate(model, testSet, { loss: "softmax" });
 */
export function evaluate(
  model: MLP,
  data: { readonly x: readonly (readonly number[])[]; readonly y: readonly number[] },
  options: { readonly loss?: LossName } = {},
): Evaluation {
  const lossName = options.loss ?? defaultLoss(model);
  const def = Object.hasOwn(LOSSES, lossName) ? LOSSES[lossName] : undefined;
  if (def === undefined) throw new RangeError(`evaluate: unknown loss "${lossName}"`);
  if (data.x.length !== data.y.length) {
    throw new RangeError(`evaluate: ${data.x.length} samples but ${data.y.length} labels`);
  }
  const outputs = data.x.map((row, i) => {
    if (row.length !== model.nin) {
      throw new RangeError(`evaluate: sample ${i} has ${row.length} features, the model takes ${model.nin}`);
    }
    return forwardNumbers(model, row);
  });
  // The loss is measured with the loss's own Value code, under noGrad: nothing recorded or kept.
  let sum = 0;
  noGrad(() =>
    outputs.forEach((out, i) => {
      const target = def.encode(data.y[i], out.length).map((t) => new Value(t));
      sum += def.sample(
        out.map((o) => new Value(o)),
        target,
      ).data;
    }),
  );
  const predicted = outputs.map((o) => def.classify(o));
  const probabilities =
    lossName === "softmax"
      ? outputs.map((o) => softmax(o))
      : lossName === "bce"
        ? outputs.map(([z]) => {
            const p = 1 / (1 + Math.exp(-z));
            return [1 - p, p];
          })
        : undefined;
  return {
    loss: outputs.length === 0 ? Number.NaN : sum / outputs.length,
    accuracy: accuracy(predicted, def.classOf ? data.y.map(def.classOf) : (data.y as number[])),
    predicted,
    outputs,
    probabilities,
  };
}

const ACTIVATE: Readonly<Record<Activation, (x: number) => number>> = {
  relu: (x) => OPS.relu.forward(x),
  tanh: (x) => OPS.tanh.forward(x),
  sigmoid: (x) => OPS.sigmoid.forward(x),
  linear: (x) => x,
};

/**
 * The network's outputs on plain numbers, with the same operations in the same order as
 * `model.predict` (so the same results), but without building a graph of `Value`s.
 */
function forwardNumbers(model: MLP, x: readonly number[]): number[] {
  let h: readonly number[] = x;
  for (const layer of model.layers) {
    h = layer.neurons.map((neuron) => {
      let sum = neuron.b.data;
      for (let i = 0; i < neuron.w.length; i++) sum += neuron.w[i].data * h[i];
      return ACTIVATE[neuron.activation](sum);
    });
  }
  return h as number[];
}
