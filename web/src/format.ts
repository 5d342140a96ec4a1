// Numbers as a person reads them: a few digits for ordinary sizes, and "1.83 × 10⁶⁵" for huge or
// tiny ones (a diverging run's loss), never a 20-digit string or an exponent clipped on an axis.

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** `10^e` with superscript digits, e.g. "10⁻⁷". */
function power(e: number): string {
  const digits = [...String(Math.abs(e))].map((d) => SUPERSCRIPT[Number(d)]).join("");
  return `10${e < 0 ? "⁻" : ""}${digits}`;
}

/**
 * `v` with `digits` decimals when it is between 0.001 and 100,000 in size, three significant
 * digits down to 0.000001 ("0.000201"), else "m × 10ᵉ"; "–" when it is not a number, "∞" when
 * infinite.
 */
export function readable(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  const m = Math.abs(v);
  if (v === 0 || (m >= 1e-3 && m < 1e5)) return v.toFixed(digits);
  if (m >= 1e-6 && m < 1e-3) return v.toPrecision(3);
  return short(v);
}

/** A short label (an axis tick): two significant digits, "m × 10ᵉ" beyond 0.001..100,000. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return readable(v);
  const m = Math.abs(v);
  if (v === 0 || (m >= 1e-3 && m < 1e5)) return String(Number(v.toPrecision(2)));
  const [mantissa, exponent] = v.toExponential(2).split("e");
  return `${Number(mantissa)} × ${power(Number(exponent))}`;
}
