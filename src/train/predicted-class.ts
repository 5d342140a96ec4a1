import type { LossDef } from "../nn/losses.ts";
import type { Data } from "../tensor/backend.ts";

/**
 * @internal The class `loss` reads from one row of a model's outputs: for softmax the first
 * largest output, found in place (a sequence model has a row per position: no array each),
 * for the others through `classify`.
 */
export function predictedClass(loss: LossDef, row: Data): number {
  if (loss.name !== "softmax") return loss.classify(Array.from(row));
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
