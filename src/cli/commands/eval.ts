import { classificationMetrics, logLoss } from "../../train/classification-metrics.ts";
import { defaultLoss, evaluate } from "../../train/evaluate.ts";
import { regressionMetrics } from "../../train/regression-metrics.ts";
import { classificationReport, regressionReport } from "../../train/report.ts";
import { commandFlags, type FlagTable, requiredFlag } from "../flags.ts";
import type { CliIO } from "../io.ts";
import { defaultClassNames, readDataForModel } from "../model-data.ts";
import { loadModelFile } from "../model-file.ts";

const FLAGS: FlagTable = {
  model: { type: "string", value: "FILE", help: "model file (.json or .safetensors) saved by train --save" },
  data: {
    type: "string",
    value: "FILE.csv",
    help: "labelled data (header row; the model's feature columns)",
  },
  label: {
    type: "string",
    value: "COLUMN",
    help: "label column (default: the column that is not a feature)",
  },
  json: { type: "boolean", help: "print one JSON object with the figures" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** Evaluates a saved model on labelled CSV data: a report and the confusion matrix. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const values = commandFlags(
    FLAGS,
    argv,
    io,
    "micrograd eval --model FILE --data FILE.csv",
    "Evaluate a saved model on held-out data: accuracy, precision/recall/F1, log loss, confusion matrix.",
  );
  if (values === undefined) return 0;
  const modelPath = requiredFlag(values, FLAGS, "model");
  const dataPath = requiredFlag(values, FLAGS, "data");
  const saved = await loadModelFile(modelPath);
  const data = await readDataForModel(dataPath, saved, values.label as string | undefined, true);
  const loss = saved.loss ?? defaultLoss(saved.model);
  const e = evaluate(saved.model, data, { loss });
  if (loss === "mse") {
    const m = regressionMetrics(
      e.outputs.map((o) => o[0]),
      data.y,
    );
    if (values.json)
      io.out(`${JSON.stringify({ samples: m.n, loss: e.loss, mse: m.mse, mae: m.mae, r2: m.r2 })}\n`);
    else io.out(`${saved.model.describe()} on ${dataPath}\n\n${regressionReport(m)}`);
    return 0;
  }
  const labels = saved.labels ?? defaultClassNames(saved);
  const m = classificationMetrics(e.predicted, data.y, labels.length);
  const ll = e.probabilities ? logLoss(e.probabilities, data.y) : undefined;
  if (values.json) {
    io.out(
      `${JSON.stringify({
        samples: m.n,
        accuracy: m.accuracy,
        loss: e.loss,
        logLoss: ll,
        macro: m.macro,
        perClass: m.perClass.map((s, c) => ({ label: labels[c], ...s })),
        labels,
        confusion: m.confusion,
      })}\n`,
    );
    return 0;
  }
  io.out(
    `${saved.model.describe()} on ${dataPath} (${m.n} samples)\n\n${classificationReport(m, { labels, logLoss: ll })}`,
  );
  return 0;
}
