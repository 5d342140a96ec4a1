// Steps for rates typed in a text field: the arrow keys move through 1, 3, 10, 30, … times a
// power of ten, so that one press from 0.03 gives 0.1 (or 0.01), never 1.03.

/** The rungs within one decade. */
const RUNGS = [1, 3];

/**
 * The next rung above (`direction` 1) or below (-1) `value` on the 1-3-10 ladder, from 10⁻⁶ to
 * 10. With `zero`, stepping down from the lowest rung gives 0 and up from 0 the lowest rung (for
 * penalties, where 0 means off).
 */
export function ladderStep(value: number, direction: 1 | -1, zero = false): number {
  const rungs: number[] = [];
  for (let e = -6; e <= 1; e++) for (const r of RUNGS) rungs.push(Number((r * 10 ** e).toPrecision(1)));
  const ladder = rungs.filter((v) => v <= 10);
  if (zero) ladder.unshift(0);
  if (!Number.isFinite(value)) return ladder[zero ? 0 : ladder.length - 1];
  if (direction > 0) return ladder.find((v) => v > value * (1 + 1e-9)) ?? ladder[ladder.length - 1];
  for (let i = ladder.length - 1; i >= 0; i--) if (ladder[i] < value * (1 - 1e-9)) return ladder[i];
  return ladder[0];
}
