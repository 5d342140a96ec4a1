import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { kFold, splitIndices, subset, trainTestSplit, trainValTestSplit } from "../../src/index.ts";

const threeClasses = Array.from({ length: 150 }, (_, i) => Math.floor(i / 50));
const count = (idx: number[], y: number[], c: number): number => idx.filter((i) => y[i] === c).length;

test("trainTestSplit is stratified, seeded, disjoint and complete", () => {
  const { train, test: held } = trainTestSplit(threeClasses, { test: 0.2, seed: 7 });
  assert.equal(held.length, 30);
  assert.equal(train.length, 120);
  for (let c = 0; c < 3; c++) assert.equal(count(held, threeClasses, c), 10);
  assert.deepEqual(
    [...train, ...held].sort((a, b) => a - b),
    [...threeClasses.keys()],
  );
  assert.deepEqual(trainTestSplit(threeClasses, { test: 0.2, seed: 7 }).test, held);
  assert.notDeepEqual(trainTestSplit(threeClasses, { test: 0.2, seed: 8 }).test, held);
});

test("trainValTestSplit gives each part its share of every class", () => {
  const y = [...Array(60).fill(0), ...Array(40).fill(1)];
  const { train, val, test: held } = trainValTestSplit(y, { val: 0.2, test: 0.1, seed: 1 });
  assert.equal(val.length, 20);
  assert.equal(held.length, 10);
  assert.equal(train.length, 70);
  assert.equal(count(val, y, 0), 12);
  assert.equal(count(held, y, 1), 4);
});

test("split sizes always add up and parts never overlap (property)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 80 }),
      fc.double({ min: 0, max: 0.45, noNaN: true }),
      fc.double({ min: 0, max: 0.45, noNaN: true }),
      fc.boolean(),
      (y, a, b, stratify) => {
        const parts = splitIndices(y, [a, b], { stratify, seed: 3 });
        assert.equal(parts[1].length, Math.round(a * y.length));
        assert.equal(parts[2].length, Math.round(b * y.length));
        const all = parts.flat().sort((p, q) => p - q);
        assert.deepEqual(all, [...y.keys()]);
      },
    ),
  );
});

test("kFold: every sample is tested exactly once, folds are stratified", () => {
  const folds = kFold(threeClasses, 5, { seed: 2 });
  assert.equal(folds.length, 5);
  const tested = folds.flatMap((f) => f.test).sort((a, b) => a - b);
  assert.deepEqual(tested, [...threeClasses.keys()]);
  for (const f of folds) {
    assert.equal(f.test.length, 30);
    assert.equal(f.train.length, 120);
    for (let c = 0; c < 3; c++) assert.equal(count(f.test, threeClasses, c), 10);
    assert.ok(f.test.every((i) => !f.train.includes(i)));
  }
});

test("split errors name the problem", () => {
  assert.throws(() => trainTestSplit([0, 1], { test: 1 }), /fraction must be in \[0, 1\), got 1/);
  assert.throws(() => trainValTestSplit([0, 1], { val: 0.5, test: 0.5 }), /add up to 1/);
  assert.throws(() => kFold([0, 1, 0], 1), /k must be an integer >= 2, got 1/);
  assert.throws(() => kFold([0, 1, 0], 4), /k = 4 folds but only 3 samples/);
  assert.throws(() => subset({ x: [[1]], y: [0] }, [1]), /index 1 is outside \[0, 1\)/);
});

test("subset keeps the other fields", () => {
  const d = { x: [[1], [2], [3]], y: [0, 1, 0], classes: 2, labels: ["a", "b"] };
  assert.deepEqual(subset(d, [2, 0]), { x: [[3], [1]], y: [0, 0], classes: 2, labels: ["a", "b"] });
});
