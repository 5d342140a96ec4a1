import { backend, isHost } from "../../tensor/backend.ts";
import { add, div, gt, le, mul, sqrt } from "../../tensor/ops/elementwise.ts";
import { sum } from "../../tensor/ops/reduce.ts";
import { noGrad, Tensor } from "../../tensor/tensor.ts";

/**
 * True when some tensor's gradient is on a device (the webgpu backend), where `clipGradNorm`
 * cannot read it.
 *
 * @example
 * if (gradsOnDevice(model.parameters())) clipGradNormOnDevice(model.parameters(), 1);
 */
export function gradsOnDevice(parameters: readonly unknown[]): boolean {
  return parameters.some((p) => p instanceof Tensor && p.grad !== null && !isHost(p.grad.storage));
}

/**
 * `clipGradNorm` for gradients on a GPU, without reading anything back: the norm, the scale
 * (`maxNorm / (norm + 1e-6)` when the norm exceeds `maxNorm`, else 1) and the scaled gradients
 * are all computed there. Returns the norm before clipping as a one-number tensor (`await
 * norm.read()` to see it).
 *
 * @example
 * loss.backward();
 * clipGradNormOnDevice(model.parameters(), 1.0);
 * optimizer.step();
 */
export function clipGradNormOnDevice(parameters: readonly Tensor[], maxNorm: number): Tensor {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  return noGrad(() => {
    const grads = parameters.flatMap((p) => (p.grad === null ? [] : [p.grad]));
    const squares = grads.map((g) => sum(mul(g, g))).reduce(add, sum(new Tensor(new Float32Array(1), [])));
    const norm = sqrt(squares);
    // one of the two terms is 0, so the scale is exactly the clipped one or exactly 1
    const scale = add(mul(gt(norm, maxNorm), div(maxNorm, add(norm, 1e-6))), le(norm, maxNorm));
    const kern = backend();
    for (const g of grads) kern.binaryRows("mul", g.storage, scale.storage, g.storage);
    return norm;
  });
}
