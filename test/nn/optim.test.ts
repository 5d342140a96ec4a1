// Optimisers over every kind of parameter, their update rules written out by hand, learning-rate
// schedules, and the errors. (Agreement with PyTorch is in golden.test.ts.)
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Adam,
  constant,
  cosine,
  type HasParamBlock,
  linearDecay,
  type ParamBlock,
  SCHEDULES,
  SGD,
  scheduleByName,
  stepDecay,
  Value,
} from "../../src/index.ts";
import { assertAllClose, assertClose } from "../helpers/close.ts";

/** The same parameters three ways: scalar Values, a block, and an object that hands out a block. */
function threeKinds(data: number[], grad: number[]) {
  const values = data.map((d, i) => {
    const v = new Value(d);
    v.grad = grad[i];
    return v;
  });
  const block: ParamBlock = { data: Float64Array.from(data), grad: Float64Array.from(grad) };
  let asked = 0;
  const inner: ParamBlock = { data: Float64Array.from(data), grad: Float64Array.from(grad) };
  const holder: HasParamBlock = {
    paramBlock: () => {
      asked++;
      return inner;
    },
  };
  return { values, block, holder, inner, asked: () => asked };
}

test("SGD: p -= lr·g; with momentum v = μv + g (v starts at g); weight decay adds wd·p to g", () => {
  const data = [1, -2, 0.5];
  const grad = [0.1, 0.4, -0.3];
  const k = threeKinds(data, grad);
  const opt = new SGD([...k.values, k.block, k.holder], { lr: 0.5, momentum: 0.9, weightDecay: 0.1 });
  const expected = [...data];
  const velocity = [0, 0, 0];
  for (let step = 0; step < 3; step++) {
    opt.step();
    for (let i = 0; i < 3; i++) {
      const g = grad[i] + 0.1 * expected[i];
      velocity[i] = step === 0 ? g : 0.9 * velocity[i] + g;
      expected[i] -= 0.5 * velocity[i];
    }
    assertAllClose(
      k.values.map((v) => v.data),
      expected,
      1e-15,
      `Values after step ${step + 1}`,
    );
    assertAllClose(k.block.data, expected, 1e-15, "block");
    assertAllClose(k.inner.data, expected, 1e-15, "paramBlock()");
  }
  assert.deepEqual([...k.block.grad], grad, "weight decay leaves a block's gradients as they were");
  assert.deepEqual([...k.inner.grad], grad);
  assert.equal(opt.stepCount, 3);
  assert.equal(k.asked(), 3, "paramBlock() is asked anew at each step");
  assert.deepEqual(
    k.values.map((v) => v.grad),
    grad,
    "Value gradients are left as they were",
  );
});

test("SGD without momentum is plain gradient descent", () => {
  const p = new Value(3);
  p.grad = 2;
  new SGD([p], { lr: 0.25 }).step();
  assert.equal(p.data, 2.5);
});

test("Adam: bias-corrected moments, step size lr·m̂/(√v̂ + eps)", () => {
  const k = threeKinds([1, -2, 0.5], [0.1, 0.4, -0.3]);
  const opt = new Adam([...k.values, k.block], { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6 });
  const p = [1, -2, 0.5];
  const g = [0.1, 0.4, -0.3];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  for (let t = 1; t <= 4; t++) {
    opt.step();
    for (let i = 0; i < 3; i++) {
      m[i] = 0.8 * m[i] + 0.2 * g[i];
      v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
      p[i] -= (0.01 * (m[i] / (1 - 0.8 ** t))) / (Math.sqrt(v[i] / (1 - 0.99 ** t)) + 1e-6);
    }
    assertAllClose(
      k.values.map((x) => x.data),
      p,
      1e-15,
      `Values after step ${t}`,
    );
    assertAllClose(k.block.data, p, 1e-15, `block after step ${t}`);
  }
  // the first step moves each parameter by about lr, whatever the gradient's scale
  const q = new Value(0);
  q.grad = 1e-6;
  new Adam([q], { lr: 0.01 }).step();
  assertClose(q.data, -0.01 * (1e-6 / (1e-6 + 1e-8)), 1e-15, "first Adam step");
});

test("zeroGrad clears Values, blocks and paramBlock()s; the lr may be a schedule of the step count", () => {
  const k = threeKinds([1, 2], [3, 4]);
  const opt = new SGD([...k.values, k.block, k.holder], { lr: (step) => 1 / (step + 1) });
  assert.equal(opt.currentLr(), 1);
  opt.step();
  assert.equal(opt.currentLr(), 0.5);
  opt.zeroGrad();
  assert.deepEqual(
    k.values.map((v) => v.grad),
    [0, 0],
  );
  assert.deepEqual([...k.block.grad, ...k.inner.grad], [0, 0, 0, 0]);
  assert.equal(new Adam([], { lr: 0.1 }).currentLr(), 0.1);
});

test("optimiser errors name the problem", () => {
  const p = [new Value(1)];
  const fails = (f: () => unknown, message: string) => assert.throws(f, { name: "RangeError", message });
  for (const lr of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    fails(() => new SGD(p, { lr }), `optimizer: learning rate must be a positive number, got ${lr}`);
    fails(() => new Adam(p, { lr }), `optimizer: learning rate must be a positive number, got ${lr}`);
  }
  for (const bad of [Number.NaN, -0.5, Number.POSITIVE_INFINITY]) {
    const opt = new Adam(p, { lr: (step) => (step < 2 ? 0.1 : bad) });
    opt.step();
    opt.step();
    fails(() => opt.step(), `optimizer: the learning-rate schedule gave ${bad} at step 2`);
  }
  new SGD(p, { lr: () => 0 }).step(); // a schedule may end at 0
  fails(() => new SGD(p, { lr: 1, weightDecay: -0.1 }), "optimizer: weightDecay must be >= 0, got -0.1");
  fails(
    () => new Adam(p, { lr: 1, weightDecay: Number.NaN }),
    "optimizer: weightDecay must be >= 0, got NaN",
  );
  fails(() => new SGD(p, { lr: 1, momentum: -0.1 }), "SGD: momentum must be in [0, 1), got -0.1");
  fails(() => new SGD(p, { lr: 1, momentum: 1 }), "SGD: momentum must be in [0, 1), got 1");
  fails(() => new Adam(p, { lr: 1, beta1: 1 }), "Adam: beta1 must be in [0, 1), got 1");
  fails(() => new Adam(p, { lr: 1, beta2: -0.5 }), "Adam: beta2 must be in [0, 1), got -0.5");
  fails(() => new Adam(p, { lr: 1, beta2: Number.NaN }), "Adam: beta2 must be in [0, 1), got NaN");
});

test("schedules: constant, linear decay (micrograd's), step decay, cosine", () => {
  assert.deepEqual([0, 5, 1e6].map(constant(0.3)), [0.3, 0.3, 0.3]);

  const linear = linearDecay(1, 0.1, 100);
  assert.equal(linear(0), 1);
  assertClose(linear(50), 0.55, 1e-15);
  assertClose(linear(99), 1 - (0.9 * 99) / 100, 1e-15, "micrograd's 1.0 - 0.9·k/100");
  assertClose(linear(100), 0.1, 1e-15);
  assertClose(linear(500), 0.1, 1e-15, "stays at the end value");

  const steps = stepDecay(0.5, 10, 0.5);
  assert.deepEqual([0, 9, 10, 19, 20, 35].map(steps), [0.5, 0.5, 0.25, 0.25, 0.125, 0.0625]);
  assert.equal(stepDecay(1, 3)(3), 0.1, "gamma defaults to 0.1");

  const cos = cosine(1, 100, 0.2);
  assert.equal(cos(0), 1);
  assertClose(cos(50), 0.6, 1e-15, "halfway");
  assertClose(cos(25), 0.2 + (0.8 * (1 + Math.cos(Math.PI / 4))) / 2, 1e-15);
  assertClose(cos(100), 0.2, 1e-15);
  assertClose(cos(1000), 0.2, 1e-15);
  assertClose(cosine(2, 10)(10), 0, 1e-15, "min defaults to 0");

  assert.deepEqual(SCHEDULES, ["constant", "linear", "step", "cosine"]);
  assert.equal(scheduleByName("constant", 0.2, 10)(7), 0.2);
  assertClose(scheduleByName("linear", 1, 100)(100), 0.1, 1e-15, "linear ends at lr/10");
  assertClose(scheduleByName("linear", 1, 100)(99), linear(99), 1e-15);
  assert.deepEqual(
    [0, 33, 34, 67, 68].map(scheduleByName("step", 1, 100)),
    [1, 1, 0.1, 0.1, 0.010000000000000002],
  );
  assertClose(scheduleByName("cosine", 1, 10)(10), 0, 1e-15);
  assert.equal(scheduleByName("step", 1, 1)(1), 0.1, "at least one step per stage");
  // a decay over 0 steps is already at its end (it was NaN: 0/0)
  assertClose(linearDecay(1, 0.1, 0)(0), 0.1, 1e-15);
  assertClose(cosine(1, 0, 0.2)(0), 0.2, 1e-15);
  assertClose(scheduleByName("linear", 1, 0)(0), 0.1, 1e-15);
  for (const every of [0, -1, Number.NaN]) {
    assert.throws(() => stepDecay(1, every), {
      name: "RangeError",
      message: `stepDecay: every must be a positive number of steps, got ${every}`,
    });
  }
});
