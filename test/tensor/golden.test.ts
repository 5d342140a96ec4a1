// The tensor engine against PyTorch: forward outputs and gradients of sum(output · weights)
// for fixed inputs, from test/golden/tensor.json (written by scripts/golden_tensor.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  add,
  avgPool2d,
  batchNorm,
  causalMask,
  concat,
  conv2d,
  crossEntropy,
  div,
  einsum,
  exp,
  flatten,
  gather,
  gelu,
  indexSelect,
  layerNorm,
  log,
  logSoftmax,
  maskedFill,
  matmul,
  max,
  maxPool2d,
  mean,
  meanSquaredError,
  mul,
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
  tensor,
  transpose,
} from "../../src/index.ts";

interface Case {
  name: string;
  inputs: { shape: number[]; data: number[] }[];
  output: { shape: number[]; data: number[] };
  weights: number[];
  grads: number[][];
}

const OPS: Record<string, (...xs: Tensor[]) => Tensor> = {
  add,
  sub,
  mul,
  div,
  exp,
  log,
  tanh,
  relu,
  sigmoid,
  sqrt,
  pow3: (x) => pow(x, 3),
  sumAxis1: (x) => sum(x, { axis: 1 }),
  sumAxes02Keep: (x) => sum(x, { axis: [0, 2], keepdims: true }),
  meanLast: (x) => mean(x, { axis: -1 }),
  maxAxis1: (x) => max(x, { axis: 1 }),
  matmul,
  matmulBatched: matmul,
  transpose: (x) => transpose(x),
  slice: (x) =>
    slice(x, [
      [1, 3],
      [1, 3],
    ]),
  concat: (a, b) => concat([a, b], 1),
  indexSelect: (x) => indexSelect(x, 0, [2, 0, 2]),
  gather: (x) => gather(x, 1, tensor([[1], [0]])),
  softmax: (x) => softmaxTensor(x),
  logSoftmax: (x) => logSoftmax(x),
  crossEntropy: (x) => crossEntropy(x, [2, 0, 3]),
  mse: meanSquaredError,
  conv2d: (x, w, b) => conv2d(x, w, b, { stride: [2, 1], padding: [1, 2] }),
  conv2dSame: (x, w) => conv2d(x, w, null, { padding: 2 }),
  maxPool2d: (x) => maxPool2d(x, 2),
  maxPool2dOverlap: (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }),
  avgPool2d: (x) => avgPool2d(x, 2),
  flatten: (x) => flatten(x),
  batchNorm2d: (x, w, b) => batchNorm(x, null, null, w, b),
  batchNorm1d: (x, w, b) => batchNorm(x, null, null, w, b),
  reshape: (x) => reshape(x, [3, 2, 2]),
  permute4d: (x) => transpose(x, [0, 2, 1, 3]),
  sliceTime: (x) => slice(x, [null, [1, 3]]),
  maskedFillCausal: (x) => softmaxTensor(maskedFill(x, causalMask(3), Number.NEGATIVE_INFINITY)),
  maskedFillValue: (x) => maskedFill(x, tensor([[1, 0, 1]]), 0.5),
  layerNorm: (x, w, b) => layerNorm(x, w, b),
  gelu,
  crossEntropy3d: (x) => crossEntropy(x, [1, 4, -1, 0, 2, -1], { ignoreIndex: -1 }),
  einsumAttention: (q, k) => einsum("bhtd,bhsd->bhts", q, k),
  einsumWeighted: (a, v) => einsum("bhts,bhsd->bhtd", a, v),
  einsumMatmul: (a, b) => einsum("ij,jk->ik", a, b),
  einsumOuterSum: (a, b) => einsum("ijk,jl->lik", a, b),
  einsumOwnSum: (a, b) => einsum("ij,kl->ik", a, b),
  einsumOne: (x) => einsum("ijk->kj", x),
  einsumThree: (a, b, c) => einsum("ij,jk,kl->il", a, b, c),
};

const golden = JSON.parse(readFileSync(new URL("../golden/tensor.json", import.meta.url), "utf8")) as {
  cases: Case[];
};

function close(actual: ArrayLike<number>, expected: readonly number[], what: string, tol = 1e-9): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]}`,
    );
  }
}

test("every golden case has an op", () => {
  assert.deepEqual(golden.cases.map((c) => c.name).sort(), Object.keys(OPS).sort());
});

// float64 to PyTorch's precision; float32 (the kernels training runs on: WebAssembly ones, when
// this file runs on the wasm backend) within float32 rounding
for (const [dtype, tol] of [
  ["float64", 1e-9],
  ["float32", 1e-4],
] as const) {
  for (const c of golden.cases) {
    test(`${c.name} matches PyTorch (${dtype})`, async () => {
      const array = dtype === "float64" ? Float64Array : Float32Array;
      const inputs = c.inputs.map((t) => new Tensor(array.from(t.data), t.shape, { requiresGrad: true }));
      const out = OPS[c.name](...inputs);
      assert.deepEqual(out.shape, c.output.shape);
      assert.equal(out.dtype, dtype);
      close(await out.read(), c.output.data, `${c.name} output`, tol);
      sum(mul(out, new Tensor(array.from(c.weights), c.output.shape))).backward();
      for (const [i, t] of inputs.entries()) {
        close((await t.grad?.read()) ?? [], c.grads[i], `${c.name} grad ${i}`, tol);
      }
    });
  }
}
