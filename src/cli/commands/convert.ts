import { type FlagTable, helpText, parseFlags } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";
import { loadModelFile, saveModelFile } from "../model-file.ts";

const FLAGS: FlagTable = {
  model: { type: "string", value: "FILE", help: "model file to read (.json or .safetensors)" },
  out: {
    type: "string",
    value: "FILE",
    help: "file to write: .json, .safetensors (PyTorch layout) or .onnx (for ONNX Runtime)",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Converts a saved model between formats (JSON, safetensors, ONNX), keeping what travels with it. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags(FLAGS, argv);
  if (values.help) {
    io.out(
      helpText(
        "micrograd convert --model FILE --out FILE",
        "Convert a saved model: JSON and safetensors both ways, or export to ONNX.",
        FLAGS,
      ),
    );
    return 0;
  }
  if (typeof values.model !== "string") throw new UsageError("--model FILE is required");
  if (typeof values.out !== "string") throw new UsageError("--out FILE is required");
  const { model, ...info } = await loadModelFile(values.model);
  const format = await saveModelFile(values.out, model, info);
  io.out(`wrote ${values.out} (${format}, ${model.describe()})\n`);
  return 0;
}
