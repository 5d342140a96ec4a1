// The playground's data: generated or the visitor's own points, split into train and test, and
// the square of the plane that holds them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { moons } from "../../src/index.ts";
import { CUSTOM_DOMAIN, makeProblem } from "../../web/src/problem.ts";
import { defaultSettings } from "../../web/src/settings.ts";

test("generated points are split by the test share, the data seeded by the seed", () => {
  const s = { ...defaultSettings(), n: 200, testPercent: 30, seed: 9 };
  const p = makeProblem(s);
  assert.equal(p.train.x.length, 140);
  assert.equal(p.test.x.length, 60);
  assert.equal(p.classes, 2);
  const data = moons({ n: 200, noise: s.noise, seed: 9 });
  assert.deepEqual([...p.train.x, ...p.test.x], data.x);
  assert.deepEqual([...p.train.y, ...p.test.y], data.y);
});

test("the plane is a square holding every point with a margin", () => {
  for (const dataset of ["moons", "circles", "spiral", "xor", "blobs"] as const) {
    const p = makeProblem({ ...defaultSettings(), dataset });
    const { x0, y0, size } = p.domain;
    for (const [a, b] of [...p.train.x, ...p.test.x]) {
      assert.ok(a > x0 && a < x0 + size && b > y0 && b < y0 + size, `${dataset}: (${a}, ${b}) outside`);
    }
  }
});

test("own points: classes from the labels, a fixed plane, at least one training point", () => {
  const one = makeProblem({ ...defaultSettings(), dataset: "custom", points: [[0, 0, 2]], testPercent: 90 });
  assert.equal(one.train.x.length, 1);
  assert.equal(one.test.x.length, 0);
  assert.equal(one.classes, 3);
  assert.deepEqual(one.domain, CUSTOM_DOMAIN);
  const none = makeProblem({ ...defaultSettings(), dataset: "custom", points: [] });
  assert.equal(none.train.x.length, 0);
  assert.equal(none.classes, 2);
});
