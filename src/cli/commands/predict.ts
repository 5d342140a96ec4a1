import { defaultLoss, evaluate } from "../../train/evaluate.ts";
import { checkOutputPath, writeFileAtomic } from "../files.ts";
import { commandFlags, type FlagTable, requiredFlag } from "../flags.ts";
import type { CliIO } from "../io.ts";
import { defaultClassNames, readDataForModel } from "../model-data.ts";
import { loadModelFile } from "../model-file.ts";

const FLAGS: FlagTable = {
  model: { type: "string", value: "FILE", help: "model file (.json or .safetensors) saved by train --save" },
  data: {
    type: "string",
    value: "FILE.csv",
    help: "data to predict (header row; the model's feature columns)",
  },
  label: {
    type: "string",
    value: "COLUMN",
    help: "a label column to ignore (default: the column that is not a feature)",
  },
  out: { type: "string", value: "FILE.csv", help: "write the predictions here (default: standard output)" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Writes a saved model's predictions for CSV data as CSV: the class (and its probabilities). */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const values = commandFlags(
    FLAGS,
    argv,
    io,
    "micrograd predict --model FILE --data FILE.csv [--out FILE.csv]",
    "Predict with a saved model: one CSV row per input row, with the class and its probabilities.",
  );
  if (values === undefined) return 0;
  const modelPath = requiredFlag(values, FLAGS, "model");
  const dataPath = requiredFlag(values, FLAGS, "data");
  if (typeof values.out === "string") checkOutputPath(values.out, "--out", [dataPath, modelPath]);
  const saved = await loadModelFile(modelPath);
  const data = await readDataForModel(dataPath, saved, values.label as string | undefined, false);
  const loss = saved.loss ?? defaultLoss(saved.model);
  // Predictions need no labels: evaluate against placeholder targets and keep only the outputs.
  const e = evaluate(saved.model, { x: data.x, y: data.x.map(() => 0) }, { loss });
  const lines: string[] = [];
  if (loss === "mse") {
    lines.push("prediction", ...e.outputs.map((o) => String(o[0])));
  } else {
    const labels = saved.labels ?? defaultClassNames(saved);
    const header = ["prediction", ...(e.probabilities ? labels.map((l) => `p_${l}`) : [])];
    lines.push(header.map(csvField).join(","));
    e.predicted.forEach((c, i) => {
      const row = [csvField(labels[c]), ...(e.probabilities?.[i].map((p) => String(p)) ?? [])];
      lines.push(row.join(","));
    });
  }
  const text = `${lines.join("\n")}\n`;
  if (typeof values.out === "string") {
    await writeFileAtomic(values.out, text, "--out");
    io.err(`wrote ${data.x.length} predictions to ${values.out}\n`);
  } else io.out(text);
  return 0;
}

/** Quotes a CSV field when it holds a comma, quote or newline. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
