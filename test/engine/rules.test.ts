// Each elementwise derivative rule is written once (engine/rules.ts) and both engines take it from
// there: the scalar engine's primitives run the rule on numbers, the tensor engine through its
// backends' kernels (test/tensor/fused.test.ts). Checked here: the scalar engine's derivatives are
// the table's, the single-function forms are the expressions they are keyed by, and the forward
// kernels on numbers are the scalar engine's forward rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exprText, type UnaryKernel } from "../../src/engine/expr.ts";
import { composed, FUSED_RULES, numberFunction, UNARY_KERNELS } from "../../src/engine/kernels.ts";
import { OPS } from "../../src/engine/ops.ts";
import { UNARY_RULES } from "../../src/engine/rules.ts";
import { Rng } from "../../src/index.ts";
import { SPECIAL_VALUES } from "../helpers/special-values.ts";

const rng = new Rng(3);
const INPUTS = [...SPECIAL_VALUES, ...Array.from({ length: 50 }, () => rng.normal() * 4)];
const EXPONENTS = [0, 1, 2, 3, -1, 0.5];
// The scalar engine's unary primitives, all of which take their rules from the table.
const SCALAR_UNARY = ["exp", "log", "tanh", "relu", "sigmoid", "pow"] as const;

/** Equal as numbers, NaN equal to NaN (and 0 to -0, as gradients are summed). */
function same(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual), `${what}: ${actual}, expected NaN`);
  else assert.equal(actual, expected, what);
}

test("the scalar engine's unary primitives compute the table's forward kernels and derivatives", () => {
  for (const op of SCALAR_UNARY) {
    for (const p of op === "pow" ? EXPONENTS : [0]) {
      const rule = composed(UNARY_RULES[op].derivative(p));
      for (const x of INPUTS) {
        const y = UNARY_KERNELS[op](x, p);
        same(OPS[op].forward(x, p), y, `${op} forward at ${x}`);
        same(OPS[op].da(x, p, y), rule(x, y, 0), `${op}(p=${p})' at ${x}`);
      }
    }
  }
});

test("each single-function form is still some rule's expression, and computes it", () => {
  const rules = new Map<string, UnaryKernel>();
  for (const op of Object.keys(UNARY_RULES) as UnaryKernel[])
    for (const p of op === "pow" ? EXPONENTS : [0]) rules.set(exprText(UNARY_RULES[op].derivative(p)), op);
  for (const key of FUSED_RULES) {
    const op = rules.get(key);
    assert.ok(op !== undefined, `"${key}" is no rule's derivative any more: remove its form`);
    const e = UNARY_RULES[op].derivative(0);
    const fast = numberFunction(e);
    const slow = composed(e);
    for (const x of INPUTS) {
      const y = UNARY_KERNELS[op](x, 0);
      same(fast(x, y, 0), slow(x, y, 0), `${key} at x=${x}`);
    }
  }
});

test("a rule with no single-function form runs composed", () => {
  const f = numberFunction(UNARY_RULES.abs.derivative(0)); // sign(x)
  assert.deepEqual(
    [-2, 0, 3, Number.NaN].map((x) => f(x, Math.abs(x), 0)),
    [-1, 0, 1, 0],
  );
});
