import { Optimizer, type OptimizerOptions, type ParamBlock, type Parameters } from "./optimizer.ts";

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
}
