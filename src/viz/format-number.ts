/**
 * A number as a short, readable string for pictures: fixed `digits` decimals for ordinary
 * magnitudes (micrograd's `%.4f`), scientific notation for very large or small ones, and
 * `NaN`/`Infinity` spelt out.
 */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return (0).toFixed(digits);
  const m = Math.abs(x);
  if (m >= 1e6 || m < 10 ** -digits) return x.toExponential(Math.max(1, digits - 1));
  return x.toFixed(digits);
}
