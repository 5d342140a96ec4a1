/**
 * A learning-rate schedule: the step size to use at update `step` (counting from 0).
 *
 * @example
 * const warmup: Schedule = (step) => 0.1 * Math.min(1, step / 100);
 * fit(model, data, { lr: warmup });
 */
export type Schedule = (step: number) => number;

/**
 * The same rate at every step.
 *
 * @example
 * constant(0.1)(500); // 0.1 at every step
 */
export function constant(lr: number): Schedule {
  return () => lr;
}

/**
 * From `from` down to `to` in a straight line over `steps` updates, then `to` (micrograd's demo: 1.0 → 0.1).
 *
 * @example
 * const lr = linearDecay(1.0, 0.1, 100); // micrograd's demo: 1.0 - 0.9 * step / 100
 * lr(50); // 0.55
 */
export function linearDecay(from: number, to: number, steps: number): Schedule {
  return (step) => from + (to - from) * progress(step, steps);
}

/**
 * `lr`, multiplied by `gamma` every `every` updates.
 *
 * @example
 * const lr = stepDecay(0.1, 100, 0.5); // halves every 100 steps
 * lr(250); // 0.025
 */
export function stepDecay(lr: number, every: number, gamma = 0.1): Schedule {
  if (!(every > 0)) throw new RangeError(`stepDecay: every must be a positive number of steps, got ${every}`);
  return (step) => lr * gamma ** Math.floor(step / every);
}

/**
 * Half a cosine from `lr` down to `min` over `steps` updates, then `min`.
 *
 * @example
 * const lr = cosine(0.1, 1000, 0.001); // 0.1 at step 0, 0.001 at step 1000, along half a cosine
 * lr(500); // 0.0505
 */
export function cosine(lr: number, steps: number, min = 0): Schedule {
  return (step) => min + ((lr - min) * (1 + Math.cos(Math.PI * progress(step, steps)))) / 2;
}

/**
 * A linear warm-up from 0 to `lr` over `warmup` updates, then half a cosine down to `min` at
 * update `steps` (nanoGPT's schedule): small first steps while Adam's moments are still noisy.
 *
 * @example
 * const lr = warmupCosine(3e-3, 100, 5000, 3e-4);
 * lr(50); // 1.5e-3, halfway up
 */
export function warmupCosine(lr: number, warmup: number, steps: number, min = 0): Schedule {
  if (!(warmup >= 0)) throw new RangeError(`warmupCosine: warmup must be >= 0 steps, got ${warmup}`);
  const decay = cosine(lr, Math.max(0, steps - warmup), min);
  return (step) => (step < warmup ? (lr * (step + 1)) / (warmup + 1) : decay(step - warmup));
}

/** How far `step` is through `steps` updates, from 0 to 1 (a schedule over 0 steps is already done). */
function progress(step: number, steps: number): number {
  return steps > 0 ? Math.min(1, step / steps) : 1;
}

/**
 * Names of the schedules, for the CLI.
 *
 * @example
 * const name: ScheduleName = "linear";
 */
export type ScheduleName = "constant" | "linear" | "step" | "cosine";

/**
 * Every schedule name, for validating user input.
 *
 * @example
 * SCHEDULES; // the names scheduleByName accepts
 */
export const SCHEDULES: readonly ScheduleName[] = ["constant", "linear", "step", "cosine"];

/**
 * A schedule by name, for `steps` updates starting at `lr`: `linear` decays to lr/10 (micrograd's
 * demo), `step` divides by 10 at each third, `cosine` decays to 0.
 *
 * @example
 * const lr = scheduleByName("cosine", 0.1, 1000); // from CLI flags
 */
export function scheduleByName(name: ScheduleName, lr: number, steps: number): Schedule {
  switch (name) {
    case "constant":
      return constant(lr);
    case "linear":
      return linearDecay(lr, lr / 10, steps);
    case "step":
      return stepDecay(lr, Math.max(1, Math.ceil(steps / 3)), 0.1);
    case "cosine":
      return cosine(lr, steps);
  }
}
