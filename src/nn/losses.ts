import { Value } from "../engine/value.ts";

/**
 * A loss, defined per sample. `encode` turns a sample's target (a class index, or a number for
 * regression) into the numbers the loss compares against; `sample` measures the error of one
 * output vector against those numbers, held in `Value`s. Because the graph's shape never
 * depends on the target, a training step can be recorded once and replayed for any batch.
 *
 * @example
 * HINGE.encode(1, 1);     // [-1]: the numbers a class-1 target stands for
 * HINGE.classify([0.3]);  // 1
 */
export interface LossDef {
  /** The loss's name, as `fit`'s `loss` option takes it. */
  readonly name: LossName;
  /** The numbers a target stands for, given how many outputs the network has. */
  readonly encode: (target: number, outputs: number) => number[];
  /** The error of one sample. */
  readonly sample: (out: readonly Value[], target: readonly Value[]) => Value;
  /** The class a network output predicts. */
  readonly classify: (out: readonly number[]) => number;
  /** The class a target stands for, to compare with `classify` (default: the target itself). */
  readonly classOf?: (target: number) => number;
}

/**
 * Names of the built-in losses.
 *
 * @example
 * fit(model, data, { loss: "bce" satisfies LossName });
 */
export type LossName = "mse" | "hinge" | "bce" | "softmax";

/**
 * Mean squared error of the first output against the target: the design's first loss.
 *
 * @example
 * MSE.sample([new Value(3)], [new Value(1)]).data; // 4
 */
export const MSE: LossDef = {
  name: "mse",
  encode: (t) => [t],
  sample: (out, [t]) => out[0].sub(t).pow(2),
  classify: ([s]) => (s > 0.5 ? 1 : 0),
};

/**
 * Hinge loss on the first output as a score (micrograd's demo): `relu(1 - y·score)` with
 * y = +1 for class 1 and -1 for class 0 (targets may also be given as -1/+1).
 *
 * @example
 * HINGE.sample([new Value(0.5)], HINGE.encode(1, 1).map((v) => new Value(v))).data; // 0.5
 */
export const HINGE: LossDef = {
  name: "hinge",
  encode: (t) => [t > 0 ? -1 : 1], // -y, so that the sample is relu(1 + (-y)·score) as in micrograd
  sample: (out, [minusY]) => minusY.mul(out[0]).add(1).relu(),
  classify: ([s]) => (s > 0 ? 1 : 0),
  classOf: (t) => (t > 0 ? 1 : 0),
};

/**
 * Binary cross-entropy of the first output as a logit z against a 0/1 target, in the stable
 * form `max(z, 0) - z·y + log(1 + exp(-|z|))`, which never takes exp of a large number.
 *
 * @example
 * BCE.sample([new Value(0)], [new Value(1)]).data; // log 2 = 0.693
 */
export const BCE: LossDef = {
  name: "bce",
  encode: (t) => {
    if (t !== 0 && t !== 1) throw new RangeError(`binaryCrossEntropy: target must be 0 or 1, got ${t}`);
    return [t];
  },
  sample: ([z], [y]) => {
    // max, not relu: the kinks of max(z, 0) and |z| at z = 0 cancel in the sum, but only if
    // their gradients there are taken consistently (max splits a tie), giving σ(0) - y as PyTorch.
    const absZ = z.max(z.neg());
    return z.max(0).sub(z.mul(y)).add(absZ.neg().exp().add(1).log());
  },
  classify: ([z]) => (z > 0 ? 1 : 0),
};

/**
 * Softmax cross-entropy of a logit vector against a class index: `logsumexp(z) - z[target]`,
 * with the target as a one-hot vector (so `z[target]` = Σ onehot·z) and the maximum subtracted
 * inside logsumexp so exp never overflows.
 *
 * @example
 * SOFTMAX.encode(2, 3); // [0, 0, 1]: class 2 of 3 as a one-hot vector
 */
export const SOFTMAX: LossDef = {
  name: "softmax",
  encode: (t, outputs) => {
    if (!Number.isInteger(t) || t < 0 || t >= outputs) {
      throw new RangeError(`softmaxCrossEntropy: target ${t} is not a class index in [0, ${outputs})`);
    }
    return Array.from({ length: outputs }, (_, k) => (k === t ? 1 : 0));
  },
  sample: (z, onehot) => {
    let picked = z[0].mul(onehot[0]);
    for (let k = 1; k < z.length; k++) picked = picked.add(z[k].mul(onehot[k]));
    return logSumExp(z).sub(picked);
  },
  classify: (z) => z.indexOf(z.reduce((a, b) => Math.max(a, b), -Infinity)),
};

/**
 * The built-in losses by name.
 *
 * @example
 * const loss = LOSSES[name]; // name from a CLI flag, checked against LOSS_NAMES
 */
export const LOSSES: Readonly<Record<LossName, LossDef>> = {
  mse: MSE,
  hinge: HINGE,
  bce: BCE,
  softmax: SOFTMAX,
};

/**
 * Every loss name, for validating user input.
 *
 * @example
 * LOSS_NAMES; // ["mse", "hinge", "bce", "softmax"]
 */
export const LOSS_NAMES: readonly LossName[] = Object.keys(LOSSES) as LossName[];

/**
 * The mean of a loss over a batch: `outputs[i]` is the network's output for sample i.
 *
 * @example
 * const outputs = data.x.map((x) => model.forward(x));
 * const loss = batchLoss(LOSSES.hinge, outputs, data.y);
 */
export function batchLoss(
  loss: LossDef,
  outputs: readonly (readonly Value[])[],
  targets: readonly number[],
): Value {
  if (outputs.length === 0) throw new RangeError(`${loss.name}: the batch is empty`);
  if (outputs.length !== targets.length) {
    throw new RangeError(`${loss.name}: ${outputs.length} outputs but ${targets.length} targets`);
  }
  const targetValues = targets.map((t) => loss.encode(t, outputs[0].length).map((v) => new Value(v)));
  return meanOfSamples(loss, outputs, targetValues);
}

/**
 * The mean of per-sample losses, with the targets already as values.
 *
 * @example
 * const targets = data.y.map((t) => MSE.encode(t, 1).map((v) => new Value(v)));
 * const loss = meanOfSamples(MSE, outputs, targets);
 */
export function meanOfSamples(
  loss: LossDef,
  outputs: readonly (readonly Value[])[],
  targets: readonly (readonly Value[])[],
): Value {
  let total = loss.sample(outputs[0], targets[0]);
  for (let i = 1; i < outputs.length; i++) total = total.add(loss.sample(outputs[i], targets[i]));
  return total.div(outputs.length);
}

/**
 * Mean squared error over a batch (first output against each target).
 *
 * @example
 * const loss = mse([[new Value(0.5)], [new Value(2)]], [1, 2]); // ((0.5 - 1)² + 0) / 2 = 0.125
 */
export function mse(outputs: readonly (readonly Value[])[], targets: readonly number[]): Value {
  return batchLoss(MSE, outputs, targets);
}

/**
 * Mean hinge loss over a batch (first output as score; targets 0/1 or -1/+1).
 *
 * @example
 * const loss = hinge(data.x.map((x) => model.forward(x)), data.y).add(l2(model.parameters(), 1e-4));
 * loss.backward();
 */
export function hinge(outputs: readonly (readonly Value[])[], targets: readonly number[]): Value {
  return batchLoss(HINGE, outputs, targets);
}

/**
 * Mean binary cross-entropy over a batch (first output as logit; targets 0/1).
 *
 * @example
 * const loss = binaryCrossEntropy(data.x.map((x) => model.forward(x)), data.y); // y: 0 or 1
 * loss.backward();
 */
export function binaryCrossEntropy(
  outputs: readonly (readonly Value[])[],
  targets: readonly number[],
): Value {
  return batchLoss(BCE, outputs, targets);
}

/**
 * Mean softmax cross-entropy over a batch (outputs as logits; targets are class indices).
 *
 * @example
 * const model = new MLP(2, [16, 3]); // logits for 3 classes
 * const loss = softmaxCrossEntropy(data.x.map((x) => model.forward(x)), data.y);
 */
export function softmaxCrossEntropy(
  outputs: readonly (readonly Value[])[],
  targets: readonly number[],
): Value {
  return batchLoss(SOFTMAX, outputs, targets);
}

/**
 * log(sum(exp(z))), computed as m + log(sum(exp(z - m))) with m = max(z).
 *
 * @example
 * logSumExp([new Value(1), new Value(2), new Value(3)]).data; // 3.4076
 */
export function logSumExp(z: readonly Value[]): Value {
  let m = z[0];
  for (let k = 1; k < z.length; k++) m = m.max(z[k]);
  let sum: Value = z[0].sub(m).exp();
  for (let k = 1; k < z.length; k++) sum = sum.add(z[k].sub(m).exp());
  return m.add(sum.log());
}

/**
 * Softmax probabilities of a logit vector (as plain numbers, for predictions).
 *
 * @example
 * softmax([1, 2, 3]); // [0.090, 0.245, 0.665]
 */
export function softmax(z: readonly number[]): number[] {
  const m = z.reduce((a, b) => Math.max(a, b), -Infinity);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * L2 regularisation: `alpha · Σ p²` over the parameters.
 *
 * @example
 * const loss = mse(outputs, targets).add(l2(model.parameters(), 1e-4));
 */
export function l2(parameters: readonly Value[], alpha: number): Value {
  let sum = new Value(0);
  for (const p of parameters) sum = sum.add(p.mul(p));
  return sum.mul(alpha);
}
