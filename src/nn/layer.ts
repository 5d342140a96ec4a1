import { Rng } from "../engine/random.ts";
import type { Value } from "../engine/value.ts";
import { Module } from "./module.ts";
import { Neuron, type NeuronOptions } from "./neuron.ts";

/**
 * A fully connected layer: `nout` independent neurons, each seeing every input.
 *
 * @example
 * const layer = new Layer(2, 3, { activation: "tanh" }); // three neurons, two inputs each
 * const [a, b, c] = layer.forward([1, -1]);
 */
export class Layer extends Module {
  /** The layer's neurons, one per output. */
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    const neuronOptions = { ...options, fanOut: nout, rng: options.rng ?? new Rng() };
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, neuronOptions));
  }

  /** Every neuron's output for one input vector. */
  forward(x: readonly (Value | number)[]): Value[] {
    const neurons = this.neurons;
    const out = new Array<Value>(neurons.length);
    for (let i = 0; i < neurons.length; i++) out[i] = neurons[i].forward(x);
    return out;
  }

  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  /** `Layer(2→16, relu)`. */
  override toString(): string {
    const first = this.neurons[0];
    return `Layer(${first.w.length}→${this.neurons.length}, ${first.activation})`;
  }
}
