import { type ElementwiseExpr, ex, type UnaryKernel } from "./expr.ts";

// The derivative of every unary elementwise op, written once, as an expression over the op's
// input `x` and output `y`, built from forward kernels (expr.ts). Both engines derive theirs
// from this table: the scalar engine's `exp`, `log`, `tanh`, `relu`, `sigmoid` and `pow` run a
// rule as a plain-number function (ops.ts, kernels.ts); the tensor engine evaluates `g · f'`
// through a backend's forward kernels, or compiles it into one fused kernel (wasm, WGSL).
// Backends carry no derivative code.
//
// At NaN, ±∞ and 0 the rules give what PyTorch gives: ReLU passes a NaN and its gradient
// (`x <= 0` is false for NaN), |x|' is 0 at 0 and at NaN.

/**
 * The derivative rule of one unary op: `f'` as an expression of `x` and `y = f(x)`, given the
 * op's parameter (the exponent of `pow`, unused by the others).
 *
 * @example
 * exprText(UNARY_RULES.tanh.derivative(0)); // "sub(1, mul(y, y))"
 */
export interface UnaryRule {
  readonly derivative: (param: number) => ElementwiseExpr;
}

const { x, y } = ex;

/**
 * Every unary op's derivative; an op without a rule is a compile error.
 *
 * @example
 * UNARY_RULES.exp.derivative(0); // ex.y: (e^x)' = e^x, read from the output
 */
export const UNARY_RULES: Readonly<Record<UnaryKernel, UnaryRule>> = Object.freeze({
  neg: { derivative: () => ex.num(-1) },
  exp: { derivative: () => y },
  log: { derivative: () => ex.div(1, x) },
  tanh: { derivative: () => ex.sub(1, ex.mul(y, y)) },
  // 1 where x > 0 and where x is NaN, 0 where x <= 0 (the scalar engine's `x <= 0 ? 0 : 1`)
  relu: { derivative: () => ex.eq(ex.le(x, 0), 0) },
  sigmoid: { derivative: () => ex.mul(y, ex.sub(1, y)) },
  sqrt: { derivative: () => ex.div(0.5, y) },
  // sign(x), 0 at 0 and at NaN
  abs: { derivative: () => ex.sub(ex.gt(x, 0), ex.lt(x, 0)) },
  // p·x^(p−1); x^0 is a constant, whose derivative is 0 even at x = 0 (where 0·x^(−1) is NaN)
  pow: {
    derivative: (p: number) => (p === 0 ? ex.num(0) : p === 2 ? ex.mul(2, x) : ex.mul(p, ex.pow(x, p - 1))),
  },
});

const GRADS = new Map<UnaryKernel, ElementwiseExpr>();

/**
 * The gradient an op sends to its input, `g · f'(x)`, as one expression (built once per op;
 * `pow`'s depends on its exponent).
 *
 * @example
 * exprText(unaryGrad("relu", 0)); // "mul(g, eq(le(x, 0), 0))"
 */
export function unaryGrad(op: UnaryKernel, param: number): ElementwiseExpr {
  if (op === "pow") return ex.mul(ex.g, UNARY_RULES.pow.derivative(param));
  let e = GRADS.get(op);
  if (e === undefined) {
    e = ex.mul(ex.g, UNARY_RULES[op].derivative(param));
    GRADS.set(op, e);
  }
  return e;
}
