import assert from "node:assert/strict";
import { test } from "node:test";
import { isGradEnabled, MLP, mul, noGrad, tensor, tidy, Value } from "../../src/index.ts";

test("noGrad computes values without recording how: results are leaves, backward reaches nothing", () => {
  const x = new Value(3);
  const y = noGrad(() => x.mul(x).add(1).tanh());
  assert.equal(y.data, Math.tanh(10));
  assert.equal(y.op, "leaf");
  y.backward();
  assert.equal(x.grad, 0);
  // Outside noGrad the same ops record again.
  const z = x.mul(x);
  z.backward();
  assert.equal(x.grad, 6);
});

test("noGrad restores the mode after an error, and serves both engines", () => {
  assert.throws(() =>
    noGrad(() => {
      throw new Error("inside");
    }),
  );
  assert.equal(isGradEnabled(), true);
  const w = tensor([1, 2], { requiresGrad: true });
  assert.equal(noGrad(() => mul(w, 2)).requiresGrad, false);
  assert.equal(mul(w, 2).requiresGrad, true);
});

test("a forward-only evaluation loop under noGrad gives the recorded forward's numbers", () => {
  const model = new MLP(2, [4, 1], { seed: 3 });
  const recorded = model.forward([0.5, -1])[0].data;
  assert.equal(
    noGrad(() => model.forward([0.5, -1])[0].data),
    recorded,
  );
});

test("noGrad and tidy keep their values apart: the parameters' chunk does not grow, results stay valid", () => {
  const model = new MLP(2, [4, 1], { seed: 3 });
  const chunk = model.parameters()[0].chunk;
  const size = chunk.size;
  const plain = noGrad(() => model.forward([0.5, -1])[0]);
  const recorded = tidy(() => model.forward([0.5, -1])[0]);
  assert.equal(chunk.size, size, "nothing was added next to the parameters");
  assert.notEqual(plain.chunk, chunk);
  assert.notEqual(recorded.chunk, chunk);
  assert.notEqual(plain.chunk, recorded.chunk);
  assert.equal(recorded.data, plain.data);
  // A value from tidy keeps its graph: backward through it reaches the parameters.
  const after = new Value(1);
  assert.notEqual(after.chunk, recorded.chunk, "values made after tidy go elsewhere too");
  model.zeroGrad();
  recorded.mul(after).backward();
  assert.ok(model.parameters().some((p) => p.grad !== 0));
  // Nested: only the outermost call matters, and the inner values are still plain leaves.
  assert.equal(noGrad(() => noGrad(() => new Value(2).mul(3))).op, "leaf");
  assert.equal(tidy(() => tidy(() => new Value(2).mul(3))).op, "mul");
});
