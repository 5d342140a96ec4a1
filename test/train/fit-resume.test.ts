import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Adam,
  blobs,
  type FitCheckpoint,
  type FitOptions,
  fit,
  MLP,
  mlpStateDict,
  SGD,
  subset,
  trainTestSplit,
} from "../../src/index.ts";

const data = blobs({ n: 60, noise: 1.5, seed: 2, classes: 3 });
const split = trainTestSplit(data.y, { test: 0.25, seed: 2 });
const train = subset(data, split.train);
const val = subset(data, split.test);
const fresh = (): MLP => new MLP(2, [8, 3], { activation: "tanh", seed: 4 });

const runs: [string, FitOptions][] = [
  [
    "adam, mini-batches, validation",
    { optimizer: "adam", lr: 0.02, batch: 7, steps: 60, validation: val, evalEvery: 4 },
  ],
  [
    "sgd with momentum, scheduled lr",
    { optimizer: "sgd", lr: (s) => 0.3 / (1 + s / 20), momentum: 0.9, batch: 5, steps: 50 },
  ],
  [
    "patience stops early",
    { optimizer: "adam", lr: 0.2, steps: 400, validation: val, evalEvery: 1, patience: 3 },
  ],
];

for (const [name, options] of runs) {
  test(`resuming from any checkpoint gives the uninterrupted result: ${name}`, () => {
    const whole = fresh();
    const checkpoints: FitCheckpoint[] = [];
    // Round-trip each checkpoint through JSON, as the CLI stores it.
    const expected = fit(whole, train, {
      ...options,
      checkpointEvery: 3,
      onCheckpoint: (c) => checkpoints.push(JSON.parse(JSON.stringify(c))),
    });
    assert.ok(checkpoints.length >= 3);
    for (const checkpoint of [
      checkpoints[0],
      checkpoints[Math.floor(checkpoints.length / 2)],
      checkpoints.at(-1) as FitCheckpoint,
    ]) {
      const resumed = fresh();
      const result = fit(resumed, train, { ...options, resume: checkpoint });
      assert.deepEqual(mlpStateDict(resumed), mlpStateDict(whole), `from step ${checkpoint.step}`);
      assert.equal(result.steps, expected.steps);
      assert.equal(result.stoppedBy, expected.stoppedBy);
      assert.deepEqual(result.history, expected.history);
      assert.equal(result.bestStep, expected.bestStep);
    }
  });
}

test("optimizer state round-trips and rejects foreign state", () => {
  const block = { data: new Float64Array([1, 2]), grad: new Float64Array([0.5, -1]) };
  const adam = new Adam([block], { lr: 0.1 });
  adam.step();
  const state = adam.state();
  assert.equal(state.stepCount, 1);
  assert.equal(state.buffers.m[1]?.length, 2); // buffer 0 belongs to scalar Values (none here)
  const copy = { data: Float64Array.from(block.data), grad: new Float64Array([0.5, -1]) };
  const other = new Adam([copy], { lr: 0.1 });
  other.loadState(JSON.parse(JSON.stringify(state)));
  adam.step();
  other.step();
  assert.equal(other.stepCount, 2);
  assert.deepEqual(copy.data, block.data);
  assert.throws(() => new SGD([block], { lr: 1 }).loadState(state), /the state has no "velocity" buffers/);
  const broken = (m: unknown): object => ({ stepCount: 1, buffers: { m, v: [] } });
  const target = new Adam([{ data: new Float64Array(2), grad: new Float64Array(2) }], { lr: 0.1 });
  assert.throws(() => target.loadState(broken("x") as never), /"m" must be a list of at most 2 buffers/);
  assert.throws(
    () => target.loadState(broken([null, [1]]) as never),
    /"m" buffer 1 must be 2 finite numbers/,
  );
  assert.throws(
    () => target.loadState(broken([null, [1, null]]) as never),
    /"m" buffer 1 must be 2 finite numbers/,
  );
});

test("resume errors", () => {
  const model = fresh();
  const checkpoints: FitCheckpoint[] = [];
  fit(model, train, { steps: 4, onCheckpoint: (c) => checkpoints.push(c) });
  const c = checkpoints[3];
  assert.throws(
    () => fit(new MLP(2, [4, 3]), train, { steps: 4, resume: c }),
    /checkpoint has 51 weights, the model 27/,
  );
  assert.throws(() => fit(fresh(), train, { steps: 2, resume: c }), /step 4 does not fit a run of 2 steps/);
  assert.throws(() => fit(fresh(), train, { steps: 4, resume: c, validation: val }), /same validation set/);
  assert.throws(
    () => fit(fresh(), train, { steps: 4, checkpointEvery: 0 }),
    /checkpointEvery must be a positive integer/,
  );
});
