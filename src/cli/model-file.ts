import { loadModel, type ModelInfo, type SavedModel, saveModel } from "../io/model-json.ts";
import { loadSafetensors, saveSafetensors } from "../io/model-safetensors.ts";
import { exportOnnx } from "../io/onnx.ts";
import { saveSequential, saveSequentialSafetensors } from "../io/sequential-file.ts";
import { exportSequentialOnnx } from "../io/sequential-onnx.ts";
import type { MLP } from "../nn/mlp.ts";
import type { Sequential } from "../nn/sequential.ts";
import { readInput, writeFileAtomic } from "./files.ts";
import { UsageError } from "./io.ts";

/** Model file formats, chosen by the file's extension. */
export type ModelFormat = "json" | "safetensors" | "onnx";

/** The format a model file name implies: `.safetensors`, `.onnx`, else JSON. */
export function modelFormat(path: string): ModelFormat {
  if (path.endsWith(".safetensors")) return "safetensors";
  if (path.endsWith(".onnx")) return "onnx";
  return "json";
}

/** The format of a model file to write: its name must end in `.json`, `.safetensors` or `.onnx`. */
export function outputModelFormat(path: string, flag: string): ModelFormat {
  if (!/\.(json|safetensors|onnx)$/.test(path)) {
    throw new UsageError(
      `${flag} "${path}": name the file .json, .safetensors or .onnx (the extension chooses the format)`,
    );
  }
  return modelFormat(path);
}

/**
 * Saves a model in the format its name implies (atomically): JSON (everything), safetensors
 * (weights in PyTorch's layout, the rest in the metadata) or ONNX (feature scaling baked in,
 * softmax probabilities added for softmax models; for running elsewhere, not for loading back).
 */
export async function saveModelFile(
  path: string,
  model: MLP,
  info: ModelInfo,
  flag = "--out",
): Promise<ModelFormat> {
  const format = outputModelFormat(path, flag);
  const bytes =
    format === "safetensors"
      ? saveSafetensors(model, info)
      : format === "onnx"
        ? exportOnnx(model, { scaling: info.scaling, probabilities: info.loss === "softmax" })
        : saveModel(model, info);
  await writeFileAtomic(path, bytes, flag);
  return format;
}

/** `saveModelFile` for a tensor `Sequential` (a convolutional network, say), in the same formats. */
export async function saveSequentialFile(
  path: string,
  model: Sequential,
  info: ModelInfo,
  flag = "--save",
): Promise<ModelFormat> {
  const format = outputModelFormat(path, flag);
  const bytes =
    format === "safetensors"
      ? saveSequentialSafetensors(model, info)
      : format === "onnx"
        ? exportSequentialOnnx(model, { scaling: info.scaling })
        : saveSequential(model, info);
  await writeFileAtomic(path, bytes, flag);
  return format;
}

/** Loads a JSON or safetensors model file (ONNX files are export-only). */
export async function loadModelFile(path: string, flag = "--model"): Promise<SavedModel> {
  const format = modelFormat(path);
  const bytes = await readInput(path, flag, { text: format === "json" });
  if (format === "onnx") {
    throw new UsageError(
      `${flag}: "${path}" is ONNX, which micrograd exports but does not read; use the .json or .safetensors file`,
    );
  }
  try {
    return format === "safetensors" ? loadSafetensors(bytes) : loadModel(bytes);
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`${flag} "${path}": ${error.message}`);
    throw error;
  }
}
