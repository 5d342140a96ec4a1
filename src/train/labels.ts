/**
 * Labels: an array, or a typed array for large sequence data.
 *
 * @example
 * const y: Labels = Int32Array.of(3, 1, 0, -1);
 */
export type Labels = readonly number[] | Int32Array;

/** @internal Labels `from` to `to` as a plain array. */
export function labelRange(y: Labels, from: number, to: number): number[] {
  const out = new Array<number>(to - from);
  for (let i = from; i < to; i++) out[i - from] = y[i];
  return out;
}
