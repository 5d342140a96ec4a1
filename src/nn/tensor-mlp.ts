import { Rng } from "../engine/random.ts";
import type { DType } from "../tensor/tensor.ts";
import { ACTIVATIONS, type Activation } from "./activation.ts";
import { ActivationLayer } from "./activation-layer.ts";
import { Dropout } from "./dropout.ts";
import type { Init } from "./init.ts";
import { Linear } from "./linear.ts";
import type { MLP } from "./mlp.ts";
import { Sequential } from "./sequential.ts";
import type { TensorModule } from "./tensor-module.ts";

/** How `tensorMLP` builds a network. */
export interface TensorMLPOptions {
  /** Activation of the hidden layers (default `relu`). */
  readonly activation?: Activation;
  /** Activation of the output layer (default `linear`: logits). */
  readonly outputActivation?: Activation;
  /** Weight initialisation (default `he` for ReLU networks, else `xavier`). */
  readonly init?: Init;
  /** Dropout probability after each hidden activation (default 0: none). */
  readonly dropout?: number;
  /** float32 (default) or float64. */
  readonly dtype?: DType;
  /** Seed of the initial weights and of dropout (default 1337); or pass `rng`. */
  readonly seed?: number;
  readonly rng?: Rng;
}

/**
 * A multilayer perceptron on tensors: `Linear` layers with an activation (and optional
 * dropout) between them, as a `Sequential`. With `init: "uniform"` and the same seed it starts
 * from exactly the weights of the scalar `new MLP(nin, sizes)`.
 *
 * @example
 * const model = tensorMLP(784, [128, 10], { dropout: 0.2 });
 * const logits = model.forward(x); // x: [batch, 784]
 */
export function tensorMLP(nin: number, sizes: readonly number[], options: TensorMLPOptions = {}): Sequential {
  if (sizes.length === 0) throw new RangeError("tensorMLP: give at least one layer size");
  const { activation = "relu", outputActivation = "linear", dropout = 0, dtype = "float32" } = options;
  for (const a of [activation, outputActivation]) {
    if (!ACTIVATIONS.includes(a))
      throw new RangeError(`tensorMLP: unknown activation "${a}" (use ${ACTIVATIONS.join(", ")})`);
  }
  const init = options.init ?? (activation === "relu" ? "he" : "xavier");
  const rng = options.rng ?? new Rng(options.seed ?? 1337);
  const dropRng = new Rng(rng.seed + 1);
  const dims = [nin, ...sizes];
  const layers: TensorModule[] = [];
  sizes.forEach((n, i) => {
    layers.push(new Linear(dims[i], n, { init, dtype, rng }));
    const last = i === sizes.length - 1;
    const act = last ? outputActivation : activation;
    if (act !== "linear") layers.push(new ActivationLayer(act));
    if (!last && dropout > 0) layers.push(new Dropout(dropout, { rng: dropRng }));
  });
  return new Sequential(...layers);
}

/**
 * The tensor twin of a scalar `MLP`: the same layers, activations and current weights
 * (copied), so both engines compute the same function.
 */
export function fromScalarMLP(mlp: MLP, options: { readonly dtype?: DType } = {}): Sequential {
  const { dtype = "float64" } = options;
  const dims = [mlp.nin, ...mlp.sizes];
  const layers: TensorModule[] = [];
  mlp.layers.forEach((layer, l) => {
    const lin = new Linear(dims[l], dims[l + 1], { dtype, init: "uniform" });
    layer.neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, i) => {
        lin.weight.data[i * lin.nout + j] = w.data;
      });
      if (lin.bias !== null) lin.bias.data[j] = neuron.b.data;
    });
    layers.push(lin);
    if (mlp.activations[l] !== "linear") layers.push(new ActivationLayer(mlp.activations[l]));
  });
  return new Sequential(...layers);
}
