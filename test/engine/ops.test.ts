// biome-ignore-all format: one line per op reads as a table
// Every primitive and composite op of Value, one line each through the shared helper:
// forward against plain numbers, gradient against central finite differences, a fast-check property.
import { binaryCrossEntropy, logSumExp, Value } from "../../src/index.ts";
import { opTest } from "../helpers/gradcheck.ts";

const R = [-10, 10] as const; // any real input
const POS = [0.01, 50] as const; // inputs of log, fractional powers
const apart = (eps: number) => (a: number, b: number) => Math.abs(a - b) > eps;
const off = (at: number) => (a: number) => Math.abs(a - at) > 1e-4;

// primitives and the composites Value builds from them
opTest(
  "add",
  (a, b) => a.add(b),
  (a, b) => a + b,
  {
    domain: [R, R],
    points: [
      [2, -3],
      [0, 0],
    ],
  },
);
opTest(
  "add number",
  (a) => a.add(2.5),
  (a) => a + 2.5,
  { domain: [R] },
);
opTest(
  "sub",
  (a, b) => a.sub(b),
  (a, b) => a - b,
  { domain: [R, R], points: [[2, -3]] },
);
opTest(
  "sub number",
  (a) => a.sub(-4),
  (a) => a + 4,
  { domain: [R] },
);
opTest(
  "mul",
  (a, b) => a.mul(b),
  (a, b) => a * b,
  {
    domain: [R, R],
    points: [
      [0, 4],
      [-1.5, 2],
    ],
  },
);
opTest(
  "mul self",
  (a) => a.mul(a),
  (a) => a * a,
  { domain: [R], points: [[-3]] },
);
opTest(
  "div",
  (a, b) => a.div(b),
  (a, b) => a / b,
  { domain: [R, R], smooth: (_a, b) => Math.abs(b) > 0.1, points: [[1, -0.125]] },
);
opTest(
  "div number",
  (a) => a.div(8),
  (a) => a / 8,
  { domain: [R] },
);
opTest(
  "number div",
  (a) => a.pow(-1).mul(10),
  (a) => 10 / a,
  { domain: [POS] },
);
opTest(
  "pow 2",
  (a) => a.pow(2),
  (a) => a ** 2,
  { domain: [R] },
);
opTest(
  "pow 3",
  (a) => a.pow(3),
  (a) => a ** 3,
  { domain: [R], points: [[-1.5]] },
);
opTest(
  "pow -1",
  (a) => a.pow(-1),
  (a) => 1 / a,
  { domain: [POS], points: [[-2]] },
);
opTest(
  "pow 0.5",
  (a) => a.pow(0.5),
  (a) => Math.sqrt(a),
  { domain: [POS] },
);
opTest(
  "pow -2.5",
  (a) => a.pow(-2.5),
  (a) => a ** -2.5,
  { domain: [POS] },
);
opTest(
  "pow 0",
  (a) => a.pow(0),
  () => 1,
  { domain: [R] },
);
opTest(
  "neg",
  (a) => a.neg(),
  (a) => -a,
  { domain: [R] },
);
opTest(
  "exp",
  (a) => a.exp(),
  (a) => Math.exp(a),
  { domain: [[-20, 20]], points: [[0], [-700]] },
);
opTest(
  "log",
  (a) => a.log(),
  (a) => Math.log(a),
  { domain: [POS], points: [[1], [1e6]] },
);
opTest(
  "tanh",
  (a) => a.tanh(),
  (a) => Math.tanh(a),
  { domain: [R], points: [[0], [20], [-30]] },
);
opTest(
  "relu",
  (a) => a.relu(),
  (a) => (a > 0 ? a : 0),
  { domain: [R], smooth: off(0), points: [[0], [-2], [3]] },
);
opTest(
  "sigmoid",
  (a) => a.sigmoid(),
  (a) => 1 / (1 + Math.exp(-a)),
  { domain: [[-40, 40]], points: [[0], [-800], [800]] },
);
opTest(
  "max",
  (a, b) => a.max(b),
  (a, b) => Math.max(a, b),
  {
    domain: [R, R],
    smooth: apart(1e-4),
    points: [
      [1, 2],
      [3, -1],
    ],
  },
);
opTest(
  "max number",
  (a) => a.max(0),
  (a) => Math.max(a, 0),
  { domain: [R], smooth: off(0) },
);

// composites: gradients summed over every path, reuse, long expressions
opTest(
  "neuron",
  (w1, w2, x1, x2, b) => b.add(w1.mul(x1)).add(w2.mul(x2)).tanh(),
  (w1, w2, x1, x2, b) => Math.tanh(b + w1 * x1 + w2 * x2),
  { domain: [R, R, R, R, R] },
);
opTest(
  "reuse",
  (a) =>
    a
      .mul(a)
      .add(a)
      .mul(a)
      .sub(a.exp().div(a.pow(2).add(1))),
  (a) => (a * a + a) * a - Math.exp(a) / (a * a + 1),
  { domain: [[-5, 5]] },
);
opTest(
  "shared subexpression",
  (a, b) => {
    const c = a.mul(b).tanh();
    return c.mul(c).add(c.mul(a)).add(c);
  },
  (a, b) => {
    const c = Math.tanh(a * b);
    return c * c + c * a + c;
  },
  { domain: [R, R] },
);
opTest(
  "sigmoid composite",
  (a) => new Value(1).div(a.neg().exp().add(1)),
  (a) => 1 / (1 + Math.exp(-a)),
  { domain: [[-20, 20]] },
);
opTest(
  "softplus",
  (a) => a.exp().add(1).log(),
  (a) => Math.log1p(Math.exp(a)),
  { domain: [[-20, 20]] },
);
opTest(
  "logSumExp",
  (a, b, c) => logSumExp([a, b, c]),
  (a, b, c) => {
    const m = Math.max(a, b, c);
    return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
  },
  {
    domain: [R, R, R],
    points: [
      [1, 1, 1],
      [2, 2, -1],
      [1000, 999, -1000],
    ],
  },
);
opTest(
  "bce from logit",
  (z) => binaryCrossEntropy([[z]], [0]),
  (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
  { domain: [[-30, 30]], points: [[0], [1e-9], [-2]] },
);
opTest(
  "bce from logit, target 1",
  (z) => binaryCrossEntropy([[z]], [1]),
  (z) => Math.max(z, 0) - z + Math.log1p(Math.exp(-Math.abs(z))),
  { domain: [[-30, 30]], points: [[0]] },
);
