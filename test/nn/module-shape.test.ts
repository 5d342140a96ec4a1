// One module shape for both engines: named parameters in a fixed order, zeroGrad, train/eval,
// parameter count; the optimisers, fit and the savers take it.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Adam,
  Embedding,
  fit,
  Linear,
  loadModuleStateDict,
  MLP,
  MLPLanguageModel,
  type Module,
  moduleStateDict,
  mul,
  SGD,
  sum,
  type Tensor,
  TensorModule,
  tensor,
  tensorMLP,
  type Value,
} from "../../src/index.ts";

test("namedParameters: PyTorch state_dict names, in parameters() order, on both engines", () => {
  const net = tensorMLP(2, [4, 1], { dropout: 0.5 }); // Linear, relu, Dropout, Linear
  assert.deepEqual(
    net.namedParameters().map(([name, p]) => [name, p.shape]),
    [
      ["0.weight", [2, 4]],
      ["0.bias", [4]],
      ["3.weight", [4, 1]],
      ["3.bias", [1]],
    ],
  );
  assert.deepEqual(
    new Linear(3, 2, { bias: false }).namedParameters().map(([n]) => n),
    ["weight"],
  );
  assert.deepEqual(
    new Embedding(5, 2).namedParameters().map(([n]) => n),
    ["weight"],
  );
  const lm = new MLPLanguageModel({ vocabSize: 5, context: 2, embed: 3, hidden: 4 });
  assert.deepEqual(
    lm.namedParameters().map(([n]) => n),
    ["embedding.weight", "hidden.weight", "hidden.bias", "output.weight", "output.bias"],
  );
  const mlp = new MLP(2, [3, 1]);
  const named = mlp.namedParameters();
  assert.equal(named.length, mlp.parameters().length);
  assert.deepEqual(
    named.slice(0, 3).map(([n]) => n),
    ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"],
  );
  assert.equal(named[named.length - 1][0], "layers.1.neurons.0.b");
  for (const model of [net, lm, mlp] as Module<Value | Tensor>[]) {
    assert.deepEqual(
      model.namedParameters().map(([, p]) => p),
      model.parameters(),
    );
    assert.equal(new Set(model.namedParameters().map(([n]) => n)).size, model.parameters().length);
  }
});

test("parameterCount, zeroGrad and train/eval are the same members on both engines", () => {
  const mlp = new MLP(2, [4, 1]);
  assert.equal(mlp.parameterCount(), 17);
  const net = tensorMLP(2, [4, 1]);
  assert.equal(net.parameterCount(), 17);
  for (const p of mlp.parameters()) p.grad = 1;
  mlp.zeroGrad();
  assert.ok(mlp.parameters().every((p) => p.grad === 0));
  sum(net.forward(tensor([[1, 2]]))).backward();
  assert.ok(net.parameters().some((p) => p.grad?.data.some((g) => g !== 0)));
  net.zeroGrad();
  assert.ok(net.parameters().every((p) => p.grad?.data.every((g) => g === 0) ?? true));
  assert.equal(mlp.eval().training, false);
  assert.equal(mlp.train().training, true);
  net.eval();
  assert.ok(
    net.layers.every((l) => !l.training),
    "Sequential switches its layers",
  );
});

test("optimisers take a module (either engine) as they take its parameter list", () => {
  const a = new MLP(2, [3, 1], { seed: 4 });
  const b = new MLP(2, [3, 1], { seed: 4 });
  const fromModule = new Adam(a, { lr: 0.1 });
  const fromList = new Adam(b.parameters(), { lr: 0.1 });
  for (const [model, opt] of [
    [a, fromModule],
    [b, fromList],
  ] as const) {
    opt.zeroGrad();
    const [out] = model.forward([1, -1]);
    out.mul(out).backward();
    opt.step();
  }
  assert.deepEqual(
    a.parameters().map((p) => p.data),
    b.parameters().map((p) => p.data),
  );
  const net = tensorMLP(2, [2]);
  const sgd = new SGD(net, { lr: 0.5 });
  const before = net.parameters().map((p) => Array.from(p.data));
  sum(net.forward(tensor([[1, 2]]))).backward();
  sgd.step();
  assert.notDeepEqual(
    net.parameters().map((p) => Array.from(p.data)),
    before,
  );
  sgd.zeroGrad();
  assert.ok(net.parameters().every((p) => p.grad?.data.every((g) => g === 0)));
});

test("a module written against TensorModule with only forward and parameters trains through fit", () => {
  class Scale extends TensorModule {
    readonly weight = tensor([[0.5]], { requiresGrad: true });
    forward(x: Tensor): Tensor {
      return mul(x, this.weight);
    }
    parameters(): Tensor[] {
      return [this.weight];
    }
  }
  const model = new Scale();
  assert.deepEqual(
    model.namedParameters().map(([n]) => n),
    ["0"],
    "the default names number the parameters",
  );
  assert.equal(model.parameterCount(), 1);
  const x = [[1], [2], [3]];
  const result = fit(model, { x, y: [2, 4, 6] }, { loss: "mse", lr: 0.05, steps: 200 });
  assert.ok(result.loss < 1e-6, `loss ${result.loss}`);
  assert.ok(Math.abs(model.weight.data[0] - 2) < 1e-3);
});

test("moduleStateDict / loadModuleStateDict: by name, checked, on both engines", () => {
  const trained = tensorMLP(2, [4, 1], { seed: 1 });
  const fresh = tensorMLP(2, [4, 1], { seed: 2 });
  const dict = moduleStateDict(trained);
  assert.deepEqual(Object.keys(dict), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  loadModuleStateDict(fresh, dict);
  assert.deepEqual(
    fresh.parameters().map((p) => Array.from(p.data)),
    trained.parameters().map((p) => Array.from(p.data)),
  );
  const mlp = new MLP(2, [2, 1], { seed: 3 });
  const other = new MLP(2, [2, 1], { seed: 5 });
  loadModuleStateDict(other, moduleStateDict(mlp));
  assert.deepEqual(
    other.parameters().map((p) => p.data),
    mlp.parameters().map((p) => p.data),
  );
  const { "0.bias": _, ...missing } = dict;
  assert.throws(
    () => loadModuleStateDict(fresh, { ...missing, extra: dict["0.bias"] }, "restore"),
    /^RangeError: restore: missing tensor "0.bias" \(shape \[4\]\); unexpected tensor "extra"$/,
  );
  assert.throws(
    () => loadModuleStateDict(fresh, { ...dict, "2.bias": { shape: [2], data: new Float64Array(2) } }),
    /tensor "2.bias" has shape \[2\], the model needs \[1\]/,
  );
  assert.throws(
    () =>
      loadModuleStateDict(fresh, { ...dict, "2.bias": { shape: [1], data: Float64Array.of(Number.NaN) } }),
    /tensor "2.bias" has a non-finite number \(NaN\) at index 0/,
  );
});
