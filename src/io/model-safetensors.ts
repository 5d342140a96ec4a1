import type { Activation } from "../nn/activation.ts";
import type { MLP } from "../nn/mlp.ts";
import { loadModel, type ModelInfo, type SavedModel, saveModel } from "./model-json.ts";
import { readSafetensors, type SafetensorsDtype, writeSafetensors } from "./safetensors.ts";
import { mlpFromStateDict, mlpStateDict, type NamedTensor } from "./state-dict.ts";

/**
 * The `__metadata__` key under which the architecture and model info travel.
 *
 * @example
 * readSafetensors(bytes).metadata[SAFETENSORS_INFO_KEY]; // the model info, as JSON text
 */
export const SAFETENSORS_INFO_KEY = "micrograd-ts";

/**
 * Writes a model's weights as safetensors with PyTorch's names and layouts (`layers.0.weight`
 * [out, in], `layers.0.bias` [out]; F32 by default, like PyTorch), so that
 * `model.load_state_dict(safetensors.torch.load_file(path))` works on a PyTorch module built as
 * `self.layers = nn.ModuleList([nn.Linear(...), ...])`. The architecture, activations and model
 * info go in the file's `__metadata__` (string values, as the format requires).
 *
 * @example
 * writeFileSync("model.safetensors", saveSafetensors(model, { dtype: "F32" }));
 */
export function saveSafetensors(
  model: MLP,
  info: ModelInfo & { readonly dtype?: SafetensorsDtype } = {},
): Uint8Array {
  const { dtype = "F32", ...rest } = info;
  const tensors: Record<string, { dtype: SafetensorsDtype; shape: readonly number[]; data: Float64Array }> =
    {};
  for (const [name, t] of Object.entries(mlpStateDict(model)))
    tensors[name] = { dtype, shape: t.shape, data: t.data as Float64Array };
  // The JSON model file without its weights: format, version, architecture and info (checked).
  const { weights: _, ...description } = JSON.parse(saveModel(model, rest));
  return writeSafetensors(tensors, { format: "pt", [SAFETENSORS_INFO_KEY]: JSON.stringify(description) });
}

/**
 * Reads a model from safetensors bytes. A file written by `saveSafetensors` carries its
 * architecture; one written elsewhere (e.g. by PyTorch) does not say its activations, so pass
 * them (`activations`, one per layer, output layer included); layer sizes come from the shapes.
 *
 * @example
 * const { model } = loadSafetensors(readFileSync("model.safetensors"));
 */
export function loadSafetensors(
  bytes: Uint8Array,
  options: { readonly activations?: readonly Activation[] } = {},
): SavedModel {
  const file = readSafetensors(bytes);
  const dict: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(file.tensors)) {
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new RangeError(
        `loadSafetensors: tensor "${name}" holds a non-finite weight (${t.data[bad]}) at index ${bad}`,
      );
    }
    dict[name] = { shape: t.shape, data: t.data };
  }
  const stored = file.metadata[SAFETENSORS_INFO_KEY];
  if (stored !== undefined) {
    // Rebuild our JSON model file from the metadata and the tensors, and let loadModel check it all.
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      throw new RangeError(`loadSafetensors: the "${SAFETENSORS_INFO_KEY}" metadata is not valid JSON`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new RangeError(`loadSafetensors: the "${SAFETENSORS_INFO_KEY}" metadata is not a JSON object`);
    }
    const description: Record<string, unknown> = { ...parsed };
    const weights: Record<string, { shape: readonly number[]; data: number[] }> = {};
    for (const [name, t] of Object.entries(dict))
      weights[name] = { shape: t.shape, data: Array.from(t.data) };
    if (options.activations !== undefined) {
      // loadModel checks the architecture as a whole; here it only gains the activations.
      const arch = description.architecture;
      description.architecture = {
        ...(typeof arch === "object" && arch !== null ? arch : {}),
        activations: options.activations,
      };
    }
    return loadModel(JSON.stringify({ ...description, weights }));
  }
  if (options.activations === undefined) {
    throw new RangeError(
      'loadSafetensors: the file does not say its activations (written outside micrograd-ts?); pass activations, one per layer, e.g. ["tanh", "linear"]',
    );
  }
  return { model: mlpFromStateDict(dict, options.activations, "loadSafetensors") };
}
