import { ACTIVATIONS } from "../nn/activation.ts";
import type { Sequential } from "../nn/sequential.ts";
import {
  arrayOf,
  bool,
  type Check,
  checkJson,
  describeJson,
  dictOf,
  finite,
  integer,
  oneOf,
  optional,
  plainObject,
  record,
} from "./json-check.ts";
import { MODEL_INFO_FIELDS, type ModelInfo } from "./model-json.ts";
import { readSafetensors, type SafetensorsDtype, writeSafetensors } from "./safetensors.ts";
import {
  type LayerSpec,
  loadSequentialStateDict,
  sequentialFromLayers,
  sequentialLayers,
  sequentialStateDict,
} from "./sequential-state.ts";
import type { NamedTensor } from "./state-dict.ts";

/**
 * The `format` field of a saved tensor network (a `Sequential` of any layers: convolutions,
 * pooling, batch norm, ...).
 *
 * @example
 * JSON.parse(saveSequential(model)).format === SEQUENTIAL_FORMAT; // true
 */
export const SEQUENTIAL_FORMAT = "micrograd-ts/sequential";

/**
 * A tensor network read back, with what was saved about it.
 *
 * @example
 * const { model, labels } = loadSequential(text);
 */
export interface SavedSequential extends ModelInfo {
  /** The network with its weights and batch-norm statistics, in evaluation mode. */
  readonly model: Sequential;
}

/**
 * A `Sequential` as JSON text: its layers (`sequentialLayers`), its weights and statistics by
 * PyTorch name (`sequentialStateDict`), and the model info.
 *
 * @example
 * writeFileSync("cnn.json", saveSequential(model, { labels: ["0", "1"] }));
 */
export function saveSequential(model: Sequential, info: ModelInfo = {}): string {
  const weights: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const [name, t] of Object.entries(sequentialStateDict(model)))
    weights[name] = { shape: t.shape, data: Array.from(t.data) };
  return JSON.stringify({
    format: SEQUENTIAL_FORMAT,
    version: 1,
    layers: sequentialLayers(model),
    ...info,
    weights,
  });
}

/**
 * Reads what `saveSequential` wrote; throws naming what is wrong (format, a layer, a tensor).
 *
 * @example
 * const { model } = loadSequential(readFileSync("cnn.json", "utf8"));
 * model.forward(x);
 */
export function loadSequential(text: string): SavedSequential {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RangeError("loadSequential: not valid JSON");
  }
  const { format } = checkJson(raw, plainObject, "loadSequential");
  if (format !== SEQUENTIAL_FORMAT) {
    throw new RangeError(
      `loadSequential: format is ${describeJson(format)}, expected "${SEQUENTIAL_FORMAT}"`,
    );
  }
  const { layers, weights, version: _v, ...info } = checkJson(raw, SEQUENTIAL_FILE, "loadSequential");
  const model = sequentialFromLayers(layers, "loadSequential");
  const dict: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(weights ?? {}))
    dict[name] = { shape: t.shape, data: Float64Array.from(t.data) };
  loadSequentialStateDict(model, dict, "loadSequential");
  return { ...info, model: model.eval() };
}

/** Two integers >= 0 (a kernel size, stride or padding per axis). */
const pair: Check<[number, number]> = (v, at) => {
  const xs = arrayOf(integer(0))(v, at);
  if (xs.length !== 2) throw new RangeError(`"${at}" must be two integers, got ${describeJson(v)}`);
  return [xs[0], xs[1]];
};
const window = record({ kernel: pair, stride: pair, padding: pair });
const LAYER_TYPES = [
  "linear",
  "conv2d",
  "maxPool2d",
  "avgPool2d",
  "batchNorm",
  "activation",
  "dropout",
  "randomShift",
  "flatten",
  "unflatten",
] as const;

/** One layer's spec: its `type`, then the fields that type has. */
const layerSpec: Check<LayerSpec> = (v, at) => {
  const { type } = record({ type: oneOf(LAYER_TYPES) })(v, at);
  switch (type) {
    case "linear":
      return { type, ...record({ in: integer(1), out: integer(1), bias: bool })(v, at) };
    case "conv2d":
      return {
        type,
        ...record({ in: integer(1), out: integer(1), bias: bool })(v, at),
        ...window(v, at),
      };
    case "maxPool2d":
    case "avgPool2d":
      return { type, ...window(v, at) };
    case "batchNorm":
      return { type, ...record({ channels: integer(1), momentum: finite, eps: finite })(v, at) };
    case "activation":
      return { type, ...record({ activation: oneOf(ACTIVATIONS) })(v, at) };
    case "dropout":
      return { type, ...record({ p: finite })(v, at) };
    case "randomShift":
      return { type, ...record({ pixels: integer(0) })(v, at) };
    case "flatten":
      return { type };
    case "unflatten":
      return { type, ...record({ shape: arrayOf(integer(1)) })(v, at) };
  }
};

// A saved Sequential, checked field by field (the errors name the field); the layers' sizes and
// the weights' shapes are checked against each other when the network is built.
const SEQUENTIAL_FILE = record({
  version: integer(1, 1),
  layers: arrayOf(layerSpec),
  weights: optional(dictOf(record({ shape: arrayOf(integer(0)), data: arrayOf(finite) }))),
  ...MODEL_INFO_FIELDS,
});

/**
 * A `Sequential`'s weights and statistics as safetensors in PyTorch's names and layouts
 * (`0.weight` of a `Conv2d` is [out, in, kh, kw], of a `Linear` [out, in]), so that
 * `net.load_state_dict(...)` works on the PyTorch `nn.Sequential` of the same layers. The
 * layers and model info travel in `__metadata__`.
 *
 * @example
 * writeFileSync("cnn.safetensors", saveSequentialSafetensors(model));
 */
export function saveSequentialSafetensors(
  model: Sequential,
  info: ModelInfo & { readonly dtype?: SafetensorsDtype } = {},
): Uint8Array {
  const { dtype = "F32", ...rest } = info;
  const tensors: Record<string, { dtype: SafetensorsDtype; shape: readonly number[]; data: Float64Array }> =
    {};
  for (const [name, t] of Object.entries(sequentialStateDict(model)))
    tensors[name] = { dtype, shape: t.shape, data: t.data as Float64Array };
  const description = { format: SEQUENTIAL_FORMAT, version: 1, layers: sequentialLayers(model), ...rest };
  return writeSafetensors(tensors, { format: "pt", [SEQUENTIAL_FORMAT]: JSON.stringify(description) });
}

/**
 * Reads what `saveSequentialSafetensors` wrote (the layers come from its metadata).
 *
 * @example
 * const { model } = loadSequentialSafetensors(readFileSync("cnn.safetensors"));
 */
export function loadSequentialSafetensors(bytes: Uint8Array): SavedSequential {
  const file = readSafetensors(bytes);
  const stored = file.metadata[SEQUENTIAL_FORMAT];
  if (stored === undefined) {
    throw new RangeError(`loadSequentialSafetensors: no "${SEQUENTIAL_FORMAT}" metadata saying the layers`);
  }
  const description: unknown = JSON.parse(stored);
  const weights: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const [name, t] of Object.entries(file.tensors))
    weights[name] = { shape: t.shape, data: Array.from(t.data) };
  return loadSequential(
    JSON.stringify({ ...checkJson(description, plainObject, "loadSequentialSafetensors"), weights }),
  );
}
