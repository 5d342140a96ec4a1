import { csvHeader, headerLooksLikeData, parseCsv } from "../data/csv.ts";
import type { Dataset } from "../data/dataset.ts";
import { readInput } from "./files.ts";
import type { FlagTable, FlagValues } from "./flags.ts";
import { UsageError } from "./io.ts";
import { loadIris } from "./iris.ts";

/** Flags that choose data from files (added to `train`'s table). */
export const DATA_FLAGS: FlagTable = {
  data: {
    type: "string",
    value: "FILE.csv",
    help: "train on a CSV file (header row; at most 256 MiB) instead of --dataset",
  },
  label: {
    type: "string",
    value: "COLUMN",
    help: "label column of --data, by name or 0-based index (default: the last)",
  },
  task: {
    type: "string",
    default: "classification",
    value: "classification|regression",
    help: "what the label column of --data holds: class names, or numbers to predict (mse loss)",
  },
  "no-header": {
    type: "boolean",
    help: "the first row of --data is data, not column names (named 1, 2, ...)",
  },
  delimiter: {
    type: "string",
    default: ",",
    value: "C",
    help: 'field separator of --data, e.g. ";" (\\t for tab)',
  },
  standardize: {
    type: "string",
    default: "auto",
    value: "auto|yes|no",
    help: "scale features to mean 0, std 1 with training-part statistics, saved with the model (auto: yes for --data and iris)",
  },
};

/** The training data and what the model file should remember about it. */
export interface TrainingSource {
  readonly data: Dataset;
  /** `iris`, the CSV file name, or the generated dataset's name. */
  readonly name: string;
  readonly labels?: readonly string[];
  readonly features?: readonly string[];
  /** Whether to standardise features (from --standardize, or the source's default). */
  readonly standardize: boolean;
  /** Something about the data the user should know (a first row that looks like data). */
  readonly warning?: string;
}

/** Loads `--data FILE.csv`, the iris data, or a generated dataset (`generate`). */
export async function loadTrainingSource(
  values: FlagValues,
  dataset: string,
  generate: () => Dataset,
): Promise<TrainingSource> {
  const mode = String(values.standardize ?? "auto");
  if (!["auto", "yes", "no"].includes(mode)) {
    throw new UsageError(`--standardize: expected one of auto, yes, no, got "${mode}"`);
  }
  const standardize = (fromFile: boolean): boolean => (mode === "auto" ? fromFile : mode === "yes");
  const task = String(values.task ?? "classification");
  if (task !== "classification" && task !== "regression") {
    throw new UsageError(`--task: expected one of classification, regression, got "${task}"`);
  }
  if (typeof values.data === "string") {
    const path = values.data;
    const label =
      typeof values.label === "string" && /^\d+$/.test(values.label) ? Number(values.label) : values.label;
    const header = values["no-header"] !== true;
    const delimiter = values.delimiter === "\\t" ? "\t" : String(values.delimiter ?? ",");
    try {
      const bytes = await readInput(path, "--data", { text: true });
      const csv = parseCsv(bytes, {
        label: label as string | number | undefined,
        task,
        header,
        delimiter,
      });
      const first = header ? csvHeader(bytes, delimiter) : [];
      if (task === "classification" && csv.classes < 2)
        throw new RangeError(`csv: the label column "${csv.labelName}" holds only one class`);
      return {
        data: csv,
        name: path,
        labels: csv.labels,
        features: csv.featureNames,
        standardize: standardize(true),
        ...(headerLooksLikeData(first) && {
          warning: `warning: --data "${path}": the first row (${first.join(", ")}) is all numbers, read as column names; if the file has no header, add --no-header\n`,
        }),
      };
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`--data "${path}": ${error.message}`);
      throw error;
    }
  }
  if (values.label !== undefined) throw new UsageError("--label needs --data FILE.csv");
  if (task !== "classification") throw new UsageError("--task regression needs --data FILE.csv");
  if (dataset === "iris") {
    const iris = loadIris();
    return {
      data: iris,
      name: "iris",
      labels: iris.labels,
      features: iris.featureNames,
      standardize: standardize(true),
    };
  }
  return { data: generate(), name: dataset, standardize: standardize(false) };
}
