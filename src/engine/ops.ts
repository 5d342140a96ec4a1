/**
 * The primitive operations of the scalar engine, each with its forward rule and its local
 * derivatives side by side (micrograd's habit). Everything else (`sub`, `div`, `neg`, losses)
 * is built from these and needs no backward code of its own.
 *
 * `a` and `b` are the input values (for `pow`, `b` is the constant exponent), `out` the result.
 */

/**
 * Names of the primitives; `leaf` is a value made by the user, with no inputs.
 *
 * @example
 * const op: OpName = new Value(1).exp().op; // "exp"
 */
export type OpName = "leaf" | "add" | "mul" | "max" | "pow" | "exp" | "log" | "tanh" | "relu" | "sigmoid";

/**
 * How one primitive computes its output and how its output changes with each input.
 *
 * @example
 * OPS.tanh.forward(0.5, 0); // Math.tanh(0.5)
 * OPS.mul.da(2, 3, 6);     // d(a*b)/da at a=2, b=3: 3
 */
export interface OpRule {
  /** Display symbol, as in micrograd's graphs. */
  readonly symbol: string;
  /** How many node inputs: 0 (leaf), 1 (unary, or pow with a constant exponent) or 2. */
  readonly arity: 0 | 1 | 2;
  /** The output from the inputs. */
  readonly forward: (a: number, b: number) => number;
  /** d(out)/d(a). */
  readonly da: (a: number, b: number, out: number) => number;
  /** d(out)/d(b), for binary ops. */
  readonly db: (a: number, b: number, out: number) => number;
}

const none = (): number => 0;

/**
 * The rule table. `satisfies` makes a primitive without a rule a compile error.
 *
 * @example
 * for (const [name, rule] of Object.entries(OPS)) console.log(name, rule.symbol, rule.arity);
 */
export const OPS = deepFreeze({
  leaf: { symbol: "", arity: 0, forward: none, da: none, db: none },
  add: { symbol: "+", arity: 2, forward: (a, b) => a + b, da: () => 1, db: () => 1 },
  mul: { symbol: "*", arity: 2, forward: (a, b) => a * b, da: (_a, b) => b, db: (a) => a },
  // The gradient goes to the larger input; a tie splits it evenly, as PyTorch's maximum does.
  // NaN wins, as in PyTorch: a diverged value must not disappear behind a max.
  max: {
    symbol: "max",
    arity: 2,
    forward: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
    da: (a, b) => (a > b ? 1 : a === b ? 0.5 : 0),
    db: (a, b) => (a < b ? 1 : a === b ? 0.5 : 0),
  },
  pow: {
    symbol: "^",
    arity: 1,
    forward: (a, k) => a ** k,
    // a^0 is constant: its derivative is 0 even at a = 0, where k·a^(k-1) would be 0·∞ = NaN.
    da: (a, k) => (k === 0 ? 0 : k * a ** (k - 1)),
    db: none,
  },
  exp: { symbol: "exp", arity: 1, forward: Math.exp, da: (_a, _b, out) => out, db: none },
  log: { symbol: "log", arity: 1, forward: Math.log, da: (a) => 1 / a, db: none },
  tanh: { symbol: "tanh", arity: 1, forward: Math.tanh, da: (_a, _b, out) => 1 - out * out, db: none },
  // Written `a <= 0 ? 0 : a` so that NaN passes through, as in PyTorch (NaN <= 0 is false).
  relu: { symbol: "ReLU", arity: 1, forward: (a) => (a <= 0 ? 0 : a), da: (a) => (a <= 0 ? 0 : 1), db: none },
  // A primitive rather than 1/(1+exp(-x)): that composite overflows exp for large negative x.
  sigmoid: {
    symbol: "σ",
    arity: 1,
    forward: (a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))),
    da: (_a, _b, out) => out * (1 - out),
    db: none,
  },
} as const satisfies Record<OpName, OpRule>);

/**
 * Op code of each primitive, as stored on the tape.
 *
 * @example
 * OP_CODE.add; // 1: the code the tape stores for an addition
 */
export const OP_CODE = Object.freeze({
  leaf: 0,
  add: 1,
  mul: 2,
  max: 3,
  pow: 4,
  exp: 5,
  log: 6,
  tanh: 7,
  relu: 8,
  sigmoid: 9,
} as const satisfies Record<OpName, number>);

/** Op names by code. */
export const OP_NAMES: readonly OpName[] = (Object.keys(OP_CODE) as OpName[]).sort(
  (x, y) => OP_CODE[x] - OP_CODE[y],
);

/** Rules by code. */
export const RULES: readonly OpRule[] = OP_NAMES.map((name) => OPS[name]);

// The hot loops (backward, tape replay) dispatch through these switches rather than calling
// `RULES[code].da(...)`: one call site per op stays monomorphic, so the engine inlines the
// table's small functions. The formulas themselves live only in the table above.

/** The output of op `code`. */
export function forwardOf(code: number, a: number, b: number): number {
  switch (code) {
    case OP_CODE.add:
      return OPS.add.forward(a, b);
    case OP_CODE.mul:
      return OPS.mul.forward(a, b);
    case OP_CODE.max:
      return OPS.max.forward(a, b);
    case OP_CODE.pow:
      return OPS.pow.forward(a, b);
    case OP_CODE.exp:
      return OPS.exp.forward(a);
    case OP_CODE.log:
      return OPS.log.forward(a);
    case OP_CODE.tanh:
      return OPS.tanh.forward(a);
    case OP_CODE.relu:
      return OPS.relu.forward(a);
    case OP_CODE.sigmoid:
      return OPS.sigmoid.forward(a);
    default:
      throw new Error(`forward: no rule for op code ${code}`);
  }
}

/** d(out)/d(a) of op `code`. */
export function gradA(code: number, a: number, b: number, out: number): number {
  switch (code) {
    case OP_CODE.add:
      return OPS.add.da();
    case OP_CODE.mul:
      return OPS.mul.da(a, b);
    case OP_CODE.max:
      return OPS.max.da(a, b);
    case OP_CODE.pow:
      return OPS.pow.da(a, b);
    case OP_CODE.exp:
      return OPS.exp.da(a, b, out);
    case OP_CODE.log:
      return OPS.log.da(a);
    case OP_CODE.tanh:
      return OPS.tanh.da(a, b, out);
    case OP_CODE.relu:
      return OPS.relu.da(a);
    case OP_CODE.sigmoid:
      return OPS.sigmoid.da(a, b, out);
    default:
      throw new Error(`backward: no rule for op code ${code}`);
  }
}

/** d(out)/d(b) of binary op `code`. */
export function gradB(code: number, a: number, b: number): number {
  switch (code) {
    case OP_CODE.add:
      return OPS.add.db();
    case OP_CODE.mul:
      return OPS.mul.db(a);
    case OP_CODE.max:
      return OPS.max.db(a, b);
    default:
      return 0;
  }
}

// Frozen tables let the engine treat their entries as constants in the hot loops.
function deepFreeze<T extends Record<string, object>>(table: T): T {
  for (const rule of Object.values(table)) Object.freeze(rule);
  return Object.freeze(table);
}
