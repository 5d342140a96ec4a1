// Every primitive and composite op of Value, one line each through the shared helper:
// forward against plain numbers, gradient against central finite differences, a fast-check property.
// The same table runs over both engines: the fast one and the learner's (micrograd-ts/learn).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type BinaryCode,
  DOT,
  forwardOf,
  gradA,
  gradB,
  IMPORT,
  LAST_BINARY,
  type OpCode,
} from "../../src/engine/ops.ts";
import { binaryCrossEntropy, logSumExp, OP_CODE, OPS, type OpRule } from "../../src/index.ts";
import { assertClose } from "../helpers/close.ts";
import { ENGINES, FAST, type ScalarEngine } from "../helpers/engines.ts";
import { numericGradient, type OpSpec, opTest, type PlainFn, type ValueFn } from "../helpers/gradcheck.ts";

const R = [-10, 10] as const; // any real input
const POS = [0.01, 50] as const; // inputs of log, fractional powers
const apart = (eps: number) => (a: number, b: number) => Math.abs(a - b) > eps;
const off = (at: number) => (a: number) => Math.abs(a - at) > 1e-4;
const lse = (...z: number[]) => {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
};
const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

// `Value` is the engine's own class, for constants. The last two rows use the fast engine's losses.
// biome-ignore format: a table, one op per line
const cases = (Value: ScalarEngine["Value"]): [string, ValueFn, PlainFn, OpSpec][] => [
  // primitives, and the composites Value builds from them
  ["add", (a, b) => a.add(b), (a, b) => a + b, { domain: [R, R], points: [[2, -3], [0, 0]] }],
  ["add number", (a) => a.add(2.5), (a) => a + 2.5, { domain: [R] }],
  ["sub", (a, b) => a.sub(b), (a, b) => a - b, { domain: [R, R], points: [[2, -3]] }],
  ["sub number", (a) => a.sub(-4), (a) => a + 4, { domain: [R] }],
  ["mul", (a, b) => a.mul(b), (a, b) => a * b, { domain: [R, R], points: [[0, 4], [-1.5, 2]] }],
  ["mul self", (a) => a.mul(a), (a) => a * a, { domain: [R], points: [[-3]] }],
  ["div", (a, b) => a.div(b), (a, b) => a / b, { domain: [R, R], smooth: (_a, b) => Math.abs(b) > 0.1, points: [[1, -0.125]] }],
  ["div number", (a) => a.div(8), (a) => a / 8, { domain: [R] }],
  ["number div", (a) => new Value(10).div(a), (a) => 10 / a, { domain: [POS], points: [[-4]] }],
  ["pow 2", (a) => a.pow(2), (a) => a ** 2, { domain: [R] }],
  ["pow 3", (a) => a.pow(3), (a) => a ** 3, { domain: [R], points: [[-1.5]] }],
  ["pow -1", (a) => a.pow(-1), (a) => 1 / a, { domain: [POS], points: [[-2]] }],
  ["pow 0.5", (a) => a.pow(0.5), (a) => Math.sqrt(a), { domain: [POS] }],
  ["pow -2.5", (a) => a.pow(-2.5), (a) => a ** -2.5, { domain: [POS] }],
  ["pow 0", (a) => a.pow(0), () => 1, { domain: [R], points: [[0]] }],
  ["neg", (a) => a.neg(), (a) => -a, { domain: [R] }],
  ["exp", (a) => a.exp(), (a) => Math.exp(a), { domain: [[-20, 20]], points: [[0], [-700]] }],
  ["log", (a) => a.log(), (a) => Math.log(a), { domain: [POS], points: [[1], [1e6]] }],
  ["tanh", (a) => a.tanh(), (a) => Math.tanh(a), { domain: [R], points: [[0], [20], [-30]] }],
  ["relu", (a) => a.relu(), (a) => (a > 0 ? a : 0), { domain: [R], smooth: off(0), points: [[0], [-2], [3]] }],
  ["sigmoid", (a) => a.sigmoid(), (a) => 1 / (1 + Math.exp(-a)), { domain: [[-40, 40]], points: [[0], [-800], [800]] }],
  ["max", (a, b) => a.max(b), (a, b) => Math.max(a, b), { domain: [R, R], smooth: apart(1e-4), points: [[1, 2], [3, -1]] }],
  ["max number", (a) => a.max(0), (a) => Math.max(a, 0), { domain: [R], smooth: off(0) }],
  // composites: gradients summed over every path, reuse, long expressions
  ["neuron", (w1, w2, x1, x2, b) => b.add(w1.mul(x1)).add(w2.mul(x2)).tanh(), (w1, w2, x1, x2, b) => Math.tanh(b + w1 * x1 + w2 * x2), { domain: [R, R, R, R, R] }],
  ["reuse", (a) => a.mul(a).add(a).mul(a).sub(a.exp().div(a.pow(2).add(1))), (a) => (a * a + a) * a - Math.exp(a) / (a * a + 1), { domain: [[-5, 5]] }],
  ["shared subexpression", (a, b) => { const c = a.mul(b).tanh(); return c.mul(c).add(c.mul(a)).add(c); }, (a, b) => { const c = Math.tanh(a * b); return c * c + c * a + c; }, { domain: [R, R] }],
  ["sigmoid composite", (a) => new Value(1).div(a.neg().exp().add(1)), (a) => 1 / (1 + Math.exp(-a)), { domain: [[-20, 20]] }],
  ["softplus", (a) => a.exp().add(1).log(), (a) => Math.log1p(Math.exp(a)), { domain: [[-20, 20]] }],
  ["logSumExp", (a, b, c) => logSumExp([a, b, c]), lse, { domain: [R, R, R], points: [[1, 1, 1], [2, 2, -1], [1000, 999, -1000]] }],
  ["bce from logit, target 0", (z) => binaryCrossEntropy([[z]], [0]), softplus, { domain: [[-30, 30]], points: [[0], [1e-9], [-2]] }],
  ["bce from logit, target 1", (z) => binaryCrossEntropy([[z]], [1]), (z) => softplus(z) - z, { domain: [[-30, 30]], points: [[0]] }],
];
const FAST_ONLY = new Set(["logSumExp", "bce from logit, target 0", "bce from logit, target 1"]);

for (const engine of ENGINES) {
  for (const [name, f, plain, spec] of cases(engine.Value)) {
    if (engine === FAST || !FAST_ONLY.has(name)) opTest(name, f, plain, spec, engine);
  }
}

// the rule table itself (public, for other engines and drawings): each local derivative against
// finite differences of the same rule's forward
test("OPS: every rule's da/db match finite differences of its forward", () => {
  const domain: Record<string, [number, number]> = { log: [0.1, 10], pow: [0.1, 5] };
  for (const [name, rule] of Object.entries(OPS) as [string, OpRule][]) {
    if (rule.arity === 0) continue;
    const [lo, hi] = domain[name] ?? [-5, 5];
    fc.assert(
      fc.property(
        fc.double({ min: lo, max: hi, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (a, b) => {
          fc.pre(Math.abs(a) > 1e-3 && Math.abs(a - b) > 1e-3); // off the kinks of relu and max
          const out = rule.forward(a, b);
          if (rule.arity === 1) {
            const [da] = numericGradient(([x]) => rule.forward(x, b), [a]);
            assertClose(rule.da(a, b, out), da, 1e-6, `${name}'(${a}; ${b})`);
          } else {
            const [da, db] = numericGradient(([x, y]) => rule.forward(x, y), [a, b]);
            assertClose(rule.da(a, b, out), da, 1e-6, `d${name}/da(${a}, ${b})`);
            assertClose(rule.db(a, b, out), db, 1e-6, `d${name}/db(${a}, ${b})`);
          }
        },
      ),
      { numRuns: 100, seed: 11, includeErrorInReport: true },
    );
  }
});

// The hot loops' dispatch (forwardOf, gradA, gradB) must be the table's rules, code by code.
test("OPS: codes are unique, binary ops first, and the hot-loop dispatch gives each rule's numbers", () => {
  const codes = Object.values(OPS).map((r) => r.code);
  assert.equal(new Set([...codes, IMPORT, DOT]).size, codes.length + 2, "one value per code");
  for (const [name, rule] of Object.entries(OPS) as [string, OpRule][]) {
    assert.equal(OP_CODE[name as keyof typeof OP_CODE], rule.code);
    assert.equal(
      rule.arity === 2,
      rule.code > 0 && rule.code <= LAST_BINARY,
      `${name}: binary codes come first`,
    );
    if (rule.arity === 0) continue;
    const code = rule.code as OpCode;
    for (const [a, b] of [
      [0.7, -1.3],
      [2, 2],
      [-0.4, 3],
      [0, 0.5],
    ]) {
      const out = rule.forward(a, b);
      assert.equal(forwardOf(code, a, b), out, `${name} forward`);
      assert.equal(gradA(code, a, b, out), rule.da(a, b, out), `${name} da`);
      if (rule.arity === 2) assert.equal(gradB(code as BinaryCode, a, b), rule.db(a, b, out), `${name} db`);
    }
  }
});
