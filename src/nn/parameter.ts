import { Value } from "../engine/value.ts";
import { backend, isHost } from "../tensor/backend.ts";
import { Tensor } from "../tensor/tensor.ts";

/**
 * A flat run of parameters and their gradients: the form every optimiser updates.
 *
 * @example
 * const block: ParamBlock = { data: new Float64Array(10), grad: new Float64Array(10) };
 * new SGD([block], { lr: 0.1 }).step(); // data -= 0.1 * grad
 */
export interface ParamBlock {
  /** Parameter values, updated in place. */
  readonly data: Float64Array | Float32Array;
  /** Their gradients, read by `step()` and cleared by `zeroGrad()`. */
  readonly grad: Float64Array | Float32Array;
}

/**
 * Something that stores its parameters as a block (tensors do). Asked anew at each step.
 *
 * @example
 * new Adam([tensor([1, 2], { requiresGrad: true })], { lr: 0.01 }); // a tensor is a HasParamBlock
 */
export interface HasParamBlock {
  /** The object's parameters and gradients as one block. */
  paramBlock(): ParamBlock;
}

/**
 * What an optimiser can update: scalar values, or blocks of numbers.
 *
 * @example
 * const params: Parameter[] = [...model.parameters(), tensor([1, 2], { requiresGrad: true })];
 */
export type Parameter = Value | ParamBlock | HasParamBlock;

/**
 * The block of numbers behind a non-scalar parameter.
 *
 * @example
 * blockOf(tensor([1, 2], { requiresGrad: true })).grad; // the tensor's gradient numbers
 */
export function blockOf(p: ParamBlock | HasParamBlock): ParamBlock {
  return "paramBlock" in p ? p.paramBlock() : p;
}

/**
 * Sets the gradient of every parameter to zero: the one `zeroGrad` that modules (scalar and
 * tensor) and optimisers share.
 *
 * @example
 * zeroGrads(model.parameters()); // what model.zeroGrad() and optimizer.zeroGrad() do
 */
export function zeroGrads(parameters: readonly Parameter[]): void {
  for (const p of parameters) {
    if (p instanceof Value) p.grad = 0;
    else if (p instanceof Tensor) {
      const g = p.gradData(); // on the GPU on the webgpu backend
      if (isHost(g)) g.fill(0);
      else backend().fill(g, 0);
    } else blockOf(p).grad.fill(0);
  }
}
