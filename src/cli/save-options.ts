import type { ModelInfo } from "../io/model-json.ts";
import type { MLP } from "../nn/mlp.ts";
import { checkOutputPath, checkWritableFolder } from "./files.ts";
import type { FlagTable, FlagValues } from "./flags.ts";
import { outputModelFormat, saveModelFile } from "./model-file.ts";

/** Flags for saving the trained model (added to `train`'s table). */
export const SAVE_FLAGS: FlagTable = {
  save: {
    type: "string",
    value: "FILE",
    help: "save the trained model: FILE.json (everything), FILE.safetensors (PyTorch layout) or FILE.onnx",
  },
};

/**
 * Checks, before training, every output a training run will write: `--save` (a model format's
 * extension), `--checkpoint` and `--out` (writable, none of the `inputs`) and the `--plots` folder.
 * A run that would fail after an hour's training fails now, naming the flag.
 */
export function checkTrainingOutputs(values: FlagValues, inputs: readonly (string | undefined)[]): void {
  const files = inputs.filter((i): i is string => typeof i === "string");
  if (typeof values.save === "string") {
    outputModelFormat(values.save, "--save");
    checkOutputPath(values.save, "--save", files);
  }
  for (const flag of ["checkpoint", "out"]) {
    const path = values[flag];
    if (typeof path === "string") checkOutputPath(path, `--${flag}`, files);
  }
  if (typeof values.plots === "string") checkWritableFolder(values.plots, "--plots");
}

/** Saves the model when `--save` is given; returns the path written, or undefined. */
export async function saveTrained(
  values: FlagValues,
  model: MLP,
  info: ModelInfo,
): Promise<string | undefined> {
  if (typeof values.save !== "string") return undefined;
  await saveModelFile(values.save, model, info, "--save");
  return values.save;
}
