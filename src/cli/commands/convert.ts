import { checkOutputPath } from "../files.ts";
import { commandFlags, type FlagTable, requiredFlag } from "../flags.ts";
import type { CliIO } from "../io.ts";
import { loadModelFile, outputModelFormat, saveModelFile } from "../model-file.ts";

const FLAGS: FlagTable = {
  model: { type: "string", value: "FILE", help: "model file to read (.json or .safetensors)" },
  out: {
    type: "string",
    value: "FILE",
    help: "file to write: .json, .safetensors (PyTorch layout) or .onnx (for ONNX Runtime); other names are refused",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Converts a saved model between formats (JSON, safetensors, ONNX), keeping what travels with it. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const values = commandFlags(
    FLAGS,
    argv,
    io,
    "micrograd convert --model FILE --out FILE",
    "Convert a saved model: JSON and safetensors both ways, or export to ONNX.",
  );
  if (values === undefined) return 0;
  const modelPath = requiredFlag(values, FLAGS, "model");
  const outPath = requiredFlag(values, FLAGS, "out");
  outputModelFormat(outPath, "--out");
  checkOutputPath(outPath, "--out", [modelPath]);
  const { model, ...info } = await loadModelFile(modelPath);
  const format = await saveModelFile(outPath, model, info);
  io.out(`wrote ${outPath} (${format}, ${model.describe()})\n`);
  return 0;
}
