import type { Activation } from "../nn/activation.ts";
import { ActivationLayer } from "../nn/activation-layer.ts";
import { BatchNorm } from "../nn/batch-norm.ts";
import { Conv2d } from "../nn/conv2d.ts";
import { Dropout } from "../nn/dropout.ts";
import { Flatten, Unflatten } from "../nn/flatten.ts";
import { Linear } from "../nn/linear.ts";
import { AvgPool2d, MaxPool2d } from "../nn/pool-layer.ts";
import { RandomShift } from "../nn/random-shift.ts";
import { Sequential } from "../nn/sequential.ts";
import type { TensorModule } from "../nn/tensor-module.ts";
import type { Size2 } from "../tensor/ops/conv.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { NamedTensor, StateDict } from "./state-dict.ts";

/**
 * One layer of a saved `Sequential`, as JSON: its kind and what builds it again (weights are
 * stored apart, by name).
 *
 * @example
 * const spec: LayerSpec = { type: "conv2d", in: 1, out: 8, kernel: [5, 5], stride: [1, 1], padding: [0, 0], bias: false };
 */
export type LayerSpec =
  | { readonly type: "linear"; readonly in: number; readonly out: number; readonly bias: boolean }
  | {
      readonly type: "conv2d";
      readonly in: number;
      readonly out: number;
      readonly kernel: readonly [number, number];
      readonly stride: readonly [number, number];
      readonly padding: readonly [number, number];
      readonly bias: boolean;
    }
  | {
      readonly type: "maxPool2d" | "avgPool2d";
      readonly kernel: readonly [number, number];
      readonly stride: readonly [number, number];
      readonly padding: readonly [number, number];
    }
  | { readonly type: "batchNorm"; readonly channels: number; readonly momentum: number; readonly eps: number }
  | { readonly type: "activation"; readonly activation: Activation }
  | { readonly type: "dropout"; readonly p: number }
  | { readonly type: "randomShift"; readonly pixels: number }
  | { readonly type: "flatten" }
  | { readonly type: "unflatten"; readonly shape: readonly number[] };

const two = (v: Size2): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

/** The spec of one layer; throws for a module no spec describes. */
function specOf(layer: TensorModule, i: number): LayerSpec {
  if (layer instanceof Linear)
    return { type: "linear", in: layer.nin, out: layer.nout, bias: layer.bias !== null };
  if (layer instanceof Conv2d) {
    return {
      type: "conv2d",
      in: layer.inChannels,
      out: layer.outChannels,
      kernel: layer.kernelSize,
      stride: layer.stride,
      padding: layer.padding,
      bias: layer.bias !== null,
    };
  }
  if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
    return {
      type: layer instanceof MaxPool2d ? "maxPool2d" : "avgPool2d",
      kernel: two(layer.kernelSize),
      stride: two(layer.options.stride ?? layer.kernelSize),
      padding: two(layer.options.padding ?? 0),
    };
  }
  if (layer instanceof BatchNorm)
    return { type: "batchNorm", channels: layer.channels, momentum: layer.momentum, eps: layer.eps };
  if (layer instanceof ActivationLayer) return { type: "activation", activation: layer.activation };
  if (layer instanceof Dropout) return { type: "dropout", p: layer.p };
  if (layer instanceof RandomShift) return { type: "randomShift", pixels: layer.pixels };
  if (layer instanceof Flatten) return { type: "flatten" };
  if (layer instanceof Unflatten) return { type: "unflatten", shape: layer.shape };
  throw new RangeError(`sequentialLayers: layer ${i} (${layer.constructor.name}) cannot be saved`);
}

/**
 * The layers of `model`, as JSON-ready specs (what `sequentialFromLayers` builds again).
 *
 * @example
 * sequentialLayers(new Sequential(new Linear(2, 3), new ActivationLayer("relu")));
 * // [{ type: "linear", in: 2, out: 3, bias: true }, { type: "activation", activation: "relu" }]
 */
export function sequentialLayers(model: Sequential): LayerSpec[] {
  return model.layers.map(specOf);
}

/**
 * A `Sequential` with fresh weights built from layer specs; `where` starts error messages.
 *
 * @example
 * const model = sequentialFromLayers(sequentialLayers(trained));
 */
export function sequentialFromLayers(specs: readonly LayerSpec[], where = "load"): Sequential {
  const layers = specs.map((s, i): TensorModule => {
    switch (s?.type) {
      case "linear":
        return new Linear(s.in, s.out, { bias: s.bias });
      case "conv2d":
        return new Conv2d(s.in, s.out, s.kernel, { stride: s.stride, padding: s.padding, bias: s.bias });
      case "maxPool2d":
        return new MaxPool2d(s.kernel, { stride: s.stride, padding: s.padding });
      case "avgPool2d":
        return new AvgPool2d(s.kernel, { stride: s.stride, padding: s.padding });
      case "batchNorm":
        return new BatchNorm(s.channels, { momentum: s.momentum, eps: s.eps });
      case "activation":
        return new ActivationLayer(s.activation);
      case "dropout":
        return new Dropout(s.p);
      case "randomShift":
        return new RandomShift(s.pixels);
      case "flatten":
        return new Flatten();
      case "unflatten":
        return new Unflatten(s.shape);
      default:
        throw new RangeError(
          `${where}: layer ${i} has unknown type ${JSON.stringify((s as { type?: unknown })?.type)}`,
        );
    }
  });
  return new Sequential(...layers);
}

/** The tensors of layer `i` by their PyTorch names, with how to read and write each. */
function tensorsOf(layer: TensorModule): { name: string; tensor: Tensor; transposed: boolean }[] {
  const own: { name: string; tensor: Tensor; transposed: boolean }[] = [];
  if (layer instanceof Linear) {
    // ours is [in, out] (a batch times it); PyTorch's is [out, in]
    own.push({ name: "weight", tensor: layer.weight, transposed: true });
    if (layer.bias !== null) own.push({ name: "bias", tensor: layer.bias, transposed: false });
  } else if (layer instanceof Conv2d) {
    own.push({ name: "weight", tensor: layer.weight, transposed: false });
    if (layer.bias !== null) own.push({ name: "bias", tensor: layer.bias, transposed: false });
  } else if (layer instanceof BatchNorm) {
    own.push(
      { name: "weight", tensor: layer.weight, transposed: false },
      { name: "bias", tensor: layer.bias, transposed: false },
      { name: "running_mean", tensor: layer.runningMean, transposed: false },
      { name: "running_var", tensor: layer.runningVar, transposed: false },
    );
  }
  return own;
}

/**
 * The weights (and batch-norm statistics) of `model` named and laid out as PyTorch's
 * `nn.Sequential` of the same layers names them: `{i}.weight` (`Linear` [out, in], `Conv2d`
 * [out, in, kh, kw]), `{i}.bias`, and `{i}.running_mean` / `{i}.running_var` for `BatchNorm`.
 * Layers without weights keep their index, so the names line up with the PyTorch model.
 *
 * @example
 * Object.keys(sequentialStateDict(new Sequential(new Conv2d(1, 8, 5), new Flatten())));
 * // ["0.weight", "0.bias"]
 */
export function sequentialStateDict(model: Sequential): Record<string, NamedTensor> {
  const dict: Record<string, NamedTensor> = {};
  model.layers.forEach((layer, i) => {
    for (const { name, tensor, transposed } of tensorsOf(layer)) {
      if (!transposed) {
        dict[`${i}.${name}`] = { shape: [...tensor.shape], data: Float64Array.from(tensor.data) };
        continue;
      }
      const [rows, cols] = tensor.shape;
      const data = new Float64Array(tensor.size);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) data[c * rows + r] = tensor.data[r * cols + c];
      dict[`${i}.${name}`] = { shape: [cols, rows], data };
    }
  });
  return dict;
}

/**
 * Copies a state dict (as `sequentialStateDict` names it, e.g. from PyTorch) into `model`;
 * throws naming every tensor that is missing, unexpected or of the wrong shape, or not finite.
 * PyTorch's `num_batches_tracked` counters are accepted and ignored.
 *
 * @example
 * loadSequentialStateDict(model, sequentialStateDict(trained));
 */
export function loadSequentialStateDict(model: Sequential, dict: StateDict, where = "load"): void {
  const problems: string[] = [];
  const expected = new Set<string>();
  model.layers.forEach((layer, i) => {
    for (const { name, tensor, transposed } of tensorsOf(layer)) {
      const key = `${i}.${name}`;
      expected.add(key);
      const t = dict[key];
      const shape = transposed ? [tensor.shape[1], tensor.shape[0]] : [...tensor.shape];
      if (t === undefined) problems.push(`missing ${key} [${shape.join(",")}]`);
      else if (t.shape.join(",") !== shape.join(","))
        problems.push(`${key} is [${t.shape.join(",")}], expected [${shape.join(",")}]`);
      else if (!t.data.every(Number.isFinite)) problems.push(`${key} holds non-finite numbers`);
    }
  });
  for (const key of Object.keys(dict))
    if (!expected.has(key) && !key.endsWith(".num_batches_tracked")) problems.push(`unexpected ${key}`);
  if (problems.length > 0) throw new RangeError(`${where}: ${problems.join("; ")}`);
  model.layers.forEach((layer, i) => {
    for (const { name, tensor, transposed } of tensorsOf(layer)) {
      const t = dict[`${i}.${name}`];
      if (!transposed) {
        tensor.data.set(t.data);
        continue;
      }
      const [rows, cols] = tensor.shape;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) tensor.data[r * cols + c] = t.data[c * rows + r];
    }
  });
}
