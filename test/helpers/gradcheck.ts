// The shared op-test helper (convention 3 of docs/design/README.md): an op's forward against plain
// numbers, its gradient against central finite differences in float64, and one fast-check property
// that does both at random points of the op's domain. Each op's test is then one line.
import { test } from "node:test";
import fc from "fast-check";
import type { Value } from "../../src/index.ts";
import { assertAllClose, assertClose } from "./close.ts";
import { FAST, type ScalarEngine } from "./engines.ts";

/** A function of n scalar inputs, built from `Value`s. */
export type ValueFn = (...xs: Value[]) => Value;
/** The same function on plain numbers. */
export type PlainFn = (...xs: number[]) => number;

/** Where and how an op is checked. */
export interface OpSpec {
  /** The range of each input for the random property (its length is the op's arity). */
  readonly domain: readonly (readonly [number, number])[];
  /** Fixed points checked before the random ones. */
  readonly points?: readonly (readonly number[])[];
  /** False where finite differences mean nothing (on or next to a kink): random points there are
   * skipped, fixed points there have their forward checked but not their gradient. */
  readonly smooth?: (...xs: number[]) => boolean;
  /** Random points for the property (default 200). */
  readonly runs?: number;
}

/** Tolerance of forward values against the plain formula (rounding may differ in the last bits). */
const FORWARD_TOL = 1e-12;
/** Tolerance of analytic gradients against central differences. */
const GRAD_TOL = 1e-6;

/** d f / d xs[i] by central differences, step scaled to each input's size. */
export function numericGradient(f: (xs: number[]) => number, xs: readonly number[]): number[] {
  return xs.map((x, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const plus = [...xs];
    const minus = [...xs];
    plus[i] = x + h;
    minus[i] = x - h;
    return (f(plus) - f(minus)) / (plus[i] - minus[i]);
  });
}

/** Leaves holding `xs`, the output of `f` on them after `backward()`, and their gradients. */
export function analyticGradient(
  f: ValueFn,
  xs: readonly number[],
  engine: ScalarEngine = FAST,
): { out: number; grads: number[] } {
  const leaves = xs.map((x) => new engine.Value(x));
  const out = f(...leaves);
  out.backward();
  return { out: out.data, grads: leaves.map((v) => v.grad) };
}

/** Asserts that backward through `f` at `xs` matches central finite differences of `f`'s forward. */
export function assertGradients(
  f: ValueFn,
  xs: readonly number[],
  tol = GRAD_TOL,
  engine: ScalarEngine = FAST,
): void {
  const { grads } = analyticGradient(f, xs, engine);
  const numeric = numericGradient((ys) => f(...ys.map((y) => new engine.Value(y))).data, xs);
  assertAllClose(grads, numeric, tol, `gradient at (${xs.join(", ")})`);
}

/** Checks forward (against `plain`) and backward (against finite differences) at one point. */
export function checkPoint(
  f: ValueFn,
  plain: PlainFn,
  xs: readonly number[],
  smooth = true,
  engine: ScalarEngine = FAST,
): void {
  const { out } = analyticGradient(f, xs, engine);
  assertClose(out, plain(...xs), FORWARD_TOL, `forward at (${xs.join(", ")})`);
  if (smooth) assertGradients(f, xs, GRAD_TOL, engine);
}

/**
 * Registers one test for an op on one engine (default: the fast one): fixed points, then a
 * fast-check property over its domain.
 */
export function opTest(name: string, f: ValueFn, plain: PlainFn, spec: OpSpec, engine = FAST): void {
  test(`op ${name} (${engine.name} engine): forward, gradient vs finite differences, property`, () => {
    const smooth = spec.smooth ?? (() => true);
    for (const xs of spec.points ?? []) checkPoint(f, plain, xs, smooth(...xs), engine);
    const inputs = spec.domain.map(([min, max]) =>
      fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(fc.tuple(...inputs), (xs) => {
        fc.pre(smooth(...xs));
        checkPoint(f, plain, xs, true, engine);
      }),
      { numRuns: spec.runs ?? 200, seed: 2718, includeErrorInReport: true },
    );
  });
}
