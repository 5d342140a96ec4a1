import { Rng } from "../engine/random.ts";
import { Value, weightedSum } from "../engine/value.ts";
import { type Activation, activate, activateNumber } from "./activation.ts";
import { type Init, initialWeight } from "./init.ts";
import { Module } from "./module.ts";

/**
 * Options for a neuron; layers pass them on.
 *
 * @example
 * new Neuron(3, { activation: "relu", init: "he", rng: new Rng(1) });
 */
export interface NeuronOptions {
  /** Nonlinearity after the weighted sum (default `relu`). */
  readonly activation?: Activation;
  /** Weight initialisation (default `uniform`, micrograd's). */
  readonly init?: Init;
  /** How many outputs the neuron's layer has, for `xavier` (default 1). */
  readonly fanOut?: number;
  /** Where the initial weights come from (default: a generator seeded with 1337). */
  readonly rng?: Rng;
}

/**
 * One neuron: `activation(w · x + b)`.
 *
 * @example
 * const n = new Neuron(2, { activation: "tanh" });
 * const out = n.forward([1, -2]); // tanh(w·x + b)
 */
export class Neuron extends Module {
  /** One weight per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** The function applied to `w·x + b`. */
  readonly activation: Activation;

  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    const { activation = "relu", init = "uniform", fanOut = 1, rng = new Rng() } = options;
    this.w = Array.from({ length: nin }, () => new Value(initialWeight(init, nin, fanOut, rng)));
    this.b = new Value(0);
    this.activation = activation;
  }

  /** The neuron's output for one input vector. */
  forward(x: readonly (Value | number)[]): Value {
    const w = this.w;
    if (x.length !== w.length) {
      throw new RangeError(`Neuron: expected ${w.length} inputs, got ${x.length}`);
    }
    // b + Σ w·x: `b.add(w[0].mul(x[0])).add(w[1].mul(x[1]))…`, as micrograd sums it.
    return activate(weightedSum(this.b, w, x), this.activation);
  }

  /** `forward` on plain numbers: the same result, and no graph recorded. */
  predict(x: readonly number[]): number {
    const w = this.w;
    if (x.length !== w.length) {
      throw new RangeError(`Neuron: expected ${w.length} inputs, got ${x.length}`);
    }
    let sum = this.b.data;
    for (let i = 0; i < w.length; i++) sum = sum + w[i].data * x[i];
    return activateNumber(sum, this.activation);
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }

  /** `Neuron(2 inputs, relu)`. */
  override toString(): string {
    return `Neuron(${this.w.length} inputs, ${this.activation})`;
  }
}
