// fit's two engines: the compiled tape replay must give bit-identical results to the readable
// Value path, step by step, in every batch mode and for every loss and optimiser.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  blobs,
  type FitOptions,
  fit,
  linearDecay,
  MLP,
  type MLPOptions,
  moons,
  spiral,
  type TrainingData,
} from "../../src/index.ts";

/** Trains two identical models, one per engine; asserts identical histories and weights. */
function sameOnBothEngines(
  nin: number,
  sizes: number[],
  modelOptions: MLPOptions,
  data: TrainingData,
  options: FitOptions,
): void {
  const runs = (["compiled", "value"] as const).map((engine) => {
    const model = new MLP(nin, sizes, modelOptions);
    const result = fit(model, data, { ...options, engine });
    return { result, weights: model.parameters().map((p) => p.data) };
  });
  const [compiled, value] = runs;
  assert.equal(compiled.result.steps, options.steps);
  assert.deepEqual(compiled.result.history, value.result.history);
  assert.deepEqual(compiled.weights, value.weights);
  assert.equal(compiled.result.stoppedBy, value.result.stoppedBy);
}

// micrograd's demo itself (100 steps of 2-16-16-1 on moons) is compared in fit.test.ts.
const small = moons({ n: 40, noise: 0.15, seed: 9 });
const three = spiral({ n: 45, classes: 3, seed: 4 });

const CASES: [string, number[], MLPOptions, TrainingData, FitOptions][] = [
  [
    "mse, mini-batch 8, SGD momentum",
    [8, 8, 1],
    { activation: "tanh", seed: 1 },
    small,
    { loss: "mse", batch: 8, momentum: 0.9, lr: 0.05 },
  ],
  [
    "hinge, stochastic, SGD weight decay",
    [8, 1],
    { seed: 2 },
    small,
    { loss: "hinge", batch: "stochastic", weightDecay: 1e-3, lr: 0.05 },
  ],
  [
    "bce, mini-batch 7 (uneven), Adam, l2",
    [8, 8, 1],
    { activation: "sigmoid", init: "xavier", seed: 3 },
    small,
    { loss: "bce", batch: 7, optimizer: "adam", l2: 1e-3 },
  ],
  [
    "softmax, mini-batch 10, Adam",
    [8, 8, 3],
    { init: "he", seed: 4 },
    three,
    { loss: "softmax", batch: 10, optimizer: "adam", lr: 0.02 },
  ],
  [
    "softmax, stochastic, SGD",
    [6, 3],
    { activation: "tanh", seed: 5 },
    blobs({ n: 30, seed: 5 }),
    { loss: "softmax", batch: "stochastic", lr: 0.1 },
  ],
  [
    "softmax, full batch, SGD with schedule",
    [6, 3],
    { activation: "tanh", seed: 6 },
    three,
    { loss: "softmax", lr: linearDecay(0.5, 0.05, 100) },
  ],
];

for (const [name, sizes, modelOptions, data, options] of CASES) {
  test(`compiled and value engines agree bit for bit: ${name}`, () => {
    sameOnBothEngines(2, sizes, modelOptions, data, { ...options, steps: 100 });
  });
}
