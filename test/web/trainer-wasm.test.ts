// The playground's run on the tensor engine with the WebAssembly backend: it starts from the
// scalar run's weights, reports them in the scalar MLP's order, agrees with the scalar compiled
// tape (float64) within float32 tolerance step by step, and learns the moons.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { backend, MLP } from "../../src/index.ts";
import { layerRows } from "../../web/src/forward.ts";
import { makeProblem } from "../../web/src/problem.ts";
import { defaultSettings, type Settings } from "../../web/src/settings.ts";
import { startWasm, type TensorEngine, tensorEngine } from "../../web/src/tensor-engine.ts";
import { Run } from "../../web/src/trainer.ts";

let label = "";

before(async () => {
  label = await startWasm();
});

function setup(changes: Partial<Settings> = {}) {
  const settings = { ...defaultSettings(), ...changes };
  return { type: "setup" as const, settings, ...makeProblem(settings) };
}

test("startWasm puts tensor ops on the wasm backend and names it", () => {
  assert.equal(backend().name, "wasm");
  assert.match(label, /^wasm SIMD( \+ FMA)? \(tensors, float32\)$/);
  const run = new Run(setup(), tensorEngine(label));
  assert.equal(run.progress(false).message.engine, label);
  const fallback = new Run(setup(), tensorEngine(label), "asked for something else");
  assert.equal(fallback.progress(false).message.engine, `${label}: asked for something else`);
});

test("the tensor engine starts from the scalar run's weights and reads them back in MLP order", () => {
  const message = setup({
    layers: [
      { size: 5, activation: "relu" },
      { size: 3, activation: "sigmoid" },
    ],
  });
  const run = new Run(message, tensorEngine(label));
  const model = new MLP(2, [5, 3, 1], { activation: ["relu", "sigmoid", "linear"], seed: 1 });
  const expected = model.parameters().map((p) => p.data);
  // float32 storage: each weight is the float64 one rounded once.
  assert.deepEqual(
    Array.from(run.block.data),
    expected.map((v) => Math.fround(v)),
  );
  // The pictures' batched forward pass on the tensors gives the plain pass on the copy.
  const xs = Float64Array.from(message.train.x.slice(0, 9).flat());
  const plain = layerRows(run.block.data, run.sizes, run.activations, xs, 9);
  const net = (run.engine as TensorEngine).layers(xs, 9);
  assert.deepEqual(
    net.map((l) => l.length),
    plain.map((l) => l.length),
  );
  plain.forEach((layer, l) => {
    layer.forEach((v, i) => {
      assert.ok(Math.abs(v - net[l][i]) < 1e-5, `layer ${l}, value ${i}: ${v} vs ${net[l][i]}`);
    });
  });
});

const CASES: [string, Partial<Settings>][] = [
  ["moons, hinge, Adam, full batch (the default)", {}],
  [
    "circles, binary cross-entropy, SGD with cosine, mini-batches, relu",
    {
      dataset: "circles",
      loss: "bce",
      optimizer: "sgd",
      lr: 0.3,
      schedule: "cosine",
      batch: "mini",
      batchSize: 10,
      layers: [{ size: 6, activation: "relu" }],
    },
  ],
  [
    "spiral (3 classes: softmax), stochastic, squared error asked",
    { dataset: "spiral", loss: "mse", batch: "stochastic" },
  ],
  [
    "xor, squared error, sigmoid, no L2",
    { dataset: "xor", loss: "mse", l2: 0, layers: [{ size: 4, activation: "sigmoid" }] },
  ],
];

for (const [name, changes] of CASES) {
  test(`wasm and the scalar tape agree within float32 tolerance for 10 steps: ${name}`, () => {
    const message = setup(changes);
    const scalar = new Run(message);
    const wasm = new Run(message, tensorEngine(label));
    for (let k = 0; k < 10; k++) {
      const idx = scalar.nextBatch();
      assert.deepEqual(wasm.nextBatch(), idx); // the same batches, from the same seed
      const a = scalar.gradient(idx);
      const b = wasm.gradient(idx);
      assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a)), `step ${k + 1}: loss ${a} vs ${b}`);
      const ga = scalar.block.grad;
      const gb = wasm.block.grad;
      for (let i = 0; i < ga.length; i++) {
        assert.ok(Math.abs(ga[i] - gb[i]) <= 1e-4, `step ${k + 1}, gradient ${i}: ${ga[i]} vs ${gb[i]}`);
      }
      scalar.optimizer.step();
      wasm.optimizer.step();
    }
    const pa = scalar.block.data;
    const pb = wasm.block.data;
    for (let i = 0; i < pa.length; i++)
      assert.ok(Math.abs(pa[i] - pb[i]) <= 1e-4, `parameter ${i}: ${pa[i]} vs ${pb[i]}`);
    const [la, aa] = scalar.measure(message.train);
    const [lb, ab] = wasm.measure(message.train);
    assert.ok(Math.abs(la - lb) < 1e-4, `train loss ${la} vs ${lb}`);
    assert.ok(Math.abs(aa - ab) <= 0.01, `train accuracy ${aa} vs ${ab}`);
  });
}

test("on wasm the default run reaches 95% test accuracy on the moons, as on the scalar tape", () => {
  for (const engine of [tensorEngine(label), undefined]) {
    const run = new Run(setup(), engine);
    let best = 0;
    while (!run.done && best < 0.95) {
      run.advance();
      if (run.count % 20 === 0) best = run.measure(run.test)[1];
    }
    assert.ok(best >= 0.95, `${run.engine.label}: test accuracy ${best} after ${run.count} steps`);
  }
});

test("on wasm a diverging run stops with the same message as on the scalar tape", () => {
  const run = new Run(
    setup({ optimizer: "sgd", lr: 10, loss: "mse", layers: [{ size: 8, activation: "linear" }] }),
    tensorEngine(label),
  );
  assert.throws(() => {
    for (let k = 0; k < 200; k++) run.advance();
  }, /the loss became (NaN|Infinity) at step \d+: try a smaller learning rate \(now 10\)/);
});

test("the report on wasm: gradients of the last step, probabilities that sum to 1", () => {
  const run = new Run(setup({ dataset: "blobs" }), tensorEngine(label));
  for (let k = 0; k < 5; k++) run.advance();
  const { message } = run.progress(false);
  assert.equal(message.step, 5);
  assert.equal(message.params.length, message.grads.length);
  assert.ok(message.grads.some((g) => g !== 0));
  assert.ok(Math.abs(message.probs[0] + message.probs[1] + message.probs[2] - 1) < 1e-6);
});
