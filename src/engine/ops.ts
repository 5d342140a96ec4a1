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

// Each primitive's forward rule and derivatives, side by side. They are plain functions (not
// methods of the table below) because the hot loops call them by name: the engine inlines a
// named function, but not one it must first look up in an object on every node.
const none = (): number => 0;

const addForward = (a: number, b: number): number => a + b;
const addDa = (): number => 1;
const addDb = (): number => 1;

const mulForward = (a: number, b: number): number => a * b;
const mulDa = (_a: number, b: number): number => b;
const mulDb = (a: number): number => a;

// The gradient goes to the larger input; a tie splits it evenly, as PyTorch's maximum does.
// NaN wins, as in PyTorch: a diverged value must not disappear behind a max.
const maxForward = (a: number, b: number): number => (a >= b || Number.isNaN(a) ? a : b);
const maxDa = (a: number, b: number): number => (a > b ? 1 : a === b ? 0.5 : 0);
const maxDb = (a: number, b: number): number => (a < b ? 1 : a === b ? 0.5 : 0);

// `k` is the constant exponent. a^0 is constant: its derivative is 0 even at a = 0, where
// k·a^(k-1) would be 0·∞ = NaN.
const powForward = (a: number, k: number): number => a ** k;
const powDa = (a: number, k: number): number => (k === 0 ? 0 : k * a ** (k - 1));

const expForward = Math.exp;
const expDa = (_a: number, _b: number, out: number): number => out;

const logForward = Math.log;
const logDa = (a: number): number => 1 / a;

const tanhForward = Math.tanh;
const tanhDa = (_a: number, _b: number, out: number): number => 1 - out * out;

// Written `a <= 0 ? 0 : a` so that NaN passes through, as in PyTorch (NaN <= 0 is false).
const reluForward = (a: number): number => (a <= 0 ? 0 : a);
const reluDa = (a: number): number => (a <= 0 ? 0 : 1);

// A primitive rather than 1/(1+exp(-x)): that composite overflows exp for large negative x.
const sigmoidForward = (a: number): number =>
  a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
const sigmoidDa = (_a: number, _b: number, out: number): number => out * (1 - out);

/**
 * The rule table. `satisfies` makes a primitive without a rule a compile error.
 *
 * @example
 * for (const [name, rule] of Object.entries(OPS)) console.log(name, rule.symbol, rule.arity);
 */
export const OPS = deepFreeze({
  leaf: { symbol: "", arity: 0, forward: none, da: none, db: none },
  add: { symbol: "+", arity: 2, forward: addForward, da: addDa, db: addDb },
  mul: { symbol: "*", arity: 2, forward: mulForward, da: mulDa, db: mulDb },
  max: { symbol: "max", arity: 2, forward: maxForward, da: maxDa, db: maxDb },
  pow: { symbol: "^", arity: 1, forward: powForward, da: powDa, db: none },
  exp: { symbol: "exp", arity: 1, forward: expForward, da: expDa, db: none },
  log: { symbol: "log", arity: 1, forward: logForward, da: logDa, db: none },
  tanh: { symbol: "tanh", arity: 1, forward: tanhForward, da: tanhDa, db: none },
  relu: { symbol: "ReLU", arity: 1, forward: reluForward, da: reluDa, db: none },
  sigmoid: { symbol: "σ", arity: 1, forward: sigmoidForward, da: sigmoidDa, db: none },
} as const satisfies Record<OpName, OpRule>);

// Codes as plain constants too: the hot loops compare against these, which the engine folds.
const ADD = 1;
const MUL = 2;
const MAX = 3;
const POW = 4;
const EXP = 5;
const LOG = 6;
const TANH = 7;
const RELU = 8;
const SIGMOID = 9;

/**
 * Op code of each primitive, as stored on the tape.
 *
 * @example
 * OP_CODE.add; // 1: the code the tape stores for an addition
 */
export const OP_CODE = Object.freeze({
  leaf: 0,
  add: ADD,
  mul: MUL,
  max: MAX,
  pow: POW,
  exp: EXP,
  log: LOG,
  tanh: TANH,
  relu: RELU,
  sigmoid: SIGMOID,
} as const satisfies Record<OpName, number>);

/** Op names by code. */
export const OP_NAMES: readonly OpName[] = (Object.keys(OP_CODE) as OpName[]).sort(
  (x, y) => OP_CODE[x] - OP_CODE[y],
);

/** Rules by code. */
export const RULES: readonly OpRule[] = OP_NAMES.map((name) => OPS[name]);

// The hot loops (backward, tape replay) dispatch through these functions rather than calling
// `RULES[code].da(...)`: each call names its rule's function, so the engine inlines it. The
// tests run in order of how often MLPs use each op. The formulas live only in the rules above.

/** The output of op `code`. */
export function forwardOf(code: number, a: number, b: number): number {
  if (code === ADD) return addForward(a, b);
  if (code === MUL) return mulForward(a, b);
  if (code === RELU) return reluForward(a);
  if (code === TANH) return tanhForward(a);
  if (code === SIGMOID) return sigmoidForward(a);
  if (code === EXP) return expForward(a);
  if (code === LOG) return logForward(a);
  if (code === POW) return powForward(a, b);
  if (code === MAX) return maxForward(a, b);
  throw new Error(`forward: no rule for op code ${code}`);
}

/** d(out)/d(a) of op `code`. */
export function gradA(code: number, a: number, b: number, out: number): number {
  if (code === ADD) return addDa();
  if (code === MUL) return mulDa(a, b);
  if (code === RELU) return reluDa(a);
  if (code === TANH) return tanhDa(a, b, out);
  if (code === SIGMOID) return sigmoidDa(a, b, out);
  if (code === EXP) return expDa(a, b, out);
  if (code === LOG) return logDa(a);
  if (code === POW) return powDa(a, b);
  if (code === MAX) return maxDa(a, b);
  throw new Error(`backward: no rule for op code ${code}`);
}

/** d(out)/d(b) of binary op `code` (0 for the others). */
export function gradB(code: number, a: number, b: number): number {
  if (code === ADD) return addDb();
  if (code === MUL) return mulDb(a);
  if (code === MAX) return maxDb(a, b);
  return 0;
}

// Frozen, so that no caller can change a rule under the engine.
function deepFreeze<T extends Record<string, object>>(table: T): T {
  for (const rule of Object.values(table)) Object.freeze(rule);
  return Object.freeze(table);
}
