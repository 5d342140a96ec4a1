import { type BinaryKernel, type ElementwiseExpr, exprText, type UnaryKernel } from "./expr.ts";

// Every forward kernel on plain numbers: what the scalar engine computes, and the reference that
// the tensor backends' kernels (js loops, wasm, WGSL) are tested against, NaN, ±∞ and 0 included.

/**
 * A unary kernel on one number (`p` is the parameter: the exponent of `pow`).
 *
 * @example
 * const relu: UnaryFn = (x) => (x <= 0 ? 0 : x);
 */
export type UnaryFn = (x: number, p: number) => number;

/**
 * A binary kernel on two numbers.
 *
 * @example
 * const add: BinaryFn = (a, b) => a + b;
 */
export type BinaryFn = (a: number, b: number) => number;

/**
 * The unary kernels on numbers.
 *
 * @example
 * UNARY_KERNELS.relu(-2, 0); // 0
 * UNARY_KERNELS.relu(Number.NaN, 0); // NaN: passed through, as in PyTorch
 */
export const UNARY_KERNELS = Object.freeze({
  neg: (x: number) => -x,
  exp: (x: number) => Math.exp(x),
  log: (x: number) => Math.log(x),
  tanh: (x: number) => Math.tanh(x),
  // `x <= 0 ? 0 : x`, so that NaN passes through (NaN <= 0 is false), as in PyTorch
  relu: (x: number) => (x <= 0 ? 0 : x),
  // 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) below, so that exp never overflows
  sigmoid: (x: number) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  },
  sqrt: (x: number) => Math.sqrt(x),
  abs: (x: number) => Math.abs(x),
  pow: (x: number, p: number) => x ** p,
} satisfies Record<UnaryKernel, UnaryFn>);

/**
 * The binary kernels on numbers; comparisons give 1 or 0.
 *
 * @example
 * BINARY_KERNELS.max(Number.NaN, 1); // NaN: a diverged value does not hide behind a max
 */
export const BINARY_KERNELS = Object.freeze({
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  // NaN wins, as in PyTorch's maximum and minimum
  max: (a: number, b: number) => (a >= b || Number.isNaN(a) ? a : b),
  min: (a: number, b: number) => (a <= b || Number.isNaN(a) ? a : b),
  eq: (a: number, b: number) => (a === b ? 1 : 0),
  ne: (a: number, b: number) => (a !== b ? 1 : 0),
  lt: (a: number, b: number) => (a < b ? 1 : 0),
  le: (a: number, b: number) => (a <= b ? 1 : 0),
  gt: (a: number, b: number) => (a > b ? 1 : 0),
  ge: (a: number, b: number) => (a >= b ? 1 : 0),
} satisfies Record<BinaryKernel, BinaryFn>);

/**
 * An expression as a plain-number function of an op's input `x`, output `y` and gradient `g`.
 *
 * @example
 * const f: NumberFn = (_x, y) => 1 - y * y; // tanh's derivative
 */
export type NumberFn = (x: number, y: number, g: number) => number;

// The commonest derivative rules (rules.ts) as single functions, keyed by the rule's text: a
// composed expression costs a call per node, which the scalar engine's backward would pay on
// every activation. A form is used only for the exact expression it is keyed by, and
// test/engine/rules.test.ts checks each against the composed expression and that each key is
// still a rule's, so a changed rule falls back to the composition rather than going stale.
const FUSED: Readonly<Record<string, NumberFn>> = {
  "eq(le(x, 0), 0)": (x) => (x <= 0 ? 0 : 1),
  "sub(1, mul(y, y))": (_x, y) => 1 - y * y,
  "mul(y, sub(1, y))": (_x, y) => y * (1 - y),
  "div(1, x)": (x) => 1 / x,
  y: (_x, y) => y,
};

/**
 * The expressions `numberFunction` has single-function forms for (for the tests).
 *
 * @example
 * FUSED_RULES.includes("sub(1, mul(y, y))"); // true: tanh's derivative
 */
export const FUSED_RULES: readonly string[] = Object.keys(FUSED);

/**
 * An expression as a function of the numbers `x`, `y` and `g`: the scalar engine runs its
 * derivative rules this way.
 *
 * @example
 * const tanhDerivative = numberFunction(ex.sub(1, ex.mul(ex.y, ex.y)));
 * tanhDerivative(0.5, Math.tanh(0.5), 0); // 1 − tanh²(0.5)
 */
export function numberFunction(e: ElementwiseExpr): NumberFn {
  return FUSED[exprText(e)] ?? composed(e);
}

/**
 * The expression as closures over the kernels, one per node (what every fused form is tested
 * against).
 *
 * @example
 * composed(ex.mul(ex.g, ex.y))(0, 2, 3); // 6
 */
export function composed(e: ElementwiseExpr): NumberFn {
  switch (e.kind) {
    case "input":
      return e.name === "x" ? (x) => x : e.name === "y" ? (_x, y) => y : (_x, _y, g) => g;
    case "const": {
      const v = e.value;
      return () => v;
    }
    case "unary": {
      const f: UnaryFn = UNARY_KERNELS[e.op];
      const a = composed(e.a);
      const p = e.param;
      return (x, y, g) => f(a(x, y, g), p);
    }
    case "binary": {
      const f: BinaryFn = BINARY_KERNELS[e.op];
      const a = composed(e.a);
      const b = composed(e.b);
      return (x, y, g) => f(a(x, y, g), b(x, y, g));
    }
  }
}
