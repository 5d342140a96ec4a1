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
 * Options of Adam.
 *
 * @example
 * new Adam(model.parameters(), { lr: cosine(0.01, 1000), beta1: 0.9, beta2: 0.999, weightDecay: 1e-4 });
 */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the running mean of gradients (default 0.9). */
  readonly beta1?: number;
  /** Decay of the running mean of squared gradients (default 0.999). */
  readonly beta2?: number;
  /** Added to the denominator so it is never zero (default 1e-8). */
  readonly eps?: number;
}

/**
 * Adam (Kingma & Ba, 2015): per-parameter step sizes from running moments of the gradient.
 *
 * @example
 * const optimizer = new Adam(model.parameters(), { lr: 0.01 });
 * for (let step = 0; step < 100; step++) {
 *   const loss = hinge(data.x.map((x) => model.forward(x)), data.y);
 *   optimizer.zeroGrad();
 *   loss.backward();
 *   optimizer.step();
 * }
 */
export class Adam extends Optimizer {
  /** Decay of the running mean of gradients. */
  readonly beta1: number;
  /** Decay of the running mean of squared gradients. */
  readonly beta2: number;
  /** Added to the denominator so it is never zero. */
  readonly eps: number;
  readonly #m: Float64Array[] = [];
  readonly #v: Float64Array[] = [];
  readonly #deviceM: Storage[] = [];
  readonly #deviceV: Storage[] = [];

  constructor(parameters: Parameters, options: AdamOptions) {
    super(parameters, options);
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = options;
    for (const [name, b] of [
      ["beta1", beta1],
      ["beta2", beta2],
    ] as const) {
      if (!(b >= 0 && b < 1)) throw new RangeError(`Adam: ${name} must be in [0, 1), got ${b}`);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  protected update(index: number, { data, grad }: ParamBlock, lr: number): void {
    if (this.#m[index] === undefined) {
      this.#m[index] = new Float64Array(data.length);
      this.#v[index] = new Float64Array(data.length);
    }
    const m = this.#m[index];
    const v = this.#v[index];
    const { beta1, beta2, eps } = this;
    const t = this.stepCount + 1;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let i = 0; i < data.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      data[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  }

  protected override buffers(): Record<string, Float64Array[]> {
    return { m: this.#m, v: this.#v };
  }

  /** The same rule on the GPU, one kernel per term (float32 moments). */
  protected override updateOnDevice(index: number, { data, grad }: DeviceBlock, lr: number): void {
    const k = backend();
    const n = data.length;
    if (this.#deviceM[index] === undefined) {
      this.#deviceM[index] = scratch("float32", n);
      this.#deviceV[index] = scratch("float32", n);
    }
    const m = this.#deviceM[index];
    const v = this.#deviceV[index];
    const { beta1, beta2, eps } = this;
    const t = this.stepCount + 1;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const a = scratch("float32", n);
    const b = scratch("float32", n);
    // m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
    k.binaryScalar("mul", m, beta1, m);
    k.binaryScalar("mul", grad, 1 - beta1, a);
    k.binary("add", m, a, m);
    k.binary("mul", grad, grad, a);
    k.binaryScalar("mul", a, 1 - beta2, a);
    k.binaryScalar("mul", v, beta2, v);
    k.binary("add", v, a, v);
    // data −= lr·(m/c1) / (√(v/c2) + ε)
    k.binaryScalar("mul", v, 1 / c2, a);
    k.unary("sqrt", a, a, 0);
    k.binaryScalar("add", a, eps, a);
    k.binaryScalar("mul", m, lr / c1, b);
    k.binary("div", b, a, b);
    k.binary("sub", data, b, data);
    release(a);
    release(b);
  }

  protected override hasDeviceState(): boolean {
    return this.#deviceM.length > 0;
  }
}
