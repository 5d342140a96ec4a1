import assert from "node:assert/strict";
import { test } from "node:test";
import * as ort from "onnxruntime-web";
import { exportOnnx, MLP, softmax } from "../../src/index.ts";

ort.env.wasm.numThreads = 1;

test("the exported MLP runs in ONNX Runtime and matches our outputs", async () => {
  const model = new MLP(4, [6, 5, 3], { activation: ["tanh", "relu", "linear"], seed: 3, init: "xavier" });
  const scaling = { mean: [5.8, 3.0, 3.7, 1.2], std: [0.8, 0.4, 1.7, 0.8] };
  const session = await ort.InferenceSession.create(exportOnnx(model, { scaling, probabilities: true }));
  assert.deepEqual(session.inputNames, ["input"]);
  assert.deepEqual(session.outputNames, ["output", "probabilities"]);
  const rows = [
    [5.1, 3.5, 1.4, 0.2],
    [6.3, 3.3, 6.0, 2.5],
    [0, 0, 0, 0],
  ];
  const result = await session.run({
    input: new ort.Tensor("float32", Float32Array.from(rows.flat()), [3, 4]),
  });
  const out = result.output.data as Float32Array;
  const probs = result.probabilities.data as Float32Array;
  rows.forEach((row, i) => {
    const scaled = row.map((v, j) => (v - scaling.mean[j]) / scaling.std[j]);
    const ours = model.predict(scaled);
    const p = softmax(ours);
    for (let k = 0; k < 3; k++) {
      assert.ok(
        Math.abs(out[i * 3 + k] - ours[k]) < 1e-5,
        `output ${i},${k}: ${out[i * 3 + k]} vs ${ours[k]}`,
      );
      assert.ok(Math.abs(probs[i * 3 + k] - p[k]) < 1e-5);
    }
  });
});

test("sigmoid output and a single layer", async () => {
  const model = new MLP(2, [1], { activation: ["sigmoid"], seed: 2 });
  const session = await ort.InferenceSession.create(exportOnnx(model));
  const result = await session.run({
    input: new ort.Tensor("float32", Float32Array.from([0.5, -2]), [1, 2]),
  });
  assert.ok(Math.abs((result.output.data as Float32Array)[0] - model.predict([0.5, -2])[0]) < 1e-6);
  assert.throws(
    () => exportOnnx(model, { scaling: { mean: [0], std: [1] } }),
    /scaling has 1 means and 1 stds for 2 inputs/,
  );
});
