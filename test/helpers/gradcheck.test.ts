// The helpers must be able to fail: a wrong forward, a wrong gradient and a wrong number are caught.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Value } from "../../src/index.ts";
import { assertClose, isClose } from "./close.ts";
import { assertGradients, checkPoint, numericGradient } from "./gradcheck.ts";

test("checkPoint catches a forward that differs from the plain formula", () => {
  assert.throws(
    () =>
      checkPoint(
        (a) => a.mul(2),
        (a) => 2 * a + 1e-6,
        [3],
      ),
    /forward at \(3\)/,
  );
  checkPoint(
    (a) => a.mul(2),
    (a) => 2 * a,
    [3],
  );
});

test("assertGradients catches a gradient that does not match the forward", () => {
  // forward is the constant 5 (the data is overwritten), but backward still says d/da = 2
  const wrong = (a: Value) => {
    const v = a.mul(2);
    v.data = 5;
    return v;
  };
  assert.throws(() => assertGradients(wrong, [1.5]), /gradient at \(1.5\)\[0\]: got 2, expected 0/);
  assertGradients((a, b) => a.mul(b).tanh(), [0.3, -0.8]);
});

test("numericGradient and the tolerance rule", () => {
  const [dx, dy] = numericGradient(([x, y]) => x * x * y, [3, 2]);
  assertClose(dx, 12, 1e-8);
  assertClose(dy, 9, 1e-8);
  assert.ok(isClose(1e9 + 0.5, 1e9, 1e-9), "relative above 1");
  assert.ok(!isClose(1e-9 * 2.5, 0, 1e-9), "absolute below 1");
  assert.ok(isClose(Number.NaN, Number.NaN));
  assert.ok(!isClose(1e308, Number.POSITIVE_INFINITY));
  assert.throws(() => assertClose(1, 1.1, 1e-9, "x"), /x: got 1, expected 1.1/);
});
