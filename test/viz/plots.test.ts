import assert from "node:assert/strict";
import { test } from "node:test";
import { classConfidence, decisionBoundarySvg, trainingCurvesSvg } from "../../src/index.ts";
import { PALETTE, tint } from "../../src/viz/svg.ts";
import { niceTicks } from "../../src/viz/ticks.ts";

/** Tags open and close in order (a cheap well-formedness check for the SVG we write). */
function assertBalanced(svg: string): void {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === "/") continue;
    if (m[1] === "/") assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else stack.push(m[2]);
  }
  assert.deepEqual(stack, []);
}

const texts = (svg: string, cls: string): string[] =>
  [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, "g"))].map((m) => m[1]);

test("niceTicks: steps of 1, 2 or 5 times a power of ten, inside the range", () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-1.3, 2.4, 4), [-1, 0, 1, 2]);
  assert.deepEqual(niceTicks(1, 100, 4), [20, 40, 60, 80, 100]);
  assert.deepEqual(niceTicks(3, 3), [3]);
});

test("classConfidence: a score against its threshold, or the softmax of logits", () => {
  assert.deepEqual(classConfidence([0.5]), { label: 1, confidence: 0.5 });
  assert.deepEqual(classConfidence([-3]), { label: 0, confidence: 1 });
  const shifted = classConfidence([0.7], 0.5, 0.5);
  assert.equal(shifted.label, 1);
  assert.ok(Math.abs(shifted.confidence - 0.4) < 1e-12);
  assert.deepEqual(classConfidence([1, 1, 1]), { label: 0, confidence: 0 });
  const { label, confidence } = classConfidence([0, 2, 0]);
  const p = Math.exp(2) / (Math.exp(2) + 2);
  assert.equal(label, 1);
  assert.ok(Math.abs(confidence - (p - 1 / 3) / (2 / 3)) < 1e-12);
  assert.throws(() => classConfidence([]), /classConfidence: the model returned no outputs/);
});

test("decision boundary (binary): shaded by the score's side, points on top, axes, legend", () => {
  const data = {
    x: [
      [-1, 0],
      [-0.5, 1],
      [0.5, -1],
      [1, 0.2],
      [-0.2, 0.3],
    ],
    y: [0, 0, 1, 1, 1],
  };
  // Score = x1: class 1 on the right half; the last point (x1 = -0.2, class 1) is misclassified.
  const svg = decisionBoundarySvg((p) => [p[0]], data, { resolution: 20, title: "half plane" });
  assertBalanced(svg);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="480" height="480"/);
  assert.match(svg, /font-family="DejaVu Sans"/);
  assert.deepEqual(texts(svg, "title"), ["half plane"]);
  assert.deepEqual(texts(svg, "axis-title"), ["x1", "x2"]);
  assert.ok(texts(svg, "tick").includes("0.0") || texts(svg, "tick").includes("0"));
  // Heatmap: class 0's hue on the left, class 1's on the right, paler near the boundary.
  const cells = [
    ...svg.matchAll(
      /<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="(#[0-9a-f]{6})"\/>/g,
    ),
  ];
  assert.ok(cells.length >= 20 && cells.length <= 20 * 20, `${cells.length} runs`);
  const hues = new Set(cells.map((c) => c[3]));
  assert.ok(
    hues.has(tint(PALETTE[0], 0.62)) && hues.has(tint(PALETTE[1], 0.62)),
    "confident shades of both classes",
  );
  assert.ok(hues.has(tint(PALETTE[0], 0.12)), "an unsure shade near the boundary");
  // Points: five data circles, the wrong one ringed in red; two legend entries.
  const points = svg.slice(svg.indexOf('<g class="points"'), svg.indexOf('<g class="legend"'));
  assert.equal([...points.matchAll(/<circle /g)].length, 5);
  assert.equal([...points.matchAll(/stroke="#e00000"/g)].length, 1);
  const legend = svg.slice(svg.indexOf('<g class="legend"'));
  assert.match(legend, />class 0</);
  assert.match(legend, />class 1</);
  assert.match(legend, />wrong: 1</);
});

test("decision boundary (multi-class): one colour per class, named in the legend", () => {
  const data = {
    x: [
      [0, 1],
      [1, 0],
      [-1, -1],
    ],
    y: [0, 1, 2],
    labels: ["north", "east", "south-west"],
  };
  // Logits: the nearest of the three points' directions wins.
  const predict = (p: readonly number[]): number[] => data.x.map((c) => 3 * (c[0] * p[0] + c[1] * p[1]));
  const svg = decisionBoundarySvg(predict, data, { resolution: 16, width: 360, height: 380 });
  assertBalanced(svg);
  const fills = new Set([...svg.matchAll(/fill="(#[0-9a-f]{6})"\/>/g)].map((m) => m[1]));
  for (let k = 0; k < 3; k++) assert.ok(fills.has(tint(PALETTE[k], 0.62)), `class ${k} shaded`);
  for (const name of ["north", "east", "south-west"]) assert.match(svg, new RegExp(`>${name}</text>`));
  assert.doesNotMatch(svg, /stroke="#e00000"/);
  assert.doesNotMatch(svg, />wrong: /);
});

test("decision boundary legend wraps to stay inside a narrow picture", () => {
  const data = {
    x: [
      [0, 1],
      [1, 0],
      [-1, -1],
    ],
    y: [0, 1, 2],
    labels: ["setosa", "versicolor", "virginica"],
  };
  const svg = decisionBoundarySvg(() => [1, 0, 0], data, { resolution: 4, width: 280, height: 300 });
  const legend = svg.slice(svg.indexOf('<g class="legend"'));
  const entries = [...legend.matchAll(/<text x="([\d.]+)" y="([\d.]+)">([^<]+)<\/text>/g)];
  assert.deepEqual(
    entries.map((e) => e[3]),
    ["setosa", "versicolor", "virginica", "wrong: 2"],
  );
  for (const [, x, , text] of entries) assert.ok(Number(x) + 7 * text.length <= 280, `${text} fits`);
  assert.ok(new Set(entries.map((e) => e[2])).size >= 2, "more than one row");
});

test("decision boundary rejects points that are not 2-D and mismatched labels", () => {
  assert.throws(
    () => decisionBoundarySvg(() => [0], { x: [[1, 2, 3]], y: [0] }),
    /decisionBoundarySvg: point 0 has 3 coordinates, expected 2/,
  );
  assert.throws(() => decisionBoundarySvg(() => [0], { x: [[1, 2]], y: [] }), /1 points but 0 labels/);
});

const run = (name: string, scale: number, n = 50) => ({
  name,
  train: Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    loss: scale / (i + 1),
    accuracy: 1 - 0.5 / (i + 1),
  })),
  validation: Array.from({ length: n / 5 }, (_, i) => ({
    step: 5 * (i + 1),
    loss: (1.2 * scale) / (5 * i + 5),
    accuracy: 0.9,
  })),
});

test("training curves: loss and accuracy panels, one colour per run, dashed validation, legend", () => {
  const svg = trainingCurvesSvg([run("full batch", 2), run("batch 10", 3)], { title: "moons" });
  assertBalanced(svg);
  assert.deepEqual(texts(svg, "title"), ["moons"]);
  // Loss spans 2/50 .. 3: more than 30x, so the loss axis is logarithmic.
  assert.deepEqual(texts(svg, "axis-title"), ["step", "loss (log scale)", "step", "accuracy"]);
  const ticks = texts(svg, "tick");
  for (const t of ["0.01", "0.1", "1", "10", "0.0", "0.5", "1.0", "10", "50"])
    assert.ok(ticks.includes(t), `tick ${t}`);
  const curves = [
    ...svg.matchAll(
      /<path class="(loss|accuracy)-curve" data-series="([^"]+)" d="([^"]+)"[^>]*stroke="(#[0-9a-f]{6})"[^>]*\/>/g,
    ),
  ];
  assert.equal(curves.length, 8);
  const fullTrainLoss = curves.find((c) => c[1] === "loss" && c[2] === "full batch train");
  assert.equal(fullTrainLoss?.[4], PALETTE[0]);
  assert.equal(fullTrainLoss?.[3].split(/[ML]/).filter(Boolean).length, 50);
  const validation = curves.filter((c) => c[2].endsWith("validation"));
  assert.equal(validation.length, 4);
  assert.ok(validation.every((c) => c[0].includes('stroke-dasharray="6 4"')));
  assert.equal(curves.find((c) => c[2] === "batch 10 train")?.[4], PALETTE[1]);
  for (const label of ["full batch", "batch 10", "train", "validation"])
    assert.match(svg, new RegExp(`>${label}</text>`));
});

test("training curves: a linear loss axis, no accuracy panel, smoothing, errors", () => {
  const flat = [{ name: "one", train: [1, 2, 3].map((step) => ({ step, loss: 1 / step })) }];
  const svg = trainingCurvesSvg(flat);
  assertBalanced(svg);
  assert.deepEqual(texts(svg, "axis-title"), ["step", "loss"]);
  assert.doesNotMatch(svg, /accuracy-curve/);
  const smoothed = trainingCurvesSvg(flat, { smoothing: 0.5 });
  assert.equal([...smoothed.matchAll(/class="loss-curve raw"/g)].length, 1);
  assert.equal([...smoothed.matchAll(/class="loss-curve"/g)].length, 1);
  // Validation curves (a fixed set) are drawn unsmoothed.
  const both = trainingCurvesSvg([run("a", 1)], { smoothing: 0.9 });
  assert.equal([...both.matchAll(/class="loss-curve raw" data-series="a train"/g)].length, 1);
  assert.doesNotMatch(both, /raw" data-series="a validation"/);
  assert.throws(() => trainingCurvesSvg([]), /trainingCurvesSvg: give at least one run/);
  assert.throws(() => trainingCurvesSvg(flat, { smoothing: 1 }), /smoothing must be in \[0, 1\), got 1/);
});
