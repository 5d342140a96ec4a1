// Limits on what a command may ask for, checked before anything is allocated: past them a run
// would exhaust the memory or never finish, so it is refused with the estimate and the limit.
import { UsageError } from "./io.ts";

/** The most updates of a run (`--steps`): ten million, days of the smallest network. */
export const MAX_STEPS = 10_000_000;

/** The most generated samples (`--n`). */
export const MAX_SAMPLES = 1_000_000;

/** The memory a training run may plan to use: 2 GB. */
export const MAX_MEMORY_BYTES = 2e9;

/** The most values `graph` builds to draw (a network's whole scalar graph). */
export const MAX_GRAPH_VALUES = 2_000_000;

// Measured: the scalar engine keeps about 220 bytes per weight and sample of a batch (the values
// of the forward graph, their gradients and the compiled tape).
const SCALAR_BYTES_PER_WEIGHT_SAMPLE = 220;

/** Weights and biases of an MLP with layer sizes `sizes` (inputs first). */
export function mlpParameterCount(sizes: readonly number[]): number {
  let count = 0;
  for (let i = 1; i < sizes.length; i++) count += (sizes[i - 1] + 1) * sizes[i];
  return count;
}

/** Bytes the scalar engine needs for one update of an MLP on `batch` samples. */
export function scalarTrainingBytes(sizes: readonly number[], batch: number): number {
  return SCALAR_BYTES_PER_WEIGHT_SAMPLE * mlpParameterCount(sizes) * batch;
}

/**
 * Bytes the tensor engine needs to train an MLP on `batch` samples: weights, gradients and two
 * Adam buffers in float64, and a few activations per layer and sample.
 */
export function tensorTrainingBytes(sizes: readonly number[], batch: number): number {
  const activations = sizes.reduce((sum, n) => sum + n, 0);
  return 8 * (4 * mlpParameterCount(sizes) + 4 * batch * activations);
}

/** `3.2 GB` */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toPrecision(3)} TB`;
  if (bytes >= 1e9) return `${(bytes / 1e9).toPrecision(3)} GB`;
  return `${(bytes / 1e6).toPrecision(3)} MB`;
}

/** Refuses a run whose estimated memory is over `MAX_MEMORY_BYTES`, saying what to change. */
export function checkMemory(bytes: number, what: string, advice: string): void {
  if (bytes > MAX_MEMORY_BYTES) {
    throw new UsageError(
      `${what} needs about ${formatBytes(bytes)} of memory, more than the ${formatBytes(MAX_MEMORY_BYTES)} limit: ${advice}`,
    );
  }
}
