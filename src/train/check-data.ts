import type { MLP } from "../nn/mlp.ts";
import type { TrainingData } from "./fit.ts";

/** Rejects data a scalar MLP cannot train on, naming the sample and what is wrong. */
export function checkData(model: MLP, data: TrainingData, what = "training"): void {
  const where = what === "training" ? "fit:" : `fit: ${what}`;
  if (data.x.length === 0) throw new RangeError(`fit: the ${what} data is empty`);
  if (data.x.length !== data.y.length) {
    throw new RangeError(`${where} ${data.x.length} samples but ${data.y.length} labels`);
  }
  data.x.forEach((row, i) => {
    if (row.length !== model.nin) {
      throw new RangeError(`${where} sample ${i} has ${row.length} features, the model takes ${model.nin}`);
    }
    for (const v of row)
      if (!Number.isFinite(v)) throw new RangeError(`${where} sample ${i} has a non-finite feature (${v})`);
  });
}
