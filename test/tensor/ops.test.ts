// biome-ignore-all format: one line per op
// One line per op through the shared helper (forward vs plain numbers, gradients vs central
// finite differences in float64, one fast-check property).
import { test } from "node:test";
import {
  abs,
  add,
  concat,
  crossEntropy,
  div,
  exp,
  gather,
  indexSelect,
  log,
  logSoftmax,
  matmul,
  max,
  mean,
  meanSquaredError,
  mul,
  neg,
  pow,
  relu,
  reshape,
  sigmoid,
  slice,
  softmaxTensor,
  sqrt,
  sub,
  sum,
  Tensor,
  tanh,
  transpose,
} from "../../src/index.ts";
import { checkOp, elementwise } from "./op-check.ts";

const sumRef = (x: number[]): number => x.reduce((a, b) => a + b, 0);
const rows = (x: number[], cols: number): number[][] =>
  Array.from({ length: x.length / cols }, (_, r) => x.slice(r * cols, (r + 1) * cols));
const lse = (r: number[]): number => {
  const m = Math.max(...r);
  return m + Math.log(sumRef(r.map((v) => Math.exp(v - m))));
};
const mm = (a: number[], b: number[], m: number, k: number, n: number): number[] =>
  Array.from({ length: m * n }, (_, o) => {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[Math.floor(o / n) * k + p] * b[p * n + (o % n)];
    return s;
  });

test("add", () =>
  checkOp(
    "add",
    add,
    [[2, 3], [3]],
    elementwise((a, b) => a + b),
  ));
test("add (both broadcast)", () =>
  checkOp(
    "add2",
    add,
    [
      [2, 1, 3],
      [4, 1],
    ],
    elementwise((a, b) => a + b),
  ));
test("sub", () =>
  checkOp(
    "sub",
    sub,
    [
      [3, 1],
      [1, 4],
    ],
    elementwise((a, b) => a - b),
  ));
test("mul", () =>
  checkOp(
    "mul",
    mul,
    [
      [2, 3],
      [2, 3],
    ],
    elementwise((a, b) => a * b),
  ));
test("div (bias-like divisor)", () =>
  checkOp(
    "div rows",
    div,
    [[3, 4], [4]],
    elementwise((a, b) => a / b),
    { low: 0.5, high: 2 },
  ));
test("mul (bias-like factor)", () =>
  checkOp(
    "mul rows",
    mul,
    [
      [2, 2, 3],
      [2, 3],
    ],
    elementwise((a, b) => a * b),
  ));
test("div", () =>
  checkOp(
    "div",
    div,
    [
      [2, 3],
      [1, 3],
    ],
    elementwise((a, b) => a / b),
    { low: 0.5, high: 2 },
  ));
test("scalar add", () =>
  checkOp(
    "add scalar",
    (x) => add(x, 3),
    [[4]],
    elementwise((a) => a + 3),
  ));
test("scalar rsub", () =>
  checkOp(
    "rsub scalar",
    (x) => sub(1, x),
    [[2, 2]],
    elementwise((a) => 1 - a),
  ));
test("scalar mul", () =>
  checkOp(
    "mul scalar",
    (x) => mul(x, -2.5),
    [[3]],
    elementwise((a) => a * -2.5),
  ));
test("scalar div", () =>
  checkOp(
    "div scalar",
    (x) => div(x, 4),
    [[3]],
    elementwise((a) => a / 4),
  ));
test("neg", () =>
  checkOp(
    "neg",
    neg,
    [[5]],
    elementwise((a) => -a),
  ));
test("exp", () => checkOp("exp", exp, [[2, 3]], elementwise(Math.exp)));
test("log", () => checkOp("log", log, [[2, 3]], elementwise(Math.log), { low: 0.2, high: 3 }));
test("tanh", () => checkOp("tanh", tanh, [[2, 3]], elementwise(Math.tanh)));
test("relu", () =>
  checkOp(
    "relu",
    relu,
    [[3, 4]],
    elementwise((a) => Math.max(a, 0)),
  ));
test("sigmoid", () =>
  checkOp(
    "sigmoid",
    sigmoid,
    [[3, 4]],
    elementwise((a) => 1 / (1 + Math.exp(-a))),
    { low: -30, high: 30 },
  ));
test("sqrt", () => checkOp("sqrt", sqrt, [[5]], elementwise(Math.sqrt), { low: 0.3, high: 4 }));
test("abs", () => checkOp("abs", abs, [[6]], elementwise(Math.abs)));
test("pow", () =>
  checkOp(
    "pow",
    (x) => pow(x, 3),
    [[2, 2]],
    elementwise((a) => a ** 3),
  ));
test("pow 2", () =>
  checkOp(
    "pow2",
    (x) => pow(x, 2),
    [[2, 2]],
    elementwise((a) => a * a),
  ));
test("sum all", () =>
  checkOp(
    "sum",
    (x) => sum(x),
    [[2, 3, 2]],
    (xs) => [sumRef(xs[0])],
  ));
test("sum axis", () =>
  checkOp(
    "sum axis",
    (x) => sum(x, { axis: 1 }),
    [[2, 3]],
    (xs) => rows(xs[0], 3).map(sumRef),
  ));
test("sum axes keepdims", () =>
  checkOp(
    "sum axes",
    (x) => sum(x, { axis: [0, 2], keepdims: true }),
    [[2, 3, 2]],
    ([x]) => [0, 1, 2].map((j) => x[j * 2] + x[j * 2 + 1] + x[6 + j * 2] + x[7 + j * 2]),
  ));
test("mean", () =>
  checkOp(
    "mean",
    (x) => mean(x, { axis: -1 }),
    [[3, 4]],
    (xs) => rows(xs[0], 4).map((r) => sumRef(r) / 4),
  ));
test("max axis", () =>
  checkOp(
    "max",
    (x) => max(x, { axis: 1 }),
    [[3, 4]],
    (xs) => rows(xs[0], 4).map((r) => Math.max(...r)),
  ));
test("max all", () =>
  checkOp(
    "max all",
    (x) => max(x),
    [[2, 3]],
    (xs) => [Math.max(...xs[0])],
  ));
test("matmul", () =>
  checkOp(
    "matmul",
    matmul,
    [
      [3, 4],
      [4, 2],
    ],
    ([a, b]) => mm(a, b, 3, 4, 2),
  ));
test("matmul (odd sizes)", () =>
  checkOp(
    "matmul odd",
    matmul,
    [
      [5, 7],
      [7, 6],
    ],
    ([a, b]) => mm(a, b, 5, 7, 6),
  ));
test("matmul batched", () =>
  checkOp(
    "bmm",
    matmul,
    [
      [2, 3, 4],
      [2, 4, 2],
    ],
    ([a, b]) => [...mm(a.slice(0, 12), b.slice(0, 8), 3, 4, 2), ...mm(a.slice(12), b.slice(8), 3, 4, 2)],
  ));
test("matmul batch @ matrix", () =>
  checkOp(
    "bmm2",
    matmul,
    [
      [2, 3, 4],
      [4, 2],
    ],
    ([a, b]) => [...mm(a.slice(0, 12), b, 3, 4, 2), ...mm(a.slice(12), b, 3, 4, 2)],
  ));
test("matmul matrix @ batch", () =>
  checkOp(
    "bmm3",
    matmul,
    [
      [3, 4],
      [2, 4, 2],
    ],
    ([a, b]) => [...mm(a, b.slice(0, 8), 3, 4, 2), ...mm(a, b.slice(8), 3, 4, 2)],
  ));
test("reshape", () =>
  checkOp(
    "reshape",
    (x) => reshape(x, [3, -1]),
    [[2, 3]],
    ([x]) => x,
  ));
test("transpose", () =>
  checkOp(
    "transpose",
    (x) => transpose(x),
    [[2, 3]],
    ([x]) => [0, 3, 1, 4, 2, 5].map((i) => x[i]),
  ));
test("transpose perm", () =>
  checkOp(
    "permute",
    (x) => transpose(x, [2, 0, 1]),
    [[2, 1, 3]],
    ([x]) => [0, 3, 1, 4, 2, 5].map((i) => x[i]),
  ));
test("slice", () =>
  checkOp(
    "slice",
    (x) =>
      slice(x, [
        [1, 3],
        [-2, 3],
      ]),
    [[3, 3]],
    ([x]) => [4, 5, 7, 8].map((i) => x[i]),
  ));
test("concat", () =>
  checkOp(
    "concat",
    (a, b) => concat([a, b], 1),
    [
      [2, 1],
      [2, 2],
    ],
    ([a, b]) => [a[0], b[0], b[1], a[1], b[2], b[3]],
  ));
test("indexSelect", () =>
  checkOp(
    "indexSelect",
    (x) => indexSelect(x, 0, new Tensor(Float64Array.of(2, 0, 2), [3])),
    [[3, 2]],
    ([x]) => [x[4], x[5], x[0], x[1], x[4], x[5]],
  ));
test("gather", () =>
  checkOp(
    "gather",
    (x) => gather(x, 1, new Tensor(Float64Array.of(1, 0), [2, 1])),
    [[2, 3]],
    ([x]) => [x[1], x[3]],
  ));
test("softmax", () =>
  checkOp(
    "softmax",
    (x) => softmaxTensor(x),
    [[2, 4]],
    ([x]) => rows(x, 4).flatMap((r) => r.map((v) => Math.exp(v - lse(r)))),
  ));
test("logSoftmax", () =>
  checkOp(
    "logSoftmax",
    (x) => logSoftmax(x),
    [[3, 4]],
    ([x]) => rows(x, 4).flatMap((r) => r.map((v) => v - lse(r))),
    { low: -50, high: 50 },
  ));
test("crossEntropy", () =>
  checkOp(
    "crossEntropy",
    (x) => crossEntropy(x, [2, 0, 3]),
    [[3, 4]],
    ([x]) => [sumRef(rows(x, 4).map((r, i) => lse(r) - r[[2, 0, 3][i]])) / 3],
  ));
test("meanSquaredError", () =>
  checkOp(
    "mse",
    meanSquaredError,
    [
      [4, 1],
      [4, 1],
    ],
    ([p, t]) => [sumRef(p.map((v, i) => (v - t[i]) ** 2)) / 4],
  ));
