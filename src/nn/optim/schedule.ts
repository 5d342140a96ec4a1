/** A learning-rate schedule: the step size to use at update `step` (counting from 0). */
export type Schedule = (step: number) => number;

/** The same rate at every step. */
export function constant(lr: number): Schedule {
  return () => lr;
}

/** From `from` down to `to` in a straight line over `steps` updates, then `to` (micrograd's demo: 1.0 → 0.1). */
export function linearDecay(from: number, to: number, steps: number): Schedule {
  return (step) => from + (to - from) * progress(step, steps);
}

/** `lr`, multiplied by `gamma` every `every` updates. */
export function stepDecay(lr: number, every: number, gamma = 0.1): Schedule {
  if (!(every > 0)) throw new RangeError(`stepDecay: every must be a positive number of steps, got ${every}`);
  return (step) => lr * gamma ** Math.floor(step / every);
}

/** Half a cosine from `lr` down to `min` over `steps` updates, then `min`. */
export function cosine(lr: number, steps: number, min = 0): Schedule {
  return (step) => min + ((lr - min) * (1 + Math.cos(Math.PI * progress(step, steps)))) / 2;
}

/** How far `step` is through `steps` updates, from 0 to 1 (a schedule over 0 steps is already done). */
function progress(step: number, steps: number): number {
  return steps > 0 ? Math.min(1, step / steps) : 1;
}

/** Names of the schedules, for the CLI. */
export type ScheduleName = "constant" | "linear" | "step" | "cosine";

/** Every schedule name, for validating user input. */
export const SCHEDULES: readonly ScheduleName[] = ["constant", "linear", "step", "cosine"];

/**
 * A schedule by name, for `steps` updates starting at `lr`: `linear` decays to lr/10 (micrograd's
 * demo), `step` divides by 10 at each third, `cosine` decays to 0.
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
