// fit: micrograd's demo reaches 100%, every batch mode trains, early stops, divergence is an
// error that says what to do, progress callbacks, and every error path with its message.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  accuracy,
  evaluate,
  type FitOptions,
  fit,
  linearDecay,
  MLP,
  moons,
  type StepInfo,
  spiral,
  Value,
  xor,
} from "../../src/index.ts";

test("micrograd's demo setup reaches 100% training accuracy, the same on both engines", () => {
  const data = moons({ n: 100, noise: 0.1 });
  const model = new MLP(2, [16, 16, 1]);
  assert.equal(model.parameters().length, 337);
  const options: FitOptions = {
    loss: "hinge",
    l2: 1e-4,
    optimizer: "sgd",
    lr: linearDecay(1, 0.1, 100),
    batch: "full",
    steps: 100,
  };
  const result = fit(model, data, options);
  // micrograd's way (a fresh graph of Values each step) gives bit-identical steps and weights
  const byValues = new MLP(2, [16, 16, 1]);
  assert.deepEqual(fit(byValues, data, { ...options, engine: "value" }).history, result.history);
  assert.deepEqual(
    byValues.parameters().map((p) => p.data),
    model.parameters().map((p) => p.data),
  );
  assert.equal(result.steps, 100);
  assert.equal(result.stoppedBy, "steps");
  assert.equal(result.accuracy, 1);
  // the trained weights are in the model: it classifies every training point
  const predicted = data.x.map((x) => (model.predict(x)[0] > 0 ? 1 : 0));
  assert.equal(accuracy(predicted, data.y), 1);
  // micrograd's lr schedule: 1.0 - 0.9·k/100 at step k
  result.history.forEach((h, k) => {
    assert.equal(h.lr, 1 + (0.1 - 1) * (k / 100));
  });
  assert.ok(result.ms >= 0);
});

/** Mean loss of the first and last ten steps. */
function firstAndLast(history: readonly StepInfo[]): [number, number] {
  const mean = (xs: readonly StepInfo[]) => xs.reduce((s, h) => s + h.loss, 0) / xs.length;
  return [mean(history.slice(0, 10)), mean(history.slice(-10))];
}

for (const batch of ["full", 16, "stochastic"] as const) {
  test(`batch ${batch}: trains (the loss falls, the model classifies the data)`, () => {
    const data = moons({ n: 64, noise: 0.1, seed: 3 });
    const model = new MLP(2, [8, 8, 1], { seed: 3 });
    const trainingAccuracy = () =>
      accuracy(
        data.x.map((x) => (model.predict(x)[0] > 0 ? 1 : 0)),
        data.y,
      );
    const before = trainingAccuracy();
    const steps = batch === "stochastic" ? 600 : 150;
    const result = fit(model, data, { batch, steps, lr: 0.1, loss: "hinge" });
    const window = steps / 10; // one sample per step is noisy: compare the first and last tenths
    const mean = (h: readonly StepInfo[]) => h.reduce((s, x) => s + x.loss, 0) / h.length;
    const [first, last] = [mean(result.history.slice(0, window)), mean(result.history.slice(-window))];
    assert.ok(last < first / 2, `loss ${first} → ${last}`);
    const after = trainingAccuracy();
    assert.ok(after >= 0.85 && after > before, `accuracy ${before} → ${after}`);
  });
}

test("mini-batch and stochastic runs are reproducible by seed, and the seed matters", () => {
  const data = moons({ n: 30, seed: 1 });
  const run = (seed: number, batch: FitOptions["batch"]) =>
    fit(new MLP(2, [4, 1], { seed: 1 }), data, { batch, seed, steps: 20 }).history;
  assert.deepEqual(run(7, 5), run(7, 5));
  assert.notDeepEqual(run(7, 5), run(8, 5));
  assert.deepEqual(run(7, "stochastic"), run(7, "stochastic"));
  assert.notDeepEqual(run(7, "stochastic"), run(8, "stochastic"));
  // full batch does not depend on the seed
  assert.deepEqual(run(7, "full"), run(8, "full"));
});

test("a batch larger than the data is the full batch", () => {
  const data = moons({ n: 12, seed: 2 });
  const run = (batch: FitOptions["batch"]) => fit(new MLP(2, [4, 1]), data, { batch, steps: 5 }).history;
  assert.deepEqual(run(1000), run("full"));
});

test("multi-class: softmax is the default loss for several outputs, and it learns the spiral", () => {
  const data = spiral({ n: 60, classes: 3, seed: 2 });
  const model = new MLP(2, [12, 12, 3], { seed: 2 });
  const result = fit(model, data, { optimizer: "adam", lr: 0.03, steps: 150 });
  const [first, last] = firstAndLast(result.history);
  assert.ok(last < first / 2, `loss ${first} → ${last}`);
  assert.ok(result.accuracy > 0.7, `accuracy ${result.accuracy}`);
});

test("targetLoss and targetAccuracy stop training early, at the first step that meets them", () => {
  const data = xor({ n: 40, seed: 3 });
  const byLoss = fit(new MLP(2, [8, 1], { seed: 3 }), data, { steps: 500, lr: 0.2, targetLoss: 0.5 });
  assert.equal(byLoss.stoppedBy, "targetLoss");
  assert.ok(byLoss.steps < 500);
  assert.ok(byLoss.loss <= 0.5);
  assert.ok(byLoss.history.slice(0, -1).every((h) => h.loss > 0.5));

  const byAccuracy = fit(new MLP(2, [8, 1], { seed: 3 }), data, { steps: 500, lr: 0.2, targetAccuracy: 0.9 });
  assert.equal(byAccuracy.stoppedBy, "targetAccuracy");
  assert.ok(byAccuracy.steps < 500);
  assert.ok(byAccuracy.accuracy >= 0.9);
  assert.ok(byAccuracy.history.slice(0, -1).every((h) => h.accuracy < 0.9));

  const never = fit(new MLP(2, [8, 1], { seed: 3 }), data, { steps: 5, targetLoss: -1, targetAccuracy: 2 });
  assert.equal(never.stoppedBy, "steps");
  assert.equal(never.steps, 5);
});

test("onStep is called after every update with step, loss, accuracy and lr; history holds the same", () => {
  const calls: StepInfo[] = [];
  const result = fit(new MLP(2, [4, 1]), moons({ n: 20 }), {
    steps: 7,
    lr: (step) => 0.1 / (step + 1),
    onStep: (info) => calls.push(info),
  });
  assert.deepEqual(calls, result.history);
  assert.deepEqual(
    calls.map((c) => c.step),
    [1, 2, 3, 4, 5, 6, 7],
  );
  assert.deepEqual(
    calls.map((c) => c.lr),
    [0.1, 0.05, 0.1 / 3, 0.025, 0.02, 0.1 / 6, 0.1 / 7],
  );
  assert.equal(result.loss, calls[6].loss);
  assert.equal(result.accuracy, calls[6].accuracy);
});

test("zero steps trains nothing", () => {
  const model = new MLP(2, [4, 1]);
  const before = model.parameters().map((p) => p.data);
  const result = fit(model, moons({ n: 10 }), { steps: 0 });
  assert.equal(result.steps, 0);
  assert.ok(Number.isNaN(result.loss));
  assert.deepEqual(
    model.parameters().map((p) => p.data),
    before,
  );
});

for (const engine of ["compiled", "value"] as const) {
  test(`a diverging loss stops with an error naming the step and suggesting a smaller lr (${engine})`, () => {
    let finiteSteps = 0;
    const model = new MLP(2, [4, 1], { activation: "linear", seed: 1 });
    assert.throws(
      () =>
        fit(model, moons({ n: 20 }), {
          loss: "mse",
          lr: 50,
          steps: 100,
          engine,
          onStep: (info) => {
            assert.ok(Number.isFinite(info.loss));
            finiteSteps = info.step;
          },
        }),
      (error: Error) => {
        assert.match(
          error.message,
          /^fit: the loss became (NaN|Infinity|-Infinity) at step (\d+) \(learning rate 50\); try a smaller learning rate$/,
        );
        assert.equal(Number(/at step (\d+)/.exec(error.message)?.[1]), finiteSteps + 1);
        return true;
      },
    );
    assert.ok(finiteSteps > 0 && finiteSteps < 100);
  });
}

test("hinge accepts -1/+1 targets as micrograd's demo writes them, and its accuracy counts them right", () => {
  const data = moons({ n: 40, noise: 0.1, seed: 8 });
  const options: FitOptions = { loss: "hinge", lr: 0.2, steps: 60 };
  const zeroOne = fit(new MLP(2, [8, 1], { seed: 8 }), data, options);
  const plusMinus = fit(
    new MLP(2, [8, 1], { seed: 8 }),
    { x: data.x, y: data.y.map((t) => 2 * t - 1) },
    options,
  );
  assert.deepEqual(plusMinus.history, zeroOne.history);
  assert.ok(plusMinus.accuracy > 0.8, `accuracy ${plusMinus.accuracy}`);
});

test("fit's errors name the problem", () => {
  const model = new MLP(2, [4, 1]);
  const data = moons({ n: 10 });
  const fails = (options: FitOptions, message: string, d: Parameters<typeof fit>[1] = data) =>
    assert.throws(() => fit(model, d, options), { name: "RangeError", message });
  fails({ loss: "cross" as never }, 'fit: unknown loss "cross"');
  fails({ loss: "toString" as never }, 'fit: unknown loss "toString"');
  fails({ optimizer: "rmsprop" as never }, 'fit: unknown optimizer "rmsprop" (use sgd, adam or adamw)');
  fails({}, "fit: the training data is empty", { x: [], y: [] });
  fails({}, "fit: 2 samples but 1 labels", {
    x: [
      [0, 0],
      [1, 1],
    ],
    y: [0],
  });
  fails({}, "fit: sample 1 has 3 features, the model takes 2", {
    x: [
      [0, 0],
      [1, 1, 1],
    ],
    y: [0, 1],
  });
  fails({}, "fit: sample 0 has a non-finite feature (NaN)", { x: [[Number.NaN, 0]], y: [0] });
  fails({}, "fit: sample 0 has a non-finite feature (Infinity)", {
    x: [[0, Number.POSITIVE_INFINITY]],
    y: [0],
  });
  fails({ steps: -1 }, "fit: steps must be an integer >= 0, got -1");
  fails({ steps: 2.5 }, "fit: steps must be an integer >= 0, got 2.5");
  fails({ batch: 0 }, 'fit: batch must be "full", "stochastic" or a positive integer, got 0');
  fails({ batch: 1.5 }, 'fit: batch must be "full", "stochastic" or a positive integer, got 1.5');
  fails(
    { batch: "half" as never },
    'fit: batch must be "full", "stochastic" or a positive integer, got half',
  );
  fails({ lr: 0 }, "optimizer: learning rate must be a positive number, got 0");
  fails({ lr: Number.NaN, optimizer: "adam" }, "optimizer: learning rate must be a positive number, got NaN");
  fails({ momentum: 1 }, "SGD: momentum must be in [0, 1), got 1");
  fails({ weightDecay: -1 }, "optimizer: weightDecay must be >= 0, got -1");
  fails({ loss: "bce" }, "binaryCrossEntropy: target must be 0 or 1, got 2", { x: [[0, 0]], y: [2] });
  const multi = new MLP(2, [4, 3]);
  assert.throws(() => fit(multi, { x: [[0, 0]], y: [3] }), {
    name: "RangeError",
    message: "softmaxCrossEntropy: target 3 is not a class index in [0, 3)",
  });
  assert.throws(() => fit(multi, { x: [[0, 0]], y: [0.5] }, { engine: "value" }), {
    name: "RangeError",
    message: "softmaxCrossEntropy: target 0.5 is not a class index in [0, 3)",
  });
});

test("accuracy: the fraction right; NaN when empty; mismatched lengths are an error", () => {
  assert.equal(accuracy([1, 0, 1, 1], [1, 1, 1, 0]), 0.5);
  assert.ok(Number.isNaN(accuracy([], [])));
  assert.throws(() => accuracy([1], [1, 0]), {
    name: "RangeError",
    message: "accuracy: 1 predictions but 2 labels",
  });
});

test("fit's compiled recording does not stay in the parameters' chunk: repeated fits use flat memory", () => {
  const data = moons({ n: 20, seed: 4 });
  const model = new MLP(2, [8, 1], { seed: 4 });
  const chunk = model.parameters()[0].chunk;
  const size = chunk.size;
  for (let i = 0; i < 5; i++) fit(model, data, { steps: 3, batch: i % 2 === 0 ? "full" : 5 });
  assert.equal(chunk.size, size, "no recorded values were added next to the parameters");
  model.predict([0, 0]);
  model.forward([0, 0])[0].backward();
  assert.equal(chunk.size, size);
});

test("evaluation (fit's validation, evaluate) leaves no values next to the parameters or later ones", () => {
  const model = new MLP(2, [8, 1], { seed: 5 });
  const probe = new Value(0); // the open chunk (here, the parameters' chunk)
  const chunk = model.parameters()[0].chunk;
  const size = chunk.size;
  const probeSize = probe.chunk.size;
  fit(model, moons({ n: 20, seed: 5 }), { steps: 10, validation: moons({ n: 20, seed: 6 }), evalEvery: 1 });
  evaluate(model, moons({ n: 20, seed: 7 }));
  assert.equal(chunk.size, size);
  assert.equal(probe.chunk.size, probeSize);
});

test("evaluate counts hinge's -1/+1 targets right and rejects unknown losses", () => {
  const data = moons({ n: 40, noise: 0.1, seed: 8 });
  const model = new MLP(2, [8, 1], { seed: 8 });
  fit(model, data, { loss: "hinge", lr: 0.2, steps: 60 });
  const zeroOne = evaluate(model, data, { loss: "hinge" });
  const plusMinus = evaluate(model, { x: data.x, y: data.y.map((t) => 2 * t - 1) }, { loss: "hinge" });
  assert.equal(plusMinus.accuracy, zeroOne.accuracy);
  assert.equal(plusMinus.loss, zeroOne.loss);
  assert.ok(zeroOne.accuracy > 0.8);
  assert.throws(() => evaluate(model, data, { loss: "valueOf" as never }), {
    name: "RangeError",
    message: 'evaluate: unknown loss "valueOf"',
  });
});
