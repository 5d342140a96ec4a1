import type { ModelInfo } from "../io/model-json.ts";
import type { MLP } from "../nn/mlp.ts";
import type { FlagTable, FlagValues } from "./flags.ts";
import { saveModelFile } from "./model-file.ts";

/** Flags for saving the trained model (added to `train`'s table). */
export const SAVE_FLAGS: FlagTable = {
  save: {
    type: "string",
    value: "FILE",
    help: "save the trained model: FILE.json (everything), FILE.safetensors (PyTorch layout) or FILE.onnx",
  },
};

/** Saves the model when `--save` is given; returns the path written, or undefined. */
export async function saveTrained(
  values: FlagValues,
  model: MLP,
  info: ModelInfo,
): Promise<string | undefined> {
  if (typeof values.save !== "string") return undefined;
  await saveModelFile(values.save, model, info);
  return values.save;
}
