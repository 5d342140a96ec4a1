/**
 * About `count` evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of ten)
 * covering `[min, max]`, each inside the range.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  if (min > max) [min, max] = [max, min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  // The step whose tick count is nearest to `count`.
  const tickCount = (s: number): number => Math.floor(max / s + 1e-9) - Math.ceil(min / s - 1e-9) + 1;
  let step = power;
  for (const s of [2, 5, 10].map((k) => k * power)) {
    if (Math.abs(tickCount(s) - count) < Math.abs(tickCount(step) - count)) step = s;
  }
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  for (let k = first; k * step <= max + step * 1e-9; k++) {
    // Multiplying (not adding) avoids drift; rounding removes 0.30000000000000004.
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/** A tick label: as few decimals as the tick step needs. */
export function tickLabel(value: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(value) || 1;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(Math.min(decimals, 10));
}
