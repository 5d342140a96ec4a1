import type { UnaryKernel } from "./expr.ts";
import { BINARY_KERNELS, type NumberFn, numberFunction, UNARY_KERNELS } from "./kernels.ts";
import { UNARY_RULES } from "./rules.ts";

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
  /** The code the fast engine stores for this op (unique; binary ops come first). */
  readonly code: number;
  /** Display symbol, as in micrograd's graphs. */
  readonly symbol: string;
  /** How many node inputs: 0 (leaf), 1 (unary, or pow with a constant exponent) or 2. */
  readonly arity: 0 | 1 | 2;
  /** The output from the inputs. */
  readonly forward: (a: number, b: number) => number;
  /** d(out)/d(a). */
  readonly da: (a: number, b: number, out: number) => number;
  /** d(out)/d(b), for binary ops (a unary op's is `none`: it has no second input). */
  readonly db: (a: number, b: number, out: number) => number;
}

// Each primitive's forward rule and derivatives, side by side. They are plain functions (not
// methods of the table below) because the hot loops call them by name: the engine inlines a
// named function, but not one it must first look up in an object on every node. The unary
// primitives take both from the tables they share with the tensor engine: the forward kernels
// on numbers (kernels.ts) and the derivative rules (rules.ts), so each is written once.
const none = (): number => 0;

const addForward = BINARY_KERNELS.add;
const addDa = (): number => 1;
const addDb = (): number => 1;

const mulForward = BINARY_KERNELS.mul;
const mulDa = (_a: number, b: number): number => b;
const mulDb = (a: number): number => a;

// NaN wins (kernels.ts). The gradient goes to the larger input; a tie splits it evenly, as
// PyTorch's maximum does.
const maxForward = BINARY_KERNELS.max;
const maxDa = (a: number, b: number): number => (a > b ? 1 : a === b ? 0.5 : 0);
const maxDb = (a: number, b: number): number => (a < b ? 1 : a === b ? 0.5 : 0);

/** `f'` of unary op `op` as a function of the input `a` and the output `out`. */
function derivative(op: Exclude<UnaryKernel, "pow">): (a: number, _b: number, out: number) => number {
  const fn = numberFunction(UNARY_RULES[op].derivative(0));
  return (a, _b, out) => fn(a, out, 0);
}

// `k` is the constant exponent; its rule depends on it (rules.ts), so one function per exponent,
// kept for the first few exponents a program uses (a loop over ever-new exponents must not grow
// the cache without bound).
const powForward = UNARY_KERNELS.pow;
const powRules = new Map<number, NumberFn>();
const powDa = (a: number, k: number): number => {
  let fn = powRules.get(k);
  if (fn === undefined) {
    fn = numberFunction(UNARY_RULES.pow.derivative(k));
    if (powRules.size < 64) powRules.set(k, fn);
  }
  return fn(a, 0, 0);
};

const expForward = UNARY_KERNELS.exp;
const expDa = derivative("exp");
const logForward = UNARY_KERNELS.log;
const logDa = derivative("log");
const tanhForward = UNARY_KERNELS.tanh;
const tanhDa = derivative("tanh");
const reluForward = UNARY_KERNELS.relu;
const reluDa = derivative("relu");
const sigmoidForward = UNARY_KERNELS.sigmoid;
const sigmoidDa = derivative("sigmoid");

// Op codes, as plain constants: the hot loops compare against these, which the engine folds (an
// object's fields it would reload). Binary ops first, so that `code <= LAST_BINARY` tells them apart.
const LEAF = 0;
const ADD = 1;
const MUL = 2;
const MAX = 3;
const POW = 4;
const EXP = 5;
const LOG = 6;
const TANH = 7;
const RELU = 8;
const SIGMOID = 9;
/** The last code of a binary op. */
export const LAST_BINARY = MAX;
/** Code of a tape slot that stands for a value of an older chunk (tape.ts): not a primitive. */
export const IMPORT = 254;
/** Code of a fused chain of `sum + p·q` nodes in a compiled graph (compile.ts): not a primitive. */
export const DOT = 255;

/**
 * The rule table: adding a primitive means adding a row here, and the compiler then asks for its
 * case in `forwardOf`, `gradA` (and `gradB` if binary) below: a missing rule is a compile error.
 *
 * @example
 * for (const [name, rule] of Object.entries(OPS)) console.log(name, rule.code, rule.symbol, rule.arity);
 */
export const OPS = deepFreeze({
  leaf: { code: LEAF, symbol: "", arity: 0, forward: none, da: none, db: none },
  add: { code: ADD, symbol: "+", arity: 2, forward: addForward, da: addDa, db: addDb },
  mul: { code: MUL, symbol: "*", arity: 2, forward: mulForward, da: mulDa, db: mulDb },
  max: { code: MAX, symbol: "max", arity: 2, forward: maxForward, da: maxDa, db: maxDb },
  pow: { code: POW, symbol: "^", arity: 1, forward: powForward, da: powDa, db: none },
  exp: { code: EXP, symbol: "exp", arity: 1, forward: expForward, da: expDa, db: none },
  log: { code: LOG, symbol: "log", arity: 1, forward: logForward, da: logDa, db: none },
  tanh: { code: TANH, symbol: "tanh", arity: 1, forward: tanhForward, da: tanhDa, db: none },
  relu: { code: RELU, symbol: "ReLU", arity: 1, forward: reluForward, da: reluDa, db: none },
  sigmoid: { code: SIGMOID, symbol: "σ", arity: 1, forward: sigmoidForward, da: sigmoidDa, db: none },
} as const satisfies Record<OpName, OpRule>);

type Table = typeof OPS;
/** The code of every op that computes something (every primitive but `leaf`). */
export type OpCode = { [K in OpName]: K extends "leaf" ? never : Table[K]["code"] }[OpName];
/** The codes of the binary ops. */
export type BinaryCode = { [K in OpName]: Table[K]["arity"] extends 2 ? Table[K]["code"] : never }[OpName];

/**
 * Op code of each primitive, as stored on the tape (derived from the table).
 *
 * @example
 * OP_CODE.add; // 1: the code the tape stores for an addition
 */
export const OP_CODE: { readonly [K in OpName]: (typeof OPS)[K]["code"] } = Object.freeze(
  Object.fromEntries(Object.entries(OPS).map(([name, rule]) => [name, rule.code])) as {
    [K in OpName]: (typeof OPS)[K]["code"];
  },
);

/** Op names by code. */
export const OP_NAMES: readonly OpName[] = namesByCode();

/** Rules by code. */
export const RULES: readonly OpRule[] = OP_NAMES.map((name) => OPS[name]);

// The hot loops (backward, tape replay) dispatch through these functions rather than calling
// `RULES[code].da(...)`: each call names its rule's function, so the engine inlines it. The
// cases run in order of how often MLPs use each op. The formulas live only in the rules above;
// `default` takes only what no case handled, which the compiler checks is nothing (`never`).

/** The output of op `code`. */
export function forwardOf(code: OpCode, a: number, b: number): number {
  switch (code) {
    case ADD:
      return addForward(a, b);
    case MUL:
      return mulForward(a, b);
    case RELU:
      return reluForward(a);
    case TANH:
      return tanhForward(a);
    case SIGMOID:
      return sigmoidForward(a);
    case EXP:
      return expForward(a);
    case LOG:
      return logForward(a);
    case POW:
      return powForward(a, b);
    case MAX:
      return maxForward(a, b);
    default:
      return noRule("forward", code);
  }
}

/** d(out)/d(a) of op `code`. */
export function gradA(code: OpCode, a: number, b: number, out: number): number {
  switch (code) {
    case ADD:
      return addDa();
    case MUL:
      return mulDa(a, b);
    case RELU:
      return reluDa(a, b, out);
    case TANH:
      return tanhDa(a, b, out);
    case SIGMOID:
      return sigmoidDa(a, b, out);
    case EXP:
      return expDa(a, b, out);
    case LOG:
      return logDa(a, b, out);
    case POW:
      return powDa(a, b);
    case MAX:
      return maxDa(a, b);
    default:
      return noRule("backward", code);
  }
}

/** d(out)/d(b) of binary op `code`. */
export function gradB(code: BinaryCode, a: number, b: number): number {
  switch (code) {
    case ADD:
      return addDb();
    case MUL:
      return mulDb(a);
    case MAX:
      return maxDb(a, b);
    default:
      return noRule("backward", code);
  }
}

/** Reached only through a code no rule has: the compiler makes sure no such code is typed. */
function noRule(pass: string, code: never): never {
  throw new Error(`${pass}: no rule for op code ${code as number}`);
}

/** Op names by code; checks that codes are unique and that binary ops come first. */
function namesByCode(): OpName[] {
  const names: OpName[] = [];
  for (const [name, rule] of Object.entries(OPS) as [OpName, OpRule][]) {
    if (names[rule.code] !== undefined || rule.code === IMPORT || rule.code === DOT)
      throw new Error(`ops: code ${rule.code} is used twice (${names[rule.code] ?? "tape"}, ${name})`);
    if ((rule.arity === 2) !== (rule.code > LEAF && rule.code <= LAST_BINARY))
      throw new Error(`ops: ${name} has arity ${rule.arity} but code ${rule.code}`);
    names[rule.code] = name;
  }
  return names;
}

// Frozen, so that no caller can change a rule under the engine.
function deepFreeze<T extends Record<string, object>>(table: T): T {
  for (const rule of Object.values(table)) Object.freeze(rule);
  return Object.freeze(table);
}
