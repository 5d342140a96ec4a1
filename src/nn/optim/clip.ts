import { Value } from "../../engine/value.ts";
import { blockOf, type Parameter } from "../parameter.ts";
import { gradsOnDevice } from "./clip-device.ts";

/**
 * Gradient-norm clipping, as PyTorch's `clip_grad_norm_`: when the L2 norm of all the gradients
 * together exceeds `maxNorm`, every gradient is scaled by `maxNorm / norm`, so one bad batch
 * cannot throw the weights far. Returns the norm before clipping. Call it between
 * `backward()` and `optimizer.step()`.
 *
 * @example
 * loss.backward();
 * clipGradNorm(model.parameters(), 1.0);
 * optimizer.step();
 */
export function clipGradNorm(parameters: readonly Parameter[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  if (gradsOnDevice(parameters))
    throw new Error(
      "clipGradNorm: the gradients are on the GPU: use clipGradNormOnDevice (fit and fitAsync do)",
    );
  let squares = 0;
  for (const p of parameters) {
    if (p instanceof Value) squares += p.grad * p.grad;
    else for (const g of blockOf(p).grad) squares += g * g;
  }
  const norm = Math.sqrt(squares);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const p of parameters) {
      if (p instanceof Value) p.grad *= scale;
      else {
        const { grad } = blockOf(p);
        for (let i = 0; i < grad.length; i++) grad[i] *= scale;
      }
    }
  }
  return norm;
}
