import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { buildExpression, ExpressionError, expressionVariables, parseExpression } from "../../src/index.ts";

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

// Each expression against the same formula in plain JavaScript.
const CASES: [string, (v: Record<string, number>) => number][] = [
  ["tanh(x1*w1 + x2*w2 + b)", (v) => Math.tanh(v.x1 * v.w1 + v.x2 * v.w2 + v.b)],
  ["a - b - c", (v) => v.a - v.b - v.c],
  ["a / b / c", (v) => v.a / v.b / v.c],
  ["-a^2", (v) => -(v.a ** 2)],
  ["(-a)^2", (v) => (-v.a) ** 2],
  ["a^-1 + 2**3**2", (v) => v.a ** -1 + 2 ** 9],
  ["a ^ (1/2 + 1)", (v) => Math.abs(v.a) ** 1.5 * (v.a < 0 ? Number.NaN : 1)],
  [
    "exp(a) * log(b) + relu(c - 1) - sigmoid(-a)",
    (v) => Math.exp(v.a) * Math.log(v.b) + Math.max(0, v.c - 1) - sigmoid(-v.a),
  ],
  ["max(a, b*c) + .5e1 - -a", (v) => Math.max(v.a, v.b * v.c) + 5 + v.a],
  ["a*a*a + 2*a", (v) => v.a ** 3 + 2 * v.a],
];

const VALUES = { a: 1.3, b: 2.5, c: 1.7, x1: 2, x2: 0, w1: -3, w2: 1, b2: 0 };

test("expressions evaluate like the same formula in JavaScript", () => {
  for (const [source, f] of CASES) {
    const { output } = buildExpression(source, { ...VALUES, b: source.startsWith("tanh") ? 6.88 : VALUES.b });
    const expected = f({ ...VALUES, b: source.startsWith("tanh") ? 6.88 : VALUES.b });
    assert.ok(Math.abs(output.data - expected) < 1e-12, `${source}: ${output.data} vs ${expected}`);
  }
});

test("gradients of parsed expressions match central finite differences", () => {
  for (const [source, f] of CASES) {
    const point = { a: 1.3, b: 2.5, c: 1.7, x1: 2, x2: 0.4, w1: -3, w2: 1 };
    const { output, variables } = buildExpression(source, point);
    output.backward();
    for (const [name, v] of variables) {
      const h = 1e-6;
      const up = f({ ...point, [name]: point[name as keyof typeof point] + h });
      const down = f({ ...point, [name]: point[name as keyof typeof point] - h });
      const numeric = (up - down) / (2 * h);
      assert.ok(Math.abs(v.grad - numeric) < 1e-5 * Math.max(1, Math.abs(numeric)), `${source} d/d${name}`);
    }
  }
});

test("a variable used twice is one leaf and its gradient sums both uses", () => {
  const { output, variables } = buildExpression("x*x + 3*x", { x: 2 });
  output.backward();
  assert.equal(variables.size, 1);
  assert.equal(variables.get("x")?.label, "x");
  assert.equal(variables.get("x")?.grad, 2 * 2 + 3);
  assert.deepEqual(expressionVariables(parseExpression("b*a + a - c*b")), ["b", "a", "c"]);
});

/** The error an expression throws: message and column. */
function failure(source: string, values: Record<string, number> = { x: 1, y: 2 }): [string, number] {
  try {
    buildExpression(source, values);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, `${source}: ${error}`);
    return [error.message, error.column];
  }
  assert.fail(`${source} should fail`);
}

test("bad syntax and unknown names are errors with the column", () => {
  assert.deepEqual(failure("tan(x)"), [
    'expression, column 1: unknown function "tan" (known: exp, log, tanh, relu, sigmoid, max)',
    1,
  ]);
  assert.deepEqual(failure("tanh(x"), [
    'expression, column 7: expected ")" to close tanh(, found the end of the expression',
    7,
  ]);
  assert.deepEqual(failure("x + * y"), [
    'expression, column 5: expected a number, a name or "(", found "*"',
    5,
  ]);
  assert.deepEqual(failure("x $ y"), ['expression, column 3: unexpected character "$"', 3]);
  assert.deepEqual(failure("x y"), ['expression, column 3: expected an operator or the end, found "y"', 3]);
  assert.deepEqual(failure("(x + y"), [
    'expression, column 7: expected ")" to close the "(" at column 1, found the end of the expression',
    7,
  ]);
  assert.deepEqual(failure("   "), ["expression, column 1: the expression is empty", 1]);
  assert.deepEqual(failure("x + z*2"), ['expression, column 5: no value given for the variable "z"', 5]);
  assert.deepEqual(failure("x ^ y"), [
    'expression, column 5: the exponent must be a number, not the variable "y" (pow takes a constant exponent)',
    5,
  ]);
  assert.deepEqual(failure("max(x)"), ["expression, column 1: max takes 2 arguments, got 1", 1]);
  assert.deepEqual(failure("exp(x, y)"), ["expression, column 1: exp takes 1 argument, got 2", 1]);
});

test("property: sums and products of random constants evaluate as in JavaScript", () => {
  const term = fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom("+", "-", "*"));
  fc.assert(
    fc.property(
      fc.array(term, { minLength: 1, maxLength: 8 }),
      fc.double({ min: -10, max: 10, noNaN: true }),
      (terms, x) => {
        const source = `x${terms.map(([c, op]) => ` ${op} (${c})`).join("")}`;
        // Same precedence: build the JavaScript expression from the same text.
        const expected = Function("x", `return ${source};`)(x) as number;
        const { output } = buildExpression(source, { x });
        return (
          Object.is(output.data, expected) ||
          Math.abs(output.data - expected) <= 1e-9 * Math.max(1, Math.abs(expected))
        );
      },
    ),
  );
});
