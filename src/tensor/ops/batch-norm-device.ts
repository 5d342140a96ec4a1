import { backend } from "../backend.ts";
import { release, scratch, type Tensor, toDevice } from "../tensor.ts";
import { add, div, mul, sqrt, sub } from "./elementwise.ts";
import { reshape } from "./movement.ts";
import { mean } from "./reduce.ts";

// Batch normalisation on a device backend (webgpu), as the composition of ops the fused host op
// is tested against: every step is then a kernel on the GPU, and the gradients are those of the
// parts. The running statistics are updated in place on the GPU, with kernels.

/**
 * @internal `batchNorm` on a device backend (the arguments are checked by `batchNorm`): the
 * batch's statistics (updating the running ones) in training, the running ones in evaluation.
 */
export function batchNormComposite(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  training: boolean,
  momentum: number,
  eps: number,
): Tensor {
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  let mu: Tensor;
  let variance: Tensor;
  if (training) {
    mu = mean(x, { axis: axes, keepdims: true });
    const d = sub(x, mu);
    variance = mean(mul(d, d), { axis: axes, keepdims: true });
    const count = x.size / x.shape[1];
    if (runningMean !== null) blend(runningMean, mu, momentum, 1);
    if (runningVar !== null) blend(runningVar, variance, momentum, count / (count - 1)); // unbiased
  } else {
    mu = reshape(runningMean as Tensor, perChannel);
    variance = reshape(runningVar as Tensor, perChannel);
  }
  let y = div(sub(x, mu), sqrt(add(variance, eps)));
  if (weight !== null) y = mul(y, reshape(weight, perChannel));
  if (bias !== null) y = add(y, reshape(bias, perChannel));
  return y;
}

/** `running = (1 − momentum)·running + momentum·scale·batch`, on the GPU, outside the graph. */
function blend(running: Tensor, batch: Tensor, momentum: number, scale: number): void {
  const k = backend();
  const r = toDevice(running);
  const t = scratch(running.dtype, running.size);
  k.binaryScalar("mul", batch.storage, momentum * scale, t);
  k.binaryScalar("mul", r, 1 - momentum, r);
  k.binary("add", r, t, r);
  release(t);
}
