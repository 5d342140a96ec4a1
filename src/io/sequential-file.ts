import type { Sequential } from "../nn/sequential.ts";
import type { ModelInfo } from "./model-json.ts";
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
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text);
  } catch {
    throw new RangeError("loadSequential: not valid JSON");
  }
  if (file?.format !== SEQUENTIAL_FORMAT) {
    throw new RangeError(
      `loadSequential: format is ${JSON.stringify(file?.format)}, expected "${SEQUENTIAL_FORMAT}"`,
    );
  }
  if (!Array.isArray(file.layers)) throw new RangeError("loadSequential: no layers list");
  const model = sequentialFromLayers(file.layers as LayerSpec[], "loadSequential");
  const dict: Record<string, NamedTensor> = {};
  const weights = (file.weights ?? {}) as Record<string, { shape: number[]; data: number[] }>;
  for (const [name, t] of Object.entries(weights))
    dict[name] = { shape: t.shape ?? [], data: Float64Array.from(t.data ?? []) };
  loadSequentialStateDict(model, dict, "loadSequential");
  const { format: _f, version: _v, layers: _l, weights: _w, ...info } = file;
  return { ...(info as ModelInfo), model: model.eval() };
}

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
  const description = JSON.parse(stored) as Record<string, unknown>;
  const weights: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const [name, t] of Object.entries(file.tensors))
    weights[name] = { shape: t.shape, data: Array.from(t.data) };
  return loadSequential(JSON.stringify({ ...description, weights }));
}
