import { type CsvDataset, csvHeader, parseCsv } from "../data/csv.ts";
import { standardize } from "../data/standardize.ts";
import type { SavedModel } from "../io/model-json.ts";
import { readInput } from "./files.ts";

/**
 * Reads a CSV file for a saved model: picks the model's feature columns by name (or all columns
 * but the label when the model has no names), maps class names to the model's indices, and
 * applies the model's feature scaling. The label column is `--label`, else the one column that is
 * not a feature, else the last (a model without feature names takes a file of exactly its inputs as
 * unlabelled); with `labelRequired` false a file without it is fine.
 */
export async function readDataForModel(
  path: string,
  saved: SavedModel,
  label: string | undefined,
  labelRequired: boolean,
): Promise<CsvDataset> {
  const bytes = await readInput(path, "--data", { text: true });
  const regression = saved.loss === "mse";
  try {
    let labelColumn: string | number | null | undefined =
      label !== undefined && /^\d+$/.test(label) ? Number(label) : label;
    if (labelColumn === undefined) {
      const all = csvHeader(bytes);
      if (saved.features !== undefined) {
        const others = all.filter((name) => !saved.features?.includes(name));
        labelColumn = others.length === 1 ? others[0] : others.length === 0 ? null : undefined;
      } else if (all.length === saved.model.nin) {
        labelColumn = null; // just the features, no labels
      }
    }
    if (labelColumn === null && labelRequired) {
      throw new RangeError(
        `csv: no label column besides the model's ${saved.model.nin} features${saved.features ? ` (${saved.features.join(", ")})` : ""}`,
      );
    }
    const csv = parseCsv(bytes, {
      label: labelColumn,
      labelOptional: !labelRequired,
      ignoreLabels: !labelRequired, // predict: a label column is skipped, whatever classes it holds
      features: saved.features,
      task: regression ? "regression" : "classification",
      classNames: regression ? undefined : (saved.labels ?? defaultClassNames(saved)),
    });
    if (csv.featureNames.length !== saved.model.nin) {
      throw new RangeError(
        `csv: ${csv.featureNames.length} feature columns (${csv.featureNames.join(", ")}) but the model takes ${saved.model.nin}`,
      );
    }
    return saved.scaling ? { ...csv, x: standardize(csv.x, saved.scaling) } : csv;
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`--data "${path}": ${error.message}`);
    throw error;
  }
}

/** Class names "0", "1", … for a model saved without names. */
export function defaultClassNames(saved: SavedModel): string[] {
  const outputs = saved.model.sizes[saved.model.sizes.length - 1];
  return Array.from({ length: outputs === 1 ? 2 : outputs }, (_, i) => String(i));
}
