// The playground's second round, without the DOM: capped links, a class-stratified split of
// one's own points, input features, regression, L1, rates that change mid-run, edited weights,
// readable numbers and the 1-3-10 ladder of the rate fields.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gaussians, PALETTE, plane } from "../../src/index.ts";
import { CLASS_RGB } from "../../web/src/colors.ts";
import { featuresOf } from "../../web/src/features.ts";
import { readable, short } from "../../web/src/format.ts";
import { ladderStep } from "../../web/src/ladder.ts";
import { makeProblem } from "../../web/src/problem.ts";
import { scalarEngine } from "../../web/src/scalar-engine.ts";
import { defaultSettings, fromHash, MAX_POINTS, type Settings, toHash } from "../../web/src/settings.ts";
import { startWasm, tensorEngine } from "../../web/src/tensor-engine.ts";
import { Run } from "../../web/src/trainer.ts";

function setup(changes: Partial<Settings> = {}) {
  const settings = { ...defaultSettings(), ...changes };
  return { type: "setup" as const, settings, ...makeProblem(settings) };
}

test("a link with more than 1,000 points keeps the first 1,000 and says so", () => {
  const pts = Array.from({ length: 2500 }, (_, i) => `${(i % 50) / 25 - 1},${i / 1250 - 1},${i % 2}`).join(
    ";",
  );
  const { settings, rejected, notes } = fromHash(`#data=custom&pts=${encodeURIComponent(pts)}`);
  assert.equal(settings.points.length, MAX_POINTS);
  assert.deepEqual(rejected, []);
  assert.deepEqual(notes, ["pts: the first 1000 of 2500 points kept (at most 1000)"]);
});

test("own points split within each class; a class with no training points is warned about", () => {
  const points: Settings["points"] = [
    ...Array.from({ length: 10 }, (_, i) => [i / 10, 0, 0] as const),
    ...Array.from({ length: 10 }, (_, i) => [i / 10, 1, 1] as const),
    [0.5, 0.5, 2],
    [0.6, 0.5, 2],
  ];
  const p = makeProblem({ ...defaultSettings(), dataset: "custom", points, testPercent: 50 });
  const count = (ys: number[], k: number) => ys.filter((y) => y === k).length;
  assert.deepEqual(
    [0, 1, 2].map((k) => count(p.train.y, k)),
    [5, 5, 1],
  );
  assert.deepEqual(
    [0, 1, 2].map((k) => count(p.test.y, k)),
    [5, 5, 1],
  );
  assert.equal(p.warning, "");
  // A single point of class 2 trains; class 1 has no points at all: the warning names it.
  const gap = makeProblem({
    ...defaultSettings(),
    dataset: "custom",
    points: [
      [0, 0, 0],
      [1, 1, 0],
      [0.5, 0.5, 2],
    ],
    testPercent: 90,
  });
  assert.ok(gap.train.y.includes(2));
  assert.equal(gap.warning, "No training points of class 1: the network cannot learn it.");
});

test("features are computed from x and y, go into the URL and size the network's input", () => {
  assert.deepEqual(featuresOf(["x", "y", "x2", "y2", "xy", "sinx", "siny"], 2, 3), [
    2,
    3,
    4,
    9,
    6,
    Math.sin(2),
    Math.sin(3),
  ]);
  const s = { ...defaultSettings(), features: ["x2", "y2"] as Settings["features"] };
  assert.match(toHash(s), /&feat=x2_y2&/);
  assert.deepEqual(fromHash("#feat=y2_x2").settings.features, ["x2", "y2"]);
  assert.deepEqual(fromHash("#feat=").rejected, ["feat"]);
  const run = new Run(setup({ dataset: "circles", features: ["x2", "y2"] }));
  assert.equal(run.inputs, 2);
  assert.equal(
    run.train.x[0][0],
    makeProblem({ ...defaultSettings(), dataset: "circles" }).train.x[0][0] ** 2,
  );
});

test("plane and gaussians are regression data; the run fits them with squared error", () => {
  const p = plane({ n: 50, seed: 3 });
  assert.equal(p.classes, 1);
  p.x.forEach(([a, b], i) => {
    assert.ok(Math.abs(p.y[i] - (a + b) / 2) < 1e-12);
  });
  const g = gaussians({ n: 50, seed: 3 });
  assert.equal(g.classes, 1);
  assert.ok(g.y.some((v) => v > 0.3) && g.y.some((v) => v < -0.3));
  const run = new Run(
    setup({ dataset: "plane", noise: 0, loss: "hinge", layers: [{ size: 4, activation: "tanh" }] }),
  );
  assert.equal(run.loss.name, "mse");
  for (let k = 0; k < 300; k++) run.advance();
  const point = run.point();
  assert.ok(point.testLoss < 0.01, `test MSE ${point.testLoss}`);
  assert.ok(Number.isNaN(point.testAccuracy));
  const { message } = run.progress(false);
  assert.equal(message.probs.length, 48 * 48);
});

test("L1 adds l1·Σ|w| to the loss and l1·sign(w) to the gradient, on both engines", async () => {
  const label = await startWasm();
  for (const engine of [scalarEngine(), tensorEngine(label)]) {
    const plain = new Run(setup({ l2: 0, l1: 0, batch: "full" }), engine);
    const l1 = new Run(setup({ l2: 0, l1: 0.01, batch: "full" }), engine);
    const idx = Array.from({ length: plain.train.x.length }, (_, i) => i);
    const base = plain.gradient(idx);
    const withL1 = l1.gradient(idx);
    const { data } = plain.block;
    const norm = data.reduce((a, w) => a + Math.abs(w), 0);
    assert.ok(
      Math.abs(withL1 - base - 0.01 * norm) < 1e-5,
      `${engine.name}: ${withL1 - base} vs ${0.01 * norm}`,
    );
    const g0 = plain.block.grad;
    const g1 = l1.block.grad;
    for (let i = 0; i < data.length; i++)
      assert.ok(Math.abs(g1[i] - g0[i] - 0.01 * Math.sign(data[i])) < 1e-5);
  }
});

test("a new rate, schedule or L2 applies from the next update and the run goes on", async () => {
  const label = await startWasm();
  for (const engine of [scalarEngine(), tensorEngine(label)]) {
    const run = new Run(setup({ optimizer: "sgd", lr: 0.1, l2: 0 }), engine);
    for (let k = 0; k < 5; k++) run.advance();
    assert.equal(run.optimizer.currentLr(), 0.1);
    run.tune({ lr: 0.01, schedule: "constant", l2: 0.5, l1: 0 });
    assert.equal(run.count, 5);
    assert.equal(run.optimizer.currentLr(), 0.01);
    // The same update as a fresh run's next one from these weights: lr 0.01 on the loss with L2.
    const before = Float64Array.from(run.block.data);
    run.advance();
    const grad = run.block.grad;
    const after = run.block.data;
    for (let i = 0; i < before.length; i++)
      assert.ok(Math.abs(after[i] - (before[i] - 0.01 * grad[i])) < 1e-6);
    // The L2 penalty is in the gradient: on the scalar engine it records the step anew.
    const idx = Array.from({ length: run.train.x.length }, (_, i) => i);
    const loss = run.gradient(idx);
    run.tune({ lr: 0.01, schedule: "constant", l2: 0, l1: 0 });
    assert.ok(loss - run.gradient(idx) > 0);
    run.tune({ lr: 0.1, schedule: "cosine", l2: 0, l1: 0 });
    assert.ok(run.optimizer.currentLr() < 0.1);
  }
});

test("an edited weight is what the next update starts from", async () => {
  const label = await startWasm();
  for (const engine of [scalarEngine(), tensorEngine(label)]) {
    const run = new Run(setup({ optimizer: "sgd", lr: 0.05 }), engine);
    run.advance();
    const last = run.block.data.length - 1;
    run.setParameter(3, 1.25);
    run.setParameter(last, -0.5);
    assert.equal(run.block.data[3], 1.25);
    assert.equal(run.block.data[last], -0.5);
    run.advance();
    assert.ok(Math.abs(run.block.data[3] - (1.25 - 0.05 * run.block.grad[3])) < 1e-6);
    assert.throws(() => run.setParameter(last + 1, 0), /no parameter/);
  }
});

test("huge and tiny numbers read well; rate fields step 1, 3, 10, 30, …", () => {
  assert.equal(readable(1.832470917658294e65), "1.83 × 10⁶⁵");
  assert.equal(readable(0.12345), "0.1235");
  assert.equal(readable(0.000201), "0.000201");
  assert.equal(readable(2e-9), "2 × 10⁻⁹");
  assert.equal(readable(Number.NaN), "–");
  assert.equal(readable(Number.POSITIVE_INFINITY), "∞");
  assert.equal(short(2.5e-7), "2.5 × 10⁻⁷");
  assert.equal(short(0.25), "0.25");
  assert.equal(ladderStep(0.03, 1), 0.1);
  assert.equal(ladderStep(0.03, -1), 0.01);
  assert.equal(ladderStep(0.05, 1), 0.1);
  assert.equal(ladderStep(10, 1), 10);
  assert.equal(ladderStep(0, 1, true), 0.000001);
  assert.equal(ladderStep(0.000001, -1, true), 0);
});

test("the playground paints classes with the library's palette (class 0 blue, as the CLI's pictures)", () => {
  CLASS_RGB.forEach((rgb, k) => {
    assert.equal(`#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`, PALETTE[k]);
  });
});
