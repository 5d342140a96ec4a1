import { tensor } from "../tensor/create.ts";
import { abs, add, exp, log, mul, neg, relu, sub } from "../tensor/ops/elementwise.ts";
import { crossEntropy, meanSquaredError } from "../tensor/ops/loss.ts";
import { slice } from "../tensor/ops/movement.ts";
import { mean, sum } from "../tensor/ops/reduce.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { LossName } from "./losses.ts";

/**
 * The mean of a built-in loss over a batch, on tensors: `outputs` is `[batch, outputs]`, and
 * each loss means what it means for the scalar engine (`LOSSES`), so both engines give the
 * same number. `softmax` is the fused `crossEntropy`; the others use the first output. For a
 * sequence model `softmax` also takes `[batch, time, classes]` outputs with one target per
 * position (row-major); a target of -1 (padding) counts for nothing.
 *
 * @example
 * const loss = tensorLoss("softmax", net.forward(tensor(data.x)), data.y);
 * loss.backward();
 */
export function tensorLoss(name: LossName, outputs: Tensor, targets: readonly number[]): Tensor {
  if (name === "softmax" && outputs.ndim === 3) return crossEntropy(outputs, targets, { ignoreIndex: -1 });
  if (outputs.ndim !== 2)
    throw new RangeError(`${name}: outputs must be [batch, outputs], got [${outputs.shape.join(",")}]`);
  const rows = outputs.shape[0];
  if (rows === 0) throw new RangeError(`${name}: the batch is empty`);
  if (rows !== targets.length) throw new RangeError(`${name}: ${rows} outputs but ${targets.length} targets`);
  if (name === "softmax") return crossEntropy(outputs, targets);
  const first = outputs.shape[1] === 1 ? outputs : slice(outputs, [null, [0, 1]]);
  const column = (values: number[]): Tensor => tensor(values, { dtype: outputs.dtype, shape: [rows, 1] });
  switch (name) {
    case "mse":
      return meanSquaredError(first, column([...targets]));
    case "hinge": {
      // relu(1 − y·score) with y = ±1
      const y = column(targets.map((t) => (t > 0 ? 1 : -1)));
      return mean(relu(sub(1, mul(y, first))));
    }
    case "bce": {
      for (const t of targets)
        if (t !== 0 && t !== 1) throw new RangeError(`binaryCrossEntropy: target must be 0 or 1, got ${t}`);
      // max(z, 0) − z·y + log(1 + exp(−|z|)): never exp of a large number
      const y = column([...targets]);
      return mean(add(sub(relu(first), mul(first, y)), log(add(exp(neg(abs(first))), 1))));
    }
    default:
      throw new RangeError(`tensorLoss: unknown loss "${name as string}"`);
  }
}

/**
 * L2 regularisation on tensors: `alpha · Σ p²` over the parameters.
 *
 * @example
 * const loss = add(tensorLoss("hinge", net.forward(x), data.y), tensorL2(net.parameters(), 1e-4));
 */
export function tensorL2(parameters: readonly Tensor[], alpha: number): Tensor {
  let total = mul(sum(mul(parameters[0], parameters[0])), alpha);
  for (let i = 1; i < parameters.length; i++)
    total = add(total, mul(sum(mul(parameters[i], parameters[i])), alpha));
  return total;
}
