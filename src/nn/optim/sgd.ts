import { backend, type Storage } from "../../tensor/backend.ts";
import { release, scratch } from "../../tensor/tensor.ts";
import {
  type DeviceBlock,
  Optimizer,
  type OptimizerOptions,
  type ParamBlock,
  type Parameters,
} from "./optimizer.ts";

/**
 * Options of stochastic gradient descent.
 *
 * @example
 * new SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 5e-4 });
 */
export interface SGDOptions extends OptimizerOptions {
  /** Fraction of the last update carried into this one (default 0: plain gradient descent). */
  readonly momentum?: number;
}

/**
 * Gradient descent: `p -= lr · grad`, optionally with momentum
 * (`v = momentum · v + grad; p -= lr · v`, as PyTorch does).
 *
 * @example
 * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * optimizer.zeroGrad();
 * loss.backward();
 * optimizer.step();
 */
export class SGD extends Optimizer {
  /** Fraction of the previous update carried into the next (0: plain SGD). */
  readonly momentum: number;
  readonly #velocity: Float64Array[] = [];
  readonly #deviceVelocity: Storage[] = [];

  constructor(parameters: Parameters, options: SGDOptions) {
    super(parameters, options);
    const { momentum = 0 } = options;
    if (!(momentum >= 0 && momentum < 1))
      throw new RangeError(`SGD: momentum must be in [0, 1), got ${momentum}`);
    this.momentum = momentum;
  }

  protected update(index: number, { data, grad }: ParamBlock, lr: number): void {
    const mu = this.momentum;
    if (mu === 0) {
      for (let i = 0; i < data.length; i++) data[i] -= lr * grad[i];
      return;
    }
    let v = this.#velocity[index];
    if (v === undefined) {
      v = this.#velocity[index] = Float64Array.from(grad);
    } else {
      for (let i = 0; i < v.length; i++) v[i] = mu * v[i] + grad[i];
    }
    for (let i = 0; i < data.length; i++) data[i] -= lr * v[i];
  }

  protected override buffers(): Record<string, Float64Array[]> {
    return { velocity: this.#velocity };
  }

  /** The same rule on the GPU: `v = μ·v + g` (v = g at first), `data −= lr·v`. */
  protected override updateOnDevice(index: number, { data, grad }: DeviceBlock, lr: number): void {
    const k = backend();
    let step = grad;
    if (this.momentum !== 0) {
      let v = this.#deviceVelocity[index];
      if (v === undefined) {
        v = this.#deviceVelocity[index] = scratch("float32", grad.length);
        k.binary("add", v, grad, v);
      } else {
        k.binaryScalar("mul", v, this.momentum, v);
        k.binary("add", v, grad, v);
      }
      step = v;
    }
    const t = scratch("float32", data.length);
    k.binaryScalar("mul", step, lr, t);
    k.binary("sub", data, t, data);
    release(t);
  }

  protected override hasDeviceState(): boolean {
    return this.#deviceVelocity.length > 0;
  }
}
