import assert from "node:assert/strict";
import { test } from "node:test";
import {
  classificationMetrics,
  classificationReport,
  confusionMatrix,
  logLoss,
  regressionMetrics,
  regressionReport,
} from "../../src/index.ts";

// Expected values worked out by hand from the confusion matrix; the regression example is the
// one in scikit-learn's r2_score documentation (0.948...).
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2, 2];
const yPred = [0, 1, 0, 1, 2, 2, 2, 0, 2];

test("confusion matrix: rows actual, columns predicted", () => {
  assert.deepEqual(confusionMatrix(yPred, yTrue, 3), [
    [2, 1, 0],
    [0, 1, 1],
    [1, 0, 3],
  ]);
});

test("precision, recall, F1 per class and macro", () => {
  const m = classificationMetrics(yPred, yTrue, 3);
  assert.equal(m.accuracy, 6 / 9);
  const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  // class 0: tp 2, predicted 3, actual 3
  close(m.perClass[0].precision, 2 / 3);
  close(m.perClass[0].recall, 2 / 3);
  // class 1: tp 1, predicted 2, actual 2
  close(m.perClass[1].f1, 0.5);
  // class 2: tp 3, predicted 4, actual 4
  close(m.perClass[2].precision, 0.75);
  assert.equal(m.perClass[2].support, 4);
  close(m.macro.precision, (2 / 3 + 0.5 + 0.75) / 3);
  close(m.macro.f1, (2 / 3 + 0.5 + 0.75) / 3);
});

test("a class never predicted has precision 0, not NaN", () => {
  const m = classificationMetrics([0, 0], [0, 1], 2);
  assert.equal(m.perClass[1].precision, 0);
  assert.equal(m.perClass[1].f1, 0);
});

test("log loss matches the definition and clips", () => {
  const p = [
    [0.9, 0.1],
    [0.2, 0.8],
  ];
  assert.ok(Math.abs(logLoss(p, [0, 1]) - -(Math.log(0.9) + Math.log(0.8)) / 2) < 1e-15);
  assert.ok(Math.abs(logLoss([[1, 0]], [1]) - -Math.log(1e-15)) < 1e-9);
  assert.throws(() => logLoss(p, [0, 2]), /label 2 of sample 1 is not a class in \[0, 2\)/);
  assert.throws(() => logLoss([[Number.NaN, 1]], [0]), /probability NaN of sample 0/);
});

test("regression metrics", () => {
  const r = regressionMetrics([2.5, 0.0, 2, 8], [3, -0.5, 2, 7]);
  assert.equal(r.mse, 0.375);
  assert.equal(r.mae, 0.5);
  assert.ok(Math.abs(r.r2 - 0.9486081370449679) < 1e-12); // sklearn's r2_score doc example
  assert.equal(regressionMetrics([1, 1], [1, 1]).r2, 1);
  assert.ok(Number.isNaN(regressionMetrics([1, 2], [1, 1]).r2));
  assert.match(regressionReport(r), /R²\s+0\.9486/);
});

test("metric errors name the op and values", () => {
  assert.throws(() => confusionMatrix([0], [0, 1], 2), /confusionMatrix: 1 predictions but 2 labels/);
  assert.throws(() => confusionMatrix([3], [0], 2), /prediction 3 of sample 0 is not a class in \[0, 2\)/);
  assert.throws(() => regressionMetrics([1], []), /1 predictions but 0 targets/);
});

test("the report names the classes and shows the confusion matrix", () => {
  const text = classificationReport(classificationMetrics(yPred, yTrue, 3), {
    labels: ["setosa", "versicolor", "virginica"],
    logLoss: 0.5,
  });
  assert.match(text, /versicolor\s+0\.500\s+0\.500\s+0\.500\s+2/);
  assert.match(text, /accuracy 0\.6667 \(6\/9\)/);
  assert.match(text, /log loss 0\.5000/);
  assert.match(text, /virginica\s+1\s+0\s+3/);
});
