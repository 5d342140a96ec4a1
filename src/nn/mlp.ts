import { Rng } from "../engine/random.ts";
import type { Value } from "../engine/value.ts";
import { ACTIVATIONS, type Activation } from "./activation.ts";
import { INITS, type Init } from "./init.ts";
import { Layer } from "./layer.ts";
import { Module } from "./module.ts";

/**
 * How an MLP is built.
 *
 * @example
 * new MLP(2, [16, 16, 1], { activation: "tanh", outputActivation: "sigmoid", init: "xavier", seed: 7 });
 */
export interface MLPOptions {
  /** Activation of the hidden layers (default `relu`), or one per layer, output included. */
  readonly activation?: Activation | readonly Activation[];
  /** Activation of the output layer (default `linear`); ignored when `activation` is a list. */
  readonly outputActivation?: Activation;
  /** Weight initialisation (default `uniform`, micrograd's). */
  readonly init?: Init;
  /** Seed of the initial weights (default 1337); or pass `rng`. */
  readonly seed?: number;
  /** Generator of the initial weights (instead of `seed`). */
  readonly rng?: Rng;
}

/**
 * A multilayer perceptron: layers of neurons, each layer fully connected to the next.
 *
 * @example
 * const model = new MLP(2, [16, 16, 1]); // micrograd's network: 337 parameters
 * const [score] = model.forward([0.5, -1]);
 */
export class MLP extends Module {
  /** Number of inputs. */
  readonly nin: number;
  /** Neurons per layer, output layer last. */
  readonly sizes: readonly number[];
  /** Activation of each layer, output layer last. */
  readonly activations: readonly Activation[];
  /** How the initial weights were drawn. */
  readonly init: Init;
  /** The layers, input side first. */
  readonly layers: Layer[];

  constructor(nin: number, sizes: readonly number[], options: MLPOptions = {}) {
    super();
    checkCount("MLP: input size", nin);
    if (sizes.length === 0) throw new RangeError("MLP: give at least one layer size");
    for (const [i, n] of sizes.entries()) checkCount(`MLP: size of layer ${i + 1}`, n);
    const { activation = "relu", outputActivation = "linear", init = "uniform" } = options;
    const activations =
      typeof activation === "string"
        ? sizes.map((_, i) => (i === sizes.length - 1 ? outputActivation : activation))
        : [...activation];
    if (activations.length !== sizes.length) {
      throw new RangeError(`MLP: ${activations.length} activations given for ${sizes.length} layers`);
    }
    for (const a of activations) {
      if (!ACTIVATIONS.includes(a))
        throw new RangeError(`MLP: unknown activation "${a}" (use ${ACTIVATIONS.join(", ")})`);
    }
    if (!INITS.includes(init)) throw new RangeError(`MLP: unknown init "${init}" (use ${INITS.join(", ")})`);
    const rng = options.rng ?? new Rng(options.seed ?? 1337);
    this.nin = nin;
    this.sizes = [...sizes];
    this.activations = activations;
    this.init = init;
    const dims = [nin, ...sizes];
    this.layers = sizes.map((n, i) => new Layer(dims[i], n, { activation: activations[i], init, rng }));
  }

  /** The network's outputs for one input vector. */
  forward(x: readonly (Value | number)[]): Value[] {
    if (x.length !== this.nin) throw new RangeError(`MLP: expected ${this.nin} inputs, got ${x.length}`);
    let h: readonly (Value | number)[] = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h as Value[];
  }

  /**
   * Runs the network on plain numbers and returns plain numbers: the same numbers as `forward`,
   * without recording a graph (so evaluation loops neither slow down nor fill the tape).
   */
  predict(x: readonly number[]): number[] {
    if (x.length !== this.nin) throw new RangeError(`MLP: expected ${this.nin} inputs, got ${x.length}`);
    let h: readonly number[] = x;
    for (const layer of this.layers) h = layer.neurons.map((n) => n.predict(h));
    return h as number[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** `MLP(2-16-16-1, 337 parameters)`, then one indented line per layer. */
  override toString(): string {
    const head = `MLP(${[this.nin, ...this.sizes].join("-")}, ${this.parameters().length} parameters)`;
    return [head, ...this.layers.map((l) => `  ${l}`)].join("\n");
  }

  /** A one-line description, e.g. `MLP 2-16-16-1 (relu, relu, linear)`. */
  describe(): string {
    return `MLP ${[this.nin, ...this.sizes].join("-")} (${this.activations.join(", ")})`;
  }
}

function checkCount(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
}
