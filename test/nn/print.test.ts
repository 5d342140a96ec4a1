// What `console.log` shows: a value as micrograd prints it, a tensor as a short summary, a module
// as its layers and parameter count (not the typed arrays behind them).
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import {
  ActivationLayer,
  Dropout,
  Embedding,
  Layer,
  Linear,
  MLP,
  Neuron,
  Rng,
  randn,
  Sequential,
  sum,
  tensor,
  tensorMLP,
  Value,
} from "../../src/index.ts";
import { MLP as LearnMLP, Value as LearnValue } from "../../src/learn/index.ts";

test("a Value prints as micrograd's Value(data=…, grad=…), on both engines", () => {
  for (const V of [Value, LearnValue as unknown as typeof Value]) {
    const a = new V(2);
    assert.equal(inspect(a), "Value(data=2, grad=0)");
    assert.equal(String(a), "Value(data=2, grad=0)");
    const y = a.mul(a);
    y.backward();
    assert.equal(inspect(a), "Value(data=2, grad=4)");
    assert.equal(inspect([y]), "[ Value(data=4, grad=1) ]");
  }
});

test("a tensor prints its shape, dtype, backend and a few numbers", () => {
  assert.equal(
    inspect(
      tensor([
        [1, 2, 3],
        [4, 5, 6.5],
      ]),
    ),
    "Tensor(shape=[2,3], dtype=float32, backend=js, data=[1, 2, 3, 4, 5, 6.5])",
  );
  const big = randn([28, 28], { rng: new Rng(1), dtype: "float64", requiresGrad: true });
  const text = inspect(big);
  assert.match(
    text,
    /^Tensor\(shape=\[28,28\], dtype=float64, backend=js, requiresGrad, data=\[(-?[\d.e-]+, ){3}…(, -?[\d.e-]+){3}\] \(784 numbers\)\)$/,
  );
  assert.ok(text.length < 160, text);
  assert.match(
    inspect(sum(big)),
    /^Tensor\(shape=\[\], dtype=float64, backend=js, requiresGrad, op=sum, data=\[-?[\d.]+\]\)$/,
  );
});

test("modules print their layers and parameter count", () => {
  const model = new MLP(2, [16, 16, 1]);
  const expected = [
    "MLP(2-16-16-1, 337 parameters)",
    "  Layer(2→16, relu)",
    "  Layer(16→16, relu)",
    "  Layer(16→1, linear)",
  ].join("\n");
  assert.equal(inspect(model), expected);
  assert.equal(String(model), expected);
  assert.equal(inspect(new Layer(3, 2, { activation: "tanh" })), "Layer(3→2, tanh)");
  assert.equal(inspect(new Neuron(3)), "Neuron(3 inputs, relu)");
  assert.equal(String(new LearnMLP(2, [16, 16, 1])), "MLP(2-16-16-1, 337 parameters)");

  assert.equal(
    inspect(tensorMLP(2, [16, 1])),
    [
      "Sequential(65 parameters)",
      "  Linear(2→16, bias, float32)",
      "  ActivationLayer(relu)",
      "  Linear(16→1, bias, float32)",
    ].join("\n"),
  );
  const nested = new Sequential(
    new Embedding(27, 10),
    new Sequential(new Linear(10, 4, { bias: false }), new Dropout(0.1)),
    new ActivationLayer("tanh"),
  );
  assert.equal(
    inspect(nested),
    [
      "Sequential(310 parameters)",
      "  Embedding(27 tokens × 10)",
      "  Sequential(40 parameters)",
      "    Linear(10→4, no bias, float32)",
      "    Dropout(p=0.1)",
      "  ActivationLayer(tanh)",
    ].join("\n"),
  );
});
