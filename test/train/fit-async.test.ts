// fitAsync on the js backend, against fit: with a validation set it evaluates at the same steps,
// reports the same keys and numbers, stops on patience at the same step and puts the same best
// weights back; the options it cannot honour are refused by name.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FitOptions, fit, fitAsync, moons, tensorMLP } from "../../src/index.ts";

const data = moons({ n: 60, noise: 0.2, seed: 1 });
const validation = moons({ n: 30, noise: 0.2, seed: 2 });

for (const [name, extra] of [
  ["every 5 steps, best weights put back", { evalEvery: 5 }],
  ["patience 2, a large rate (stops early)", { evalEvery: 3, patience: 2, lr: 0.5 }],
  ["restoreBest false", { evalEvery: 7, restoreBest: false }],
] as [string, Partial<FitOptions>][]) {
  test(`fitAsync with validation matches fit: ${name}`, async () => {
    const options: FitOptions = {
      loss: "softmax",
      optimizer: "adam",
      lr: 0.05,
      batch: 16,
      steps: 30,
      validation,
      ...extra,
    };
    const a = tensorMLP(2, [8, 2], { seed: 3 });
    const b = tensorMLP(2, [8, 2], { seed: 3 });
    const want = fit(a, data, options);
    const got = await fitAsync(b, data, { ...options, readEvery: 4 });
    assert.equal(got.stoppedBy, want.stoppedBy);
    assert.equal(got.stepsRun, want.stepsRun);
    for (const key of ["bestStep", "valLoss", "valAccuracy"] as const) assert.equal(got[key], want[key], key);
    assert.ok((got.validationMs ?? -1) >= 0);
    // the evaluated steps and their figures, as fit's
    const evaluated = (h: typeof want.history) =>
      h.filter((i) => i.valLoss !== undefined).map((i) => [i.step, i.valLoss, i.valAccuracy]);
    assert.deepEqual(evaluated(got.history), evaluated(want.history));
    assert.ok(evaluated(got.history).length >= 2);
    a.parameters().forEach((p, j) =>
      assert.deepEqual([...b.parameters()[j].data], [...p.data], `parameter ${j}`),
    );
  });
}

test("fitAsync refuses the options that need a number every step, by name", async () => {
  const net = tensorMLP(2, [4, 2], { seed: 1 });
  for (const option of [{ targetLoss: 0.1 }, { targetAccuracy: 0.9 }, { checkpointEvery: 5 }]) {
    await assert.rejects(
      fitAsync(net, data, { loss: "softmax", steps: 5, ...option }),
      new RegExp(`"${Object.keys(option)[0]}" option is not supported`),
    );
  }
  await assert.rejects(
    fitAsync(net, data, { loss: "softmax", steps: 5, patience: 2 }),
    /patience needs a validation set/,
  );
});
