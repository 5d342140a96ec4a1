import { Value } from "../../engine/value.ts";
import { backend, isHost, type Storage } from "../../tensor/backend.ts";
import { release, scratch, Tensor, toDevice } from "../../tensor/tensor.ts";
import { blockOf, type HasParamBlock, type ParamBlock, type Parameter, zeroGrads } from "../parameter.ts";
import type { Schedule } from "./schedule.ts";

export type { HasParamBlock, ParamBlock, Parameter } from "../parameter.ts";

/**
 * Parameters to train: a list, or anything that lists them (any `Module`, scalar or tensor).
 *
 * @example
 * new Adam(model, { lr: 0.01 }); // the same as new Adam(model.parameters(), { lr: 0.01 })
 */
export type Parameters = readonly Parameter[] | HasParameters;

/**
 * Anything that lists its trainable parameters: every `Module`, scalar or tensor.
 *
 * @example
 * const source: HasParameters = new MLP(2, [4, 1]);
 * new SGD(source, { lr: 0.1 });
 */
export interface HasParameters {
  /** The parameters, in a fixed order. */
  parameters(): readonly Parameter[];
}

/**
 * Options every optimiser takes.
 *
 * @example
 * new SGD(params, { lr: linearDecay(1, 0.1, 100), weightDecay: 1e-4 });
 */
export interface OptimizerOptions {
  /** Step size, fixed or as a schedule over update steps. */
  readonly lr: number | Schedule;
  /** L2 penalty added to each gradient: `grad + weightDecay · param` (default 0). */
  readonly weightDecay?: number;
}

/**
 * Updates parameters from their gradients. Written once for any parameter: scalar `Value`s are
 * gathered into one block, tensors give theirs, and each optimiser only sees flat arrays.
 *
 * @example
 * const optimizer: Optimizer = new SGD(model.parameters(), { lr: 0.1 });
 * optimizer.zeroGrad();
 * loss.backward();
 * optimizer.step();
 */
export abstract class Optimizer {
  /** How many updates have been made. */
  stepCount = 0;
  /** Step size, fixed or as a function of the step. */
  readonly lr: number | Schedule;
  /** Added to each gradient times the parameter (L2 weight decay). */
  readonly weightDecay: number;
  readonly #values: Value[];
  readonly #blocks: readonly (ParamBlock | HasParamBlock)[];
  readonly #parameters: readonly Parameter[];
  readonly #scalars: ParamBlock;
  /** Per block: gradient plus weight decay, so that the block's own gradients are not changed. */
  readonly #decayed: Float64Array[] = [];

  constructor(params: Parameters, options: OptimizerOptions) {
    const parameters = "parameters" in params ? params.parameters() : params;
    const { lr, weightDecay = 0 } = options;
    if (typeof lr === "number" && !(lr > 0 && Number.isFinite(lr))) {
      throw new RangeError(`optimizer: learning rate must be a positive number, got ${lr}`);
    }
    if (!(weightDecay >= 0)) throw new RangeError(`optimizer: weightDecay must be >= 0, got ${weightDecay}`);
    this.lr = lr;
    this.weightDecay = weightDecay;
    this.#parameters = parameters;
    this.#values = parameters.filter((p): p is Value => p instanceof Value);
    this.#blocks = parameters.filter((p): p is ParamBlock | HasParamBlock => !(p instanceof Value));
    const n = this.#values.length;
    this.#scalars = { data: new Float64Array(n), grad: new Float64Array(n) };
  }

  /** The step size for the next update. */
  currentLr(): number {
    return typeof this.lr === "number" ? this.lr : this.lr(this.stepCount);
  }

  /** One update of every parameter from its current gradient. */
  step(): void {
    const lr = this.currentLr();
    if (!(lr >= 0 && Number.isFinite(lr))) {
      throw new RangeError(`optimizer: the learning-rate schedule gave ${lr} at step ${this.stepCount}`);
    }
    const values = this.#values;
    const scalars = this.#scalars;
    if (values.length > 0) {
      for (let i = 0; i < values.length; i++) {
        scalars.data[i] = values[i].data;
        scalars.grad[i] = values[i].grad;
      }
      this.#update(0, scalars, lr);
      for (let i = 0; i < values.length; i++) values[i].data = scalars.data[i];
    }
    for (const [k, p] of this.#blocks.entries()) {
      // a tensor whose gradient is on the GPU is updated there (it moves there on its first step)
      if (p instanceof Tensor && p.grad !== null && !isHost(p.grad.storage))
        this.#updateOnDevice(k + 1, p, lr);
      else this.#update(k + 1, blockOf(p), lr);
    }
    this.stepCount++;
  }

  /** Sets every gradient to zero. */
  zeroGrad(): void {
    zeroGrads(this.#parameters);
  }

  #update(index: number, block: ParamBlock, lr: number): void {
    const wd = this.weightDecay;
    if (wd > 0) {
      // Into a scratch array, as PyTorch does: the caller's gradients stay as backward left them.
      const { data, grad } = block;
      let decayed = this.#decayed[index];
      if (decayed?.length !== grad.length) decayed = this.#decayed[index] = new Float64Array(grad.length);
      for (let i = 0; i < data.length; i++) decayed[i] = grad[i] + wd * data[i];
      this.update(index, { data, grad: decayed }, lr);
      return;
    }
    this.update(index, block, lr);
  }

  /** Updates block number `index` (its state is kept per index) with step size `lr`. */
  protected abstract update(index: number, block: ParamBlock, lr: number): void;

  #updateOnDevice(index: number, p: Tensor, lr: number): void {
    const data = toDevice(p);
    const grad = (p.grad as Tensor).storage;
    const wd = this.weightDecay;
    if (wd === 0) {
      this.updateOnDevice(index, { data, grad }, lr);
      return;
    }
    const k = backend();
    const decayed = scratch("float32", p.size);
    k.binaryScalar("mul", data, wd, decayed);
    k.binary("add", decayed, grad, decayed);
    this.updateOnDevice(index, { data, grad: decayed }, lr);
    release(decayed);
  }

  /**
   * `update` for a parameter on a device (the webgpu backend), as a chain of the backend's
   * kernels over its GPU buffers: the same rule, computed in float32 where the data is.
   */
  protected updateOnDevice(_index: number, _block: DeviceBlock, _lr: number): void {
    throw new Error(`${this.constructor.name}: this optimiser cannot update parameters on a GPU`);
  }

  /**
   * The optimiser's state for a checkpoint: the step count and every internal buffer (momentum,
   * Adam's moments), as plain numbers. `loadState` of it continues exactly where this one is.
   */
  state(): OptimizerState {
    if (this.hasDeviceState()) {
      throw new Error(
        "optimizer: its state is on the GPU; checkpoints are not supported on the webgpu backend yet",
      );
    }
    const buffers: Record<string, (number[] | null)[]> = {};
    for (const [name, list] of Object.entries(this.buffers())) {
      buffers[name] = Array.from(list, (b) => (b === undefined ? null : Array.from(b)));
    }
    return { stepCount: this.stepCount, buffers };
  }

  /** Restores a state taken by `state()` from an optimiser of the same kind over the same parameters. */
  loadState(state: OptimizerState): void {
    const own = this.buffers();
    if (!Number.isInteger(state.stepCount) || state.stepCount < 0) {
      throw new RangeError(`optimizer: stepCount must be an integer >= 0, got ${state.stepCount}`);
    }
    for (const name of Object.keys(own)) {
      if (!(name in state.buffers)) throw new RangeError(`optimizer: the state has no "${name}" buffers`);
    }
    for (const name of Object.keys(state.buffers)) {
      if (!(name in own)) throw new RangeError(`optimizer: the state has unknown buffers "${name}"`);
    }
    const sizes = [this.#values.length, ...this.#blocks.map((p) => blockOf(p).data.length)];
    for (const [name, list] of Object.entries(state.buffers)) {
      if (!Array.isArray(list) || list.length > sizes.length) {
        throw new RangeError(`optimizer: "${name}" must be a list of at most ${sizes.length} buffers`);
      }
      list.forEach((b, i) => {
        if (b === null) return;
        if (
          !Array.isArray(b) ||
          b.length !== sizes[i] ||
          !b.every((v) => typeof v === "number" && Number.isFinite(v))
        ) {
          throw new RangeError(`optimizer: "${name}" buffer ${i} must be ${sizes[i]} finite numbers`);
        }
      });
    }
    for (const [name, list] of Object.entries(own)) {
      list.length = 0;
      for (const b of state.buffers[name])
        list.push(b === null ? (undefined as unknown as Float64Array) : Float64Array.from(b));
    }
    this.stepCount = state.stepCount;
  }

  /** The internal buffers by name, one per parameter block (override when there are any). */
  protected buffers(): Record<string, Float64Array[]> {
    return {};
  }

  /** Whether some state (momentum, moments) lives on a device. */
  protected hasDeviceState(): boolean {
    return false;
  }
}

/**
 * A parameter's numbers and gradient on a device, for `updateOnDevice`.
 *
 * @example
 * const block: DeviceBlock = { data: p.storage, grad: p.grad.storage };
 */
export interface DeviceBlock {
  readonly data: Storage;
  readonly grad: Storage;
}

/**
 * An optimiser's checkpointable state: its step count and internal buffers as plain numbers.
 *
 * @example
 * const state: OptimizerState = checkpoint.optimizer;
 * state.stepCount; // updates the optimiser has made
 */
export interface OptimizerState {
  /** Updates made. */
  readonly stepCount: number;
  /** Internal buffers by name (e.g. Adam's moments), one entry per parameter block. */
  readonly buffers: Readonly<Record<string, readonly (readonly number[] | null)[]>>;
}
