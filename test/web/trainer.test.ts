// The playground's training run (the worker's logic, free of the DOM): chunked full batches give
// the same update as one graph, runs are reproducible from their settings, the plain-number
// forward pass agrees with the MLP, and the report is consistent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compiledStep, LOSSES, MLP, Rng } from "../../src/index.ts";
import { layerRows } from "../../web/src/forward.ts";
import { makeProblem } from "../../web/src/problem.ts";
import { GRID } from "../../web/src/protocol.ts";
import { ScalarEngine, scalarEngine } from "../../web/src/scalar-engine.ts";
import { defaultSettings, type Settings } from "../../web/src/settings.ts";
import { Run } from "../../web/src/trainer.ts";
import { assertClose as close } from "../helpers/close.ts";

function setup(changes: Partial<Settings> = {}) {
  const settings = { ...defaultSettings(), ...changes };
  return { type: "setup" as const, settings, ...makeProblem(settings) };
}

test("a full batch run in chunks gives the same loss and gradient as one graph", () => {
  const message = setup({ layers: [{ size: 4, activation: "tanh" }], l2: 0.01, n: 100, testPercent: 0 });
  const run = new Run(message, scalarEngine(2000));
  const engine = run.engine as ScalarEngine;
  assert.ok(engine instanceof ScalarEngine);
  assert.ok(engine.chunkSize() < 50, `chunk size ${engine.chunkSize()} should split 100 samples`);
  const idx = Array.from({ length: 100 }, (_, i) => i);
  const loss = run.gradient(idx);

  const model = new MLP(2, [4, 1], { activation: ["tanh", "linear"], seed: message.settings.seed });
  const whole = compiledStep({ model, loss: LOSSES.hinge, l2: 0.01 });
  const params = Float64Array.from(model.parameters(), (p) => p.data);
  assert.deepEqual(params, run.block.data);
  const grad = new Float64Array(params.length);
  const expected = whole.run(params, grad, message.train.x, message.train.y).loss;
  close(loss, expected, 1e-12);
  run.block.grad.forEach((g, i) => {
    close(g, grad[i], 1e-12);
  });
});

test("the same settings train to the same weights; another seed does not", () => {
  const a = new Run(setup({ batch: "mini", batchSize: 10 }));
  const b = new Run(setup({ batch: "mini", batchSize: 10 }));
  const c = new Run(setup({ batch: "mini", batchSize: 10, seed: 2 }));
  for (let k = 0; k < 15; k++) {
    a.advance();
    b.advance();
    c.advance();
  }
  assert.deepEqual(a.block.data, b.block.data);
  assert.notDeepEqual(a.block.data, c.block.data);
  assert.equal(a.count, 15);
});

test("training stops at the step budget and reports it", () => {
  const run = new Run(setup({ steps: 3 }));
  while (!run.done) run.advance();
  assert.equal(run.count, 3);
  const { message } = run.progress(false);
  assert.equal(message.step, 3);
  assert.equal(message.steps, 3);
  assert.equal(message.engine, "js (compiled scalar tape, float64)");
  // The time per update covers the updates since the last report, and none since.
  assert.ok(message.msPerStep > 0 && message.msPerStep < 10_000, `${message.msPerStep} ms per step`);
  assert.ok(Number.isNaN(run.progress(false).message.msPerStep));
});

test("the curves get a point every 2% of the run and at each report, measured on the whole sets", () => {
  const message = setup({ steps: 500 });
  const run = new Run(message);
  assert.equal(run.curveEvery, 10);
  const first = run.progress(false).message;
  assert.deepEqual(
    first.curve.map((p) => p.step),
    [0],
  );
  for (let k = 0; k < 23; k++) run.advance();
  const { message: report } = run.progress(true);
  assert.deepEqual(
    report.curve.map((p) => p.step),
    [10, 20, 23],
  );
  const last = report.curve[2];
  assert.deepEqual([last.trainLoss, last.trainAccuracy], run.measure(message.train));
  assert.deepEqual([last.testLoss, last.testAccuracy], run.measure(message.test));
  assert.equal(report.trainLoss, last.trainLoss);
  // A report right at a curve point does not repeat it; the next report starts afresh.
  for (let k = 0; k < 7; k++) run.advance();
  assert.deepEqual(
    run.progress(true).message.curve.map((p) => p.step),
    [30],
  );
  assert.equal(new Run(setup({ steps: 40 })).curveEvery, 1);
});

test("a diverging run stops with a message that names the step and the rate", () => {
  const run = new Run(
    setup({ optimizer: "sgd", lr: 10, loss: "mse", layers: [{ size: 8, activation: "linear" }] }),
  );
  assert.throws(() => {
    for (let k = 0; k < 200; k++) run.advance();
  }, /the loss became (NaN|Infinity) at step \d+: try a smaller learning rate \(now 10\)/);
});

test("the batched plain forward pass agrees with MLP.forward for every activation", () => {
  const rng = new Rng(5);
  for (const activation of ["relu", "tanh", "sigmoid", "linear"] as const) {
    const model = new MLP(2, [5, 3, 2], { activation, seed: 3 });
    const params = model.parameters().map((p) => p.data);
    const points = Array.from({ length: 7 }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2)]);
    const layers = layerRows(params, model.sizes, model.activations, points.flat(), points.length);
    assert.deepEqual(
      layers.map((l) => l.length),
      [7 * 5, 7 * 3, 7 * 2],
    );
    points.forEach((x, r) => {
      model.predict(x).forEach((v, i) => {
        close(layers[2][r * 2 + i], v, 1e-12);
      });
    });
  }
});

test("the report: probabilities sum to 1, one map per hidden neuron, loss without L2", () => {
  const message = setup({ dataset: "blobs", loss: "hinge", layers: [{ size: 3, activation: "relu" }] });
  const run = new Run(message);
  for (let k = 0; k < 20; k++) run.advance();
  const { message: p, transfer } = run.progress(true);
  assert.equal(p.loss, "softmax"); // three classes: hinge cannot score them
  assert.deepEqual(p.sizes, [3, 3]);
  assert.equal(p.probs.length, GRID * GRID * 3);
  assert.equal(p.hidden.length, GRID * GRID * 3);
  for (let cell = 0; cell < GRID * GRID; cell += 97) {
    close(p.probs[cell * 3] + p.probs[cell * 3 + 1] + p.probs[cell * 3 + 2], 1, 1e-6);
  }
  assert.equal(transfer.length, 4);
  // The reported train loss is the mean softmax loss of the data alone.
  const model = new MLP(2, [3, 3], { activation: ["relu", "linear"], seed: 1 });
  const step = compiledStep({ model, loss: LOSSES.softmax, l2: 0 });
  const expected = step.run(
    p.params,
    new Float64Array(p.params.length),
    message.train.x,
    message.train.y,
  ).loss;
  close(p.trainLoss, expected, 1e-9);
  assert.ok(p.trainAccuracy >= 0 && p.trainAccuracy <= 1);
});

test("the default run reaches 95% test accuracy on the moons", () => {
  const run = new Run(setup());
  let best = 0;
  while (!run.done && best < 0.95) {
    run.advance();
    if (run.count % 20 === 0) best = run.measure(run.test)[1];
  }
  assert.ok(best >= 0.95, `test accuracy ${best} after ${run.count} steps`);
});
