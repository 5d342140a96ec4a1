import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ActivationLayer,
  fromScalarMLP,
  Linear,
  loadModel,
  loadSafetensors,
  mlpStateDict,
  Sequential,
  saveModel,
  saveSafetensors,
  scalarTwin,
  tensor,
  tensorMLP,
} from "../../src/index.ts";

test("a tensor MLP saves through its scalar twin and loads back onto tensors", () => {
  const model = tensorMLP(3, [5, 2], { activation: "tanh", dropout: 0.1, dtype: "float64", seed: 3 });
  const twin = scalarTwin(model);
  assert.equal(twin.describe(), "MLP 3-5-2 (tanh, linear)");
  const x = [0.3, -1.2, 2];
  const ours = model.train(false).forward(tensor([x], { dtype: "float64" }));
  twin.predict(x).forEach((v, k) => assert.ok(Math.abs(v - ours.data[k]) < 1e-12));
  // Weights in PyTorch's layout: layers.0.weight is [out, in], the transpose of Linear's [in, out].
  const first = model.layers[0] as Linear;
  assert.deepEqual(mlpStateDict(twin)["layers.0.weight"].shape, [5, 3]);
  assert.equal(mlpStateDict(twin)["layers.0.weight"].data[1 * 3 + 2], first.weight.data[2 * 5 + 1]);
  for (const saved of [
    loadModel(saveModel(twin)).model,
    loadSafetensors(saveSafetensors(twin, { dtype: "F64" })).model,
  ]) {
    const back = fromScalarMLP(saved);
    const again = back.forward(tensor([x], { dtype: "float64" }));
    assert.deepEqual(Array.from(again.data), Array.from(ours.data));
  }
});

test("scalarTwin refuses what an MLP file cannot hold", () => {
  assert.throws(() => scalarTwin(new Sequential(new Linear(2, 2, { bias: false }))), /Linear without bias/);
  assert.throws(
    () => scalarTwin(new Sequential(new ActivationLayer("relu"))),
    /does not follow a Linear layer/,
  );
  assert.throws(
    () => scalarTwin(new Sequential(new Linear(2, 3), new Linear(4, 1))),
    /Linear 1 takes 4 inputs but Linear 0 gives 3/,
  );
  assert.throws(() => scalarTwin(new Sequential()), /no Linear layer/);
});
