// Number comparisons for tests: one tolerance rule everywhere, and messages that say where.
import assert from "node:assert/strict";

/**
 * True when `actual` is within `tol` of `expected`: absolute for |expected| <= 1, relative above
 * (so 1e-9 means nine correct digits for large numbers and nine decimals for small ones).
 * NaN equals NaN and infinities must match exactly.
 */
export function isClose(actual: number, expected: number, tol = 1e-9): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}

/** Asserts `isClose`, naming `what` in the failure message. */
export function assertClose(actual: number, expected: number, tol = 1e-9, what = "value"): void {
  if (!isClose(actual, expected, tol)) {
    assert.fail(`${what}: got ${actual}, expected ${expected} (difference ${actual - expected}, tol ${tol})`);
  }
}

/** Asserts two lists of numbers have the same length and are element-wise close. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-9,
  what = "values",
): void {
  assert.equal(
    actual.length,
    expected.length,
    `${what}: length ${actual.length}, expected ${expected.length}`,
  );
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tol, `${what}[${i}]`);
}
