/**
 * micrograd's `nn.py` over the learner's `Value`: a neuron is `activation(b + Σ w·x)`, a layer is
 * neurons side by side, an MLP is layers one after another. Its initial weights are those of the
 * fast engine's `MLP` with the same seed, so both train to the same numbers.
 */
import { Rng } from "../engine/random.ts";
import { Value } from "./value.ts";

/**
 * The nonlinearity after a neuron's sum (`linear`: none).
 *
 * @example
 * const layer = new Layer(2, 4, "tanh" satisfies LearnActivation);
 */
export type LearnActivation = "relu" | "tanh" | "sigmoid" | "linear";

/**
 * One neuron: `activation(b + w[0]·x[0] + w[1]·x[1] + …)`, weights uniform in [-1, 1), bias 0.
 *
 * @example
 * const n = new Neuron(2, "tanh");
 * n.forward([1, -2]).data; // tanh(b + w·x)
 */
export class Neuron {
  /** One weight per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** The function applied to the sum. */
  readonly activation: LearnActivation;

  constructor(nin: number, activation: LearnActivation = "relu", rng: Rng = new Rng()) {
    this.w = Array.from({ length: nin }, () => new Value(rng.uniform(-1, 1)));
    this.b = new Value(0);
    this.activation = activation;
  }

  /** The neuron's output for one input vector. */
  forward(x: readonly (Value | number)[]): Value {
    if (x.length !== this.w.length)
      throw new RangeError(`Neuron: expected ${this.w.length} inputs, got ${x.length}`);
    let sum = this.b;
    for (let i = 0; i < x.length; i++) sum = sum.add(this.w[i].mul(x[i]));
    if (this.activation === "linear") return sum;
    return this.activation === "relu" ? sum.relu() : this.activation === "tanh" ? sum.tanh() : sum.sigmoid();
  }

  /** The weights, then the bias. */
  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

/**
 * `nout` neurons, each seeing every input.
 *
 * @example
 * const [a, b, c] = new Layer(2, 3).forward([1, -1]);
 */
export class Layer {
  /** One neuron per output. */
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, activation: LearnActivation = "relu", rng: Rng = new Rng()) {
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, activation, rng));
  }

  /** Every neuron's output. */
  forward(x: readonly (Value | number)[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }

  /** Every neuron's parameters, in order. */
  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

/**
 * Layers one after another: `activation` on the hidden layers, none on the output layer.
 *
 * @example
 * const model = new MLP(2, [16, 16, 1]); // micrograd's demo network, 337 parameters
 * const [score] = model.forward([0.5, -1]);
 */
export class MLP {
  /** The layers, input side first. */
  readonly layers: Layer[];

  constructor(
    nin: number,
    sizes: readonly number[],
    options: { activation?: LearnActivation; seed?: number } = {},
  ) {
    const rng = new Rng(options.seed ?? 1337);
    const dims = [nin, ...sizes];
    this.layers = sizes.map(
      (n, i) =>
        new Layer(dims[i], n, i === sizes.length - 1 ? "linear" : (options.activation ?? "relu"), rng),
    );
  }

  /** The network's outputs for one input vector. */
  forward(x: readonly (Value | number)[]): Value[] {
    let h: readonly (Value | number)[] = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h as Value[];
  }

  /** Every weight and bias, layer by layer. */
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Clears every parameter's gradient before the next `backward()`. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  /** `MLP(2-16-16-1, 337 parameters)`. */
  toString(): string {
    const sizes = [this.layers[0].neurons[0].w.length, ...this.layers.map((l) => l.neurons.length)];
    return `MLP(${sizes.join("-")}, ${this.parameters().length} parameters)`;
  }
}
