/**
 * The primitive operations of the scalar engine, each with its forward rule and its local
 * derivatives side by side (micrograd's habit). Everything else (`sub`, `div`, `neg`, losses)
 * is built from these and needs no backward code of its own.
 *
 * `a` and `b` are the input values (for `pow`, `b` is the constant exponent), `out` the result.
 */

/** Names of the primitives; `leaf` is a value made by the user, with no inputs. */
export type OpName = "leaf" | "add" | "mul" | "pow" | "exp" | "log" | "tanh" | "relu" | "sigmoid";

/** How one primitive computes its output and how its output changes with each input. */
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

/** The rule table. `satisfies` makes a primitive without a rule a compile error. */
export const OPS = {
  leaf: { symbol: "", arity: 0, forward: none, da: none, db: none },
  add: { symbol: "+", arity: 2, forward: (a, b) => a + b, da: () => 1, db: () => 1 },
  mul: { symbol: "*", arity: 2, forward: (a, b) => a * b, da: (_a, b) => b, db: (a) => a },
  pow: {
    symbol: "^",
    arity: 1,
    forward: (a, k) => a ** k,
    da: (a, k) => k * a ** (k - 1),
    db: none,
  },
  exp: { symbol: "exp", arity: 1, forward: Math.exp, da: (_a, _b, out) => out, db: none },
  log: { symbol: "log", arity: 1, forward: Math.log, da: (a) => 1 / a, db: none },
  tanh: { symbol: "tanh", arity: 1, forward: Math.tanh, da: (_a, _b, out) => 1 - out * out, db: none },
  relu: { symbol: "ReLU", arity: 1, forward: (a) => (a > 0 ? a : 0), da: (a) => (a > 0 ? 1 : 0), db: none },
  // A primitive rather than 1/(1+exp(-x)): that composite overflows exp for large negative x.
  sigmoid: {
    symbol: "σ",
    arity: 1,
    forward: (a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))),
    da: (_a, _b, out) => out * (1 - out),
    db: none,
  },
} as const satisfies Record<OpName, OpRule>;

/** Op names in code order: the tape stores `OP_NAMES.indexOf(name)` per node. */
export const OP_NAMES: readonly OpName[] = Object.keys(OPS) as OpName[];

/** Rules indexed by op code, for the backward loop. */
export const RULES: readonly OpRule[] = OP_NAMES.map((name) => OPS[name]);

/** Op code of each name. */
export const OP_CODE: Readonly<Record<OpName, number>> = Object.fromEntries(
  OP_NAMES.map((name, code) => [name, code]),
) as Record<OpName, number>;
