import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ActivationLayer,
  Dropout,
  Embedding,
  fit,
  Linear,
  MLP,
  moons,
  ones,
  Rng,
  randn,
  Sequential,
  spiral,
  sum,
  Tensor,
  tensor,
  tensorMLP,
} from "../../src/index.ts";

test("Linear: shapes, parameters, zeroGrad and a clear error", () => {
  const lin = new Linear(3, 2, { seed: 1 });
  const y = lin.forward(randn([5, 3], { rng: new Rng(1) }));
  assert.deepEqual(y.shape, [5, 2]);
  assert.equal(lin.parameterCount(), 8);
  sum(y).backward();
  assert.ok(lin.weight.grad?.data.some((v) => v !== 0));
  lin.zeroGrad();
  assert.ok(lin.weight.grad?.data.every((v) => v === 0));
  assert.throws(
    () => lin.forward(ones([2, 4])),
    /Linear: expected inputs with 3 features, got shape \[2,4\]/,
  );
});

test("Sequential and tensorMLP: layers, parameter count as the scalar MLP's", () => {
  const model = tensorMLP(2, [16, 16, 1]);
  assert.equal(model.parameterCount(), new MLP(2, [16, 16, 1]).parameters().length);
  const seq = new Sequential(new Linear(2, 3), new ActivationLayer("tanh"));
  assert.deepEqual(seq.forward(ones([4, 2])).shape, [4, 3]);
  assert.throws(() => new ActivationLayer("swish" as "relu"), /unknown activation "swish"/);
});

test("Dropout: seeded, scales kept inputs, passes through in eval mode", () => {
  const x = ones([1000]);
  const a = new Dropout(0.25, { seed: 3 }).forward(x);
  const b = new Dropout(0.25, { seed: 3 }).forward(x);
  assert.deepEqual([...a.data], [...b.data]);
  const kept = a.data.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6));
  assert.ok(Math.abs(kept.length / 1000 - 0.75) < 0.05);
  const drop = new Dropout(0.5).eval();
  assert.equal(drop.forward(x), x);
  assert.throws(() => new Dropout(1), /Dropout: p must be in \[0, 1\)/);
  // Sequential passes the mode down
  const model = tensorMLP(4, [8, 2], { dropout: 0.5 });
  model.eval();
  assert.ok(model.layers.every((l) => !l.training));
});

test("Embedding: looks rows up; gradients reach only those rows", () => {
  const emb = new Embedding(5, 3, { seed: 2 });
  const ids = tensor([
    [1, 4],
    [1, 0],
  ]);
  const v = emb.forward(ids);
  assert.deepEqual(v.shape, [2, 2, 3]);
  assert.deepEqual([...v.data.subarray(0, 3)], [...emb.weight.data.subarray(3, 6)]);
  sum(v).backward();
  const g = emb.weight.grad?.data ?? new Float32Array();
  assert.deepEqual([...g], [1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
});

test("fit trains a tensor model with the same options and callbacks", () => {
  const data = spiral({ n: 60, noise: 0.1, seed: 1 });
  const model = tensorMLP(2, [32, 32, 3], { seed: 2 });
  let calls = 0;
  const result = fit(model, data, {
    optimizer: "adam",
    lr: 0.02,
    batch: 60,
    steps: 300,
    onStep: () => {
      calls++;
    },
  });
  assert.equal(calls, result.steps);
  assert.ok(result.accuracy > 0.9, `accuracy ${result.accuracy}`);
  // micrograd's moons demo, as tensors, with hinge loss and an L2 term
  const moon = moons({ n: 100, noise: 0.1, seed: 3 });
  const r2 = fit(tensorMLP(2, [16, 16, 1]), moon, { loss: "hinge", steps: 100, l2: 1e-4, lr: 0.1 });
  assert.ok(r2.accuracy >= 0.9, `moons accuracy ${r2.accuracy}`);
  // data already in a tensor
  const x = new Tensor(Float32Array.from(moon.x.flat()), [100, 2]);
  const r3 = fit(tensorMLP(2, [8, 1]), { x, y: moon.y }, { loss: "bce", steps: 5 });
  assert.equal(r3.steps, 5);
  assert.throws(() => fit(tensorMLP(2, [8, 1]), { x, y: [1] }), /fit: 100 samples but 1 labels/);
  assert.throws(() => fit(new MLP(2, [1]), { x, y: moon.y }), /a scalar MLP takes its samples as arrays/);
  // validation and patience too (test/train/fit-tensor-validation.test.ts checks them in depth)
  const checked = fit(tensorMLP(2, [8, 1]), moon, { validation: moon, steps: 5 });
  assert.equal(typeof checked.bestStep, "number");
  assert.equal(checked.history.filter((s) => s.valLoss !== undefined).length, 5);
});
