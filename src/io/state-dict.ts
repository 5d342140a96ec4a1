import type { Activation } from "../nn/activation.ts";
import { MLP } from "../nn/mlp.ts";

/** A named tensor: a shape and its numbers in row-major order. */
export interface NamedTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
}

/** Tensors by name, in PyTorch's naming: `layers.0.weight` ([out, in]), `layers.0.bias` ([out]). */
export type StateDict = Readonly<Record<string, NamedTensor>>;

/**
 * The model's weights as tensors named and laid out as PyTorch names them for a module holding
 * `self.layers = nn.ModuleList([nn.Linear(in, out), ...])`: `layers.{i}.weight` is [out, in]
 * (row j holds neuron j's weights), `layers.{i}.bias` is [out].
 */
export function mlpStateDict(model: MLP): Record<string, NamedTensor> {
  const dict: Record<string, NamedTensor> = {};
  model.layers.forEach((layer, i) => {
    const out = layer.neurons.length;
    const nin = layer.neurons[0].w.length;
    const weight = new Float64Array(out * nin);
    const bias = new Float64Array(out);
    layer.neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, k) => {
        weight[j * nin + k] = w.data;
      });
      bias[j] = neuron.b.data;
    });
    dict[`layers.${i}.weight`] = { shape: [out, nin], data: weight };
    dict[`layers.${i}.bias`] = { shape: [out], data: bias };
  });
  return dict;
}

/**
 * Checks, without building anything, that `dict` holds exactly the tensors of an MLP with these
 * sizes; the message (after `prefix`) lists every tensor that is missing, unexpected, of the wrong
 * shape or holding non-finite numbers.
 */
export function checkMlpStateDict(
  inputs: number,
  sizes: readonly number[],
  dict: StateDict,
  prefix: string,
): void {
  const expected = new Map<string, number[]>();
  const dims = [inputs, ...sizes];
  sizes.forEach((out, i) => {
    expected.set(`layers.${i}.weight`, [out, dims[i]]);
    expected.set(`layers.${i}.bias`, [out]);
  });
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const got = dict[name];
    const count = shape.reduce((a, b) => a * b, 1);
    if (got === undefined) problems.push(`missing tensor "${name}" (shape [${shape.join(", ")}])`);
    else if (!sameShape(got.shape, shape)) {
      problems.push(
        `tensor "${name}" has shape [${got.shape.join(", ")}], the model needs [${shape.join(", ")}]`,
      );
    } else if (got.data.length !== count) {
      problems.push(`tensor "${name}" holds ${got.data.length} numbers, its shape needs ${count}`);
    } else {
      const bad = got.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0)
        problems.push(`tensor "${name}" has a non-finite number (${got.data[bad]}) at index ${bad}`);
    }
  }
  for (const name of Object.keys(dict)) {
    if (!expected.has(name)) problems.push(`unexpected tensor "${name}"`);
  }
  if (problems.length > 0) throw new RangeError(`${prefix}: ${problems.join("; ")}`);
}

/**
 * Copies tensors into the model's weights, after checking that the names and shapes match
 * exactly; the message lists every tensor that is missing, unexpected or of the wrong shape.
 */
export function loadMlpStateDict(model: MLP, dict: StateDict, where = "load"): void {
  checkMlpStateDict(model.nin, model.sizes, dict, `${where}: the weights do not fit ${model.describe()}`);
  model.layers.forEach((layer, i) => {
    const weight = dict[`layers.${i}.weight`].data;
    const bias = dict[`layers.${i}.bias`].data;
    const nin = layer.neurons[0].w.length;
    layer.neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, k) => {
        w.data = weight[j * nin + k];
      });
      neuron.b.data = bias[j];
    });
  });
}

/**
 * Builds an MLP whose layer sizes are read off the tensors' shapes (`layers.{i}.weight` as
 * [out, in]) and loads them. The activations are not in the tensors: pass one per layer.
 */
export function mlpFromStateDict(dict: StateDict, activations: readonly Activation[], where = "load"): MLP {
  const sizes: number[] = [];
  let nin = 0;
  for (let i = 0; `layers.${i}.weight` in dict; i++) {
    const { shape } = dict[`layers.${i}.weight`];
    if (shape.length !== 2 || shape[0] < 1 || shape[1] < 1) {
      throw new RangeError(
        `${where}: tensor "layers.${i}.weight" has shape [${shape.join(", ")}], expected [out, in]`,
      );
    }
    if (i === 0) nin = shape[1];
    else if (shape[1] !== sizes[i - 1]) {
      throw new RangeError(
        `${where}: tensor "layers.${i}.weight" takes ${shape[1]} inputs but layer ${i - 1} has ${sizes[i - 1]} outputs`,
      );
    }
    sizes.push(shape[0]);
  }
  if (sizes.length === 0)
    throw new RangeError(
      `${where}: no tensor "layers.0.weight" (names: ${Object.keys(dict).join(", ") || "none"})`,
    );
  if (activations.length !== sizes.length) {
    throw new RangeError(
      `${where}: the tensors make ${sizes.length} layers but ${activations.length} activations were given`,
    );
  }
  checkMlpStateDict(
    nin,
    sizes,
    dict,
    `${where}: the tensors do not make an MLP ${[nin, ...sizes].join("-")}`,
  );
  const model = new MLP(nin, sizes, { activation: activations });
  loadMlpStateDict(model, dict, where);
  return model;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
