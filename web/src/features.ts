// The network's inputs computed from a point (TensorFlow Playground's features): the same
// function serves the training points, the test points and the picture's grid.
import type { Feature } from "./settings.ts";

/** How each feature is computed from x and y. */
const FEATURE: Readonly<Record<Feature, (x: number, y: number) => number>> = {
  x: (x) => x,
  y: (_, y) => y,
  x2: (x) => x * x,
  y2: (_, y) => y * y,
  xy: (x, y) => x * y,
  sinx: (x) => Math.sin(x),
  siny: (_, y) => Math.sin(y),
};

/** How the network picture names each input. */
export const FEATURE_LABEL: Readonly<Record<Feature, string>> = {
  x: "x",
  y: "y",
  x2: "x²",
  y2: "y²",
  xy: "x·y",
  sinx: "sin x",
  siny: "sin y",
};

/** The inputs for one point. */
export function featuresOf(features: readonly Feature[], x: number, y: number): number[] {
  return features.map((f) => FEATURE[f](x, y));
}

/** The inputs for `rows` points given row-major as `[rows, 2]`: row-major `[rows, features]`. */
export function featureRows(
  features: readonly Feature[],
  points: ArrayLike<number>,
  rows: number,
): Float64Array {
  const k = features.length;
  const out = new Float64Array(rows * k);
  const fns = features.map((f) => FEATURE[f]);
  for (let r = 0; r < rows; r++) {
    const x = points[2 * r];
    const y = points[2 * r + 1];
    for (let j = 0; j < k; j++) out[r * k + j] = fns[j](x, y);
  }
  return out;
}
