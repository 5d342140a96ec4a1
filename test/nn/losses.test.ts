// Losses: gradients against finite differences at random batches (a fast-check property each),
// numerical stability at extreme logits, classification, and the errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  BCE,
  batchLoss,
  binaryCrossEntropy,
  HINGE,
  hinge,
  LOSS_NAMES,
  LOSSES,
  type LossName,
  l2,
  logSumExp,
  MSE,
  mse,
  SOFTMAX,
  softmax,
  softmaxCrossEntropy,
  Value,
} from "../../src/index.ts";
import { assertClose } from "../helpers/close.ts";
import { assertGradients } from "../helpers/gradcheck.ts";

const logit = fc.double({ min: -8, max: 8, noNaN: true });

/** A batch of `n` outputs of width `k` and targets suited to `loss`. */
function batchOf(loss: LossName, k: number) {
  const target = {
    mse: fc.double({ min: -2, max: 2, noNaN: true }),
    hinge: fc.constantFrom(0, 1, -1),
    bce: fc.constantFrom(0, 1),
    softmax: fc.integer({ min: 0, max: k - 1 }),
  }[loss];
  return fc
    .integer({ min: 1, max: 4 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.array(logit, { minLength: k, maxLength: k }), { minLength: n, maxLength: n }),
        fc.array(target, { minLength: n, maxLength: n }),
      ),
    );
}

for (const [loss, k] of [
  ["mse", 1],
  ["hinge", 1],
  ["bce", 1],
  ["softmax", 3],
] as const) {
  test(`${loss}: gradient with respect to every output matches finite differences (property)`, () => {
    fc.assert(
      fc.property(batchOf(loss, k), ([outputs, targets]) => {
        if (loss === "hinge") {
          // skip batches sitting on the kink (1 - y·s = 0)
          fc.pre(outputs.every(([s], i) => Math.abs(1 - (targets[i] > 0 ? 1 : -1) * s) > 1e-4));
        }
        const flat = outputs.flat();
        const f = (...xs: Value[]) => {
          const rows = outputs.map((_, i) => xs.slice(i * k, (i + 1) * k));
          return batchLoss(LOSSES[loss], rows, targets);
        };
        assertGradients(f, flat);
      }),
      { numRuns: 100, seed: 7, includeErrorInReport: true },
    );
  });
}

test("the named functions are batchLoss with the matching loss", () => {
  const rows = [[0.3], [-1.2], [2]];
  const y = [1, 0, 1];
  const value = (f: (o: Value[][], t: number[]) => Value) =>
    f(
      rows.map((r) => r.map((x) => new Value(x))),
      y,
    ).data;
  assert.equal(
    value(mse),
    value((o, t) => batchLoss(MSE, o, t)),
  );
  assert.equal(
    value(hinge),
    value((o, t) => batchLoss(HINGE, o, t)),
  );
  assert.equal(
    value(binaryCrossEntropy),
    value((o, t) => batchLoss(BCE, o, t)),
  );
  const rows3 = [
    [0.3, 1, -1],
    [2, 0, 0],
  ].map((r) => r.map((x) => new Value(x)));
  assert.equal(softmaxCrossEntropy(rows3, [2, 0]).data, batchLoss(SOFTMAX, rows3, [2, 0]).data);
  assert.deepEqual(LOSS_NAMES, ["mse", "hinge", "bce", "softmax"]);
  assert.equal(LOSSES.hinge, HINGE);
});

test("the values: mse, hinge as in micrograd, bce and softmax written out", () => {
  assertClose(mse([[new Value(0.5)], [new Value(3)]], [1, 1]).data, (0.25 + 4) / 2, 1e-15);
  // micrograd: relu(1 - y·score) with y = ±1
  assertClose(
    hinge([[new Value(0.5)], [new Value(-2)], [new Value(0.2)]], [1, 0, 0]).data,
    (0.5 + 0 + 1.2) / 3,
    1e-15,
  );
  const z = 0.7;
  assertClose(binaryCrossEntropy([[new Value(z)]], [1]).data, -Math.log(1 / (1 + Math.exp(-z))), 1e-15);
  assertClose(binaryCrossEntropy([[new Value(z)]], [0]).data, -Math.log(1 - 1 / (1 + Math.exp(-z))), 1e-15);
  const logits = [1, 2, 0.5];
  const p = softmax(logits);
  assertClose(softmaxCrossEntropy([logits.map((x) => new Value(x))], [1]).data, -Math.log(p[1]), 1e-15);
  const params = [1, -2, 3].map((x) => new Value(x));
  assertClose(l2(params, 0.01).data, 0.01 * 14, 1e-15);
});

test("bce and softmax are stable at extreme logits: finite values, right gradients", () => {
  for (const z of [-1000, -50, 50, 1000]) {
    for (const y of [0, 1]) {
      const v = new Value(z);
      const loss = binaryCrossEntropy([[v]], [y]);
      loss.backward();
      const expected = Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      assertClose(loss.data, expected, 1e-12, `bce(${z}, ${y})`);
      assertClose(v.grad, 1 / (1 + Math.exp(-z)) - y, 1e-12, `bce'(${z}, ${y})`);
    }
  }
  const big = [1000, 999, -1000].map((x) => new Value(x));
  const ce = softmaxCrossEntropy([big], [1]);
  ce.backward();
  assertClose(ce.data, 1 + Math.log1p(Math.exp(-1)), 1e-12, "softmax CE at 1000");
  const p = softmax([1000, 999, -1000]);
  assertClose(big[0].grad, p[0], 1e-12);
  assertClose(big[1].grad, p[1] - 1, 1e-12);
  assertClose(logSumExp([800, 800].map((x) => new Value(x))).data, 800 + Math.LN2, 1e-12, "logSumExp");
  const s = softmax([1e4, 1e4 - 1, -1e4]);
  assertClose(s[0] + s[1] + s[2], 1, 1e-15);
  assertClose(s[0] / s[1], Math.E, 1e-12);
});

test("classify: each loss's predicted class; classOf maps hinge's -1/+1 targets to classes", () => {
  assert.deepEqual([[0.6], [0.4]].map(MSE.classify), [1, 0]);
  assert.deepEqual([[0.1], [-0.1], [0]].map(HINGE.classify), [1, 0, 0]);
  assert.deepEqual([[0.1], [-0.1]].map(BCE.classify), [1, 0]);
  assert.equal(SOFTMAX.classify([0.1, 3, -2]), 1);
  assert.deepEqual(
    [-1, 0, 1].map((t) => HINGE.classOf?.(t)),
    [0, 0, 1],
  );
  assert.deepEqual(HINGE.encode(1, 1), [-1]);
  assert.deepEqual(HINGE.encode(-1, 1), [1]);
  assert.deepEqual(SOFTMAX.encode(2, 4), [0, 0, 1, 0]);
});

test("loss errors name the loss and the offending values", () => {
  const one = [[new Value(0)]];
  const fails = (f: () => unknown, message: string) => assert.throws(f, { name: "RangeError", message });
  fails(() => mse([], []), "mse: the batch is empty");
  fails(() => hinge(one, [1, 0]), "hinge: 1 outputs but 2 targets");
  fails(() => binaryCrossEntropy(one, [-1]), "binaryCrossEntropy: target must be 0 or 1, got -1");
  fails(() => binaryCrossEntropy(one, [0.5]), "binaryCrossEntropy: target must be 0 or 1, got 0.5");
  const three = [[0, 1, 2].map((x) => new Value(x))];
  fails(
    () => softmaxCrossEntropy(three, [3]),
    "softmaxCrossEntropy: target 3 is not a class index in [0, 3)",
  );
  fails(
    () => softmaxCrossEntropy(three, [-1]),
    "softmaxCrossEntropy: target -1 is not a class index in [0, 3)",
  );
  fails(
    () => softmaxCrossEntropy(three, [1.5]),
    "softmaxCrossEntropy: target 1.5 is not a class index in [0, 3)",
  );
});
