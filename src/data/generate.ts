import { blobs } from "./blobs.ts";
import { circles } from "./circles.ts";
import type { Dataset, GenerateOptions } from "./dataset.ts";
import { moons } from "./moons.ts";
import { spiral } from "./spiral.ts";
import { xor } from "./xor.ts";

/**
 * Names of the generated 2-D datasets.
 *
 * @example
 * const name: DatasetName = "spiral";
 * const data = DATASETS[name]({ n: 300 });
 */
export type DatasetName = "moons" | "circles" | "spiral" | "xor" | "blobs";

/**
 * The generators by name, for the CLI and the playground.
 *
 * @example
 * const data = DATASETS.moons({ n: 100, noise: 0.1 });
 */
export const DATASETS: Readonly<
  Record<DatasetName, (options?: GenerateOptions & { classes?: number }) => Dataset>
> = {
  moons,
  circles,
  spiral,
  xor,
  blobs,
};
