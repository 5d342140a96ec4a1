import assert from "node:assert/strict";
import { test } from "node:test";
import { blobs, evaluate, fit, MLP, moons, type StepInfo, subset, trainTestSplit } from "../../src/index.ts";

const data = moons({ n: 80, noise: 0.1, seed: 3 });
const { train, test: held } = trainTestSplit(data.y, { test: 0.25, seed: 3 });
const trainSet = subset(data, train);
const valSet = subset(data, held);

test("fit evaluates the validation set every evalEvery steps and reports both losses", () => {
  const model = new MLP(2, [8, 2], { activation: "tanh", seed: 1 });
  const seen: StepInfo[] = [];
  const result = fit(model, trainSet, {
    optimizer: "adam",
    lr: 0.05,
    steps: 20,
    batch: 10,
    validation: valSet,
    evalEvery: 5,
    onStep: (s) => seen.push(s),
  });
  const evaluated = seen.filter((s) => s.valLoss !== undefined).map((s) => s.step);
  assert.deepEqual(evaluated, [5, 10, 15, 20]);
  assert.ok(seen.every((s) => Number.isFinite(s.loss)));
  // The model ends with the best weights, and the reported best loss is what they give.
  const again = evaluate(model, valSet);
  assert.ok(result.bestStep !== undefined && result.bestStep > 0);
  assert.equal(again.loss, result.valLoss);
  assert.equal(again.accuracy, result.valAccuracy);
  const best = seen.find((s) => s.step === result.bestStep);
  assert.equal(best?.valLoss, result.valLoss);
  assert.equal(
    Math.min(...seen.flatMap((s) => (s.valLoss === undefined ? [] : [s.valLoss]))),
    result.valLoss,
  );
});

test("the default evaluation period is one epoch", () => {
  const model = new MLP(2, [4, 2], { seed: 1 });
  const seen: number[] = [];
  fit(model, trainSet, {
    steps: 13,
    batch: 20, // 60 samples -> 3 steps per epoch
    validation: valSet,
    onStep: (s) => s.valLoss !== undefined && seen.push(s.step),
  });
  assert.deepEqual(seen, [3, 6, 9, 12, 13]);
});

test("patience stops training once the validation loss stops improving", () => {
  // A large learning rate on noisy blobs overfits/oscillates quickly.
  const noisy = blobs({ n: 60, noise: 2.5, seed: 4, classes: 3 });
  const split = trainTestSplit(noisy.y, { test: 0.3, seed: 1 });
  const model = new MLP(2, [32, 32, 3], { seed: 2 });
  const result = fit(model, subset(noisy, split.train), {
    optimizer: "adam",
    lr: 0.05,
    steps: 2000,
    validation: subset(noisy, split.test),
    evalEvery: 1,
    patience: 5,
  });
  assert.equal(result.stoppedBy, "patience");
  assert.ok(result.steps < 2000);
  assert.equal(result.steps - (result.bestStep ?? 0), 5);
});

test("restoreBest: false leaves the last weights", () => {
  const model = new MLP(2, [8, 2], { seed: 1 });
  const result = fit(model, trainSet, {
    lr: 0.5,
    steps: 10,
    validation: valSet,
    evalEvery: 1,
    restoreBest: false,
  });
  const last = result.history[result.history.length - 1];
  assert.equal(evaluate(model, valSet).loss, last.valLoss);
});

test("validation errors", () => {
  const model = new MLP(2, [4, 2], { seed: 1 });
  assert.throws(() => fit(model, trainSet, { patience: 3 }), /patience needs a validation set/);
  assert.throws(
    () => fit(model, trainSet, { validation: { x: [[1, 2, 3]], y: [0] } }),
    /fit: validation sample 0 has 3 features, the model takes 2/,
  );
  assert.throws(
    () => fit(model, trainSet, { validation: valSet, evalEvery: 0 }),
    /evalEvery must be a positive integer, got 0/,
  );
  assert.throws(
    () => fit(model, trainSet, { validation: valSet, patience: 0 }),
    /patience must be a positive integer, got 0/,
  );
  assert.throws(() => fit(model, trainSet, { validation: { x: [], y: [] } }), /the validation data is empty/);
});
