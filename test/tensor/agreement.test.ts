// The scalar engine explains, the tensor engine runs fast, and they agree: the same MLP with
// the same weights gives the same outputs and gradients on both (float64, within 1e-12).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  batchLoss,
  fromScalarMLP,
  Linear,
  LOSSES,
  type LossName,
  MLP,
  moons,
  spiral,
  Tensor,
  tensorLoss,
  tensorMLP,
} from "../../src/index.ts";

function check(mlp: MLP, x: number[][], y: number[], lossName: LossName): void {
  // scalar engine
  for (const p of mlp.parameters()) p.grad = 0;
  const outputs = x.map((row) => mlp.forward(row));
  const scalarLoss = batchLoss(LOSSES[lossName], outputs, y);
  scalarLoss.backward();
  // tensor engine
  const model = fromScalarMLP(mlp, { dtype: "float64" });
  const xt = new Tensor(Float64Array.from(x.flat()), [x.length, mlp.nin]);
  const out = model.forward(xt);
  const loss = tensorLoss(lossName, out, y);
  loss.backward();

  const tol = 1e-12;
  const near = (a: number, b: number, what: string): void =>
    assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: tensor ${a}, scalar ${b}`);
  near(loss.item(), scalarLoss.data, "loss");
  outputs.forEach((row, i) => {
    row.forEach((v, j) => {
      near(out.data[i * row.length + j], v.data, `output [${i},${j}]`);
    });
  });
  const linears = model.layers.filter((l): l is Linear => l instanceof Linear);
  mlp.layers.forEach((layer, l) => {
    const lin = linears[l];
    layer.neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, i) => {
        near(lin.weight.grad?.data[i * lin.nout + j] ?? Number.NaN, w.grad, `layer ${l} w[${i},${j}] grad`);
      });
      near(lin.bias?.grad?.data[j] ?? Number.NaN, neuron.b.grad, `layer ${l} b[${j}] grad`);
    });
  });
}

test("scalar and tensor MLPs agree: softmax cross-entropy on spiral, 2-16-16-3", () => {
  const data = spiral({ n: 30, noise: 0.1, seed: 4 });
  check(new MLP(2, [16, 16, 3], { seed: 7 }), data.x, data.y, "softmax");
});

test("scalar and tensor MLPs agree: hinge on moons, micrograd's 2-16-16-1", () => {
  const data = moons({ n: 40, noise: 0.1, seed: 2 });
  check(new MLP(2, [16, 16, 1], { seed: 1 }), data.x, data.y, "hinge");
});

test("scalar and tensor MLPs agree: tanh layers with mse and bce", () => {
  const data = moons({ n: 20, noise: 0.2, seed: 5 });
  const mlp = new MLP(2, [8, 1], { activation: "tanh", init: "xavier", seed: 3 });
  check(mlp, data.x, data.y, "mse");
  check(mlp, data.x, data.y, "bce");
});

test("tensorMLP with init uniform starts from the scalar MLP's weights", () => {
  const mlp = new MLP(3, [4, 2], { seed: 11 });
  const model = tensorMLP(3, [4, 2], { init: "uniform", seed: 11, dtype: "float64" });
  const first = model.layers[0] as Linear;
  mlp.layers[0].neurons.forEach((neuron, j) => {
    neuron.w.forEach((w, i) => {
      assert.equal(first.weight.data[i * 4 + j], w.data);
    });
  });
});
