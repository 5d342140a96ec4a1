// Neuron, Layer, MLP: shapes, parameter order, activations, seeded inits with roughly the right
// statistics, and every error with its message.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  ACTIVATIONS,
  INITS,
  initialWeight,
  Layer,
  MLP,
  Neuron,
  nodeId,
  Rng,
  Value,
} from "../../src/index.ts";
import { assertClose } from "../helpers/close.ts";

test("MLP(2, [16, 16, 1]) is micrograd's network: 337 parameters, relu hidden, linear output", () => {
  const model = new MLP(2, [16, 16, 1]);
  assert.equal(model.parameters().length, 337); // 16·(2+1) + 16·(16+1) + 1·(16+1)
  assert.deepEqual(model.activations, ["relu", "relu", "linear"]);
  assert.equal(model.describe(), "MLP 2-16-16-1 (relu, relu, linear)");
  assert.deepEqual(
    model.layers.map((l) => l.neurons.length),
    [16, 16, 1],
  );
  assert.equal(model.init, "uniform");
  assert.equal(new MLP(3, [4, 5, 2]).parameters().length, 4 * 4 + 5 * 5 + 2 * 6);
});

test("parameters come layer by layer, neuron by neuron, weights then bias; biases start at 0", () => {
  const model = new MLP(2, [3, 2], { seed: 4 });
  const expected = model.layers.flatMap((l) => l.neurons.flatMap((n) => [...n.w, n.b]));
  const params = model.parameters();
  assert.equal(params.length, expected.length);
  params.forEach((p, i) => {
    assert.equal(p, expected[i]);
  });
  for (const layer of model.layers) for (const n of layer.neurons) assert.equal(n.b.data, 0);
  assert.deepEqual(model.layers[0].parameters(), params.slice(0, 9));
  assert.deepEqual(model.layers[0].neurons[1].parameters(), params.slice(3, 6));
});

test("forward computes act(w·x + b) per layer, takes numbers or Values; predict gives numbers", () => {
  for (const act of ACTIVATIONS) {
    const model = new MLP(2, [2, 1], { activation: act, outputActivation: "tanh", seed: 7 });
    const [n0, n1] = model.layers[0].neurons;
    const f = {
      relu: (z: number) => Math.max(z, 0),
      tanh: Math.tanh,
      sigmoid: (z: number) => 1 / (1 + Math.exp(-z)),
      linear: (z: number) => z,
    }[act];
    n0.b.data = 0.3;
    n1.b.data = -0.2;
    const x = [0.7, -1.1];
    const h = [n0, n1].map((n) => f(n.b.data + n.w[0].data * x[0] + n.w[1].data * x[1]));
    const out = model.layers[1].neurons[0];
    const expected = Math.tanh(out.b.data + out.w[0].data * h[0] + out.w[1].data * h[1]);
    assertClose(model.forward(x)[0].data, expected, 1e-14, `${act} forward`);
    assertClose(model.forward(x.map((v) => new Value(v)))[0].data, expected, 1e-14, `${act} on Values`);
    assert.deepEqual(model.predict(x), [model.forward(x)[0].data]);
  }
});

test("predict gives exactly forward's numbers, for every activation (property)", () => {
  const x = fc.double({ min: -5, max: 5, noNaN: true });
  fc.assert(
    fc.property(
      fc.tuple(x, x, x),
      fc.integer({ min: 0, max: 1000 }),
      fc.constantFrom(...ACTIVATIONS),
      (input, seed, act) => {
        const model = new MLP(3, [5, 4, 2], { activation: act, outputActivation: act, init: "he", seed });
        model.layers[0].neurons[0].b.data = 0.25; // biases start at 0: give one a value
        assert.deepEqual(
          model.predict(input),
          model.forward(input).map((v) => v.data),
        );
      },
    ),
    { numRuns: 100, seed: 5 },
  );
});

test("predict records no graph: evaluation loops do not fill the tape", () => {
  const model = new MLP(2, [16, 16, 1]);
  const before = nodeId(new Value(0));
  for (let i = 0; i < 1000; i++) model.predict([Math.sin(i), Math.cos(i)]);
  assert.equal(nodeId(new Value(0)), before + 1);
  model.forward([0, 0]);
  assert.ok(nodeId(new Value(0)) > before + 500, "forward does record");
});

test("activations: one name for hidden layers plus outputActivation, or one per layer", () => {
  assert.deepEqual(new MLP(2, [3, 3, 1], { activation: "tanh" }).activations, ["tanh", "tanh", "linear"]);
  assert.deepEqual(new MLP(2, [3, 1], { outputActivation: "sigmoid" }).activations, ["relu", "sigmoid"]);
  assert.deepEqual(new MLP(2, [3, 3, 2], { activation: ["sigmoid", "relu", "tanh"] }).activations, [
    "sigmoid",
    "relu",
    "tanh",
  ]);
  const model = new MLP(2, [3, 1], { activation: ["tanh", "tanh"] });
  assert.equal(model.layers[1].neurons[0].activation, "tanh");
  assert.equal(model.forward([1, 2])[0].op, "tanh");
  assert.equal(new MLP(2, [3, 1]).forward([1, 2])[0].op, "add", "linear output applies nothing");
});

test("weights are seeded: same seed, same weights; another seed, other weights; rng works like seed", () => {
  const weights = (m: MLP) => m.parameters().map((p) => p.data);
  assert.deepEqual(weights(new MLP(2, [4, 1], { seed: 11 })), weights(new MLP(2, [4, 1], { seed: 11 })));
  assert.notDeepEqual(weights(new MLP(2, [4, 1], { seed: 11 })), weights(new MLP(2, [4, 1], { seed: 12 })));
  assert.deepEqual(weights(new MLP(2, [4, 1])), weights(new MLP(2, [4, 1], { seed: 1337 })));
  assert.deepEqual(
    weights(new MLP(2, [4, 1], { rng: new Rng(11) })),
    weights(new MLP(2, [4, 1], { seed: 11 })),
  );
  for (const init of INITS) {
    assert.deepEqual(
      weights(new MLP(3, [5, 2], { init, seed: 2 })),
      weights(new MLP(3, [5, 2], { init, seed: 2 })),
    );
  }
  // a shared rng continues where it left off: two models from one rng differ
  const rng = new Rng(5);
  assert.notDeepEqual(weights(new MLP(2, [3], { rng })), weights(new MLP(2, [3], { rng })));
  // layers and neurons alone are seeded too
  const ws = (n: Neuron) => n.w.map((w) => w.data);
  assert.deepEqual(ws(new Neuron(4)), ws(new Neuron(4)));
  assert.deepEqual(
    new Layer(3, 2).parameters().map((p) => p.data),
    new Layer(3, 2).parameters().map((p) => p.data),
  );
});

/** Mean, variance and largest magnitude of the weights (not biases) of a wide layer. */
function weightStats(init: "uniform" | "xavier" | "he", fanIn: number, fanOut: number) {
  const layer = new MLP(fanIn, [fanOut], { init, seed: 99 }).layers[0];
  const w = layer.neurons.flatMap((n) => n.w.map((v) => v.data));
  const mean = w.reduce((s, x) => s + x, 0) / w.length;
  const variance = w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length;
  const within1Sd = w.filter((x) => Math.abs(x - mean) < Math.sqrt(variance)).length / w.length;
  return { n: w.length, mean, variance, maxAbs: Math.max(...w.map(Math.abs)), within1Sd };
}

test("init statistics: uniform(-1, 1), Xavier uniform(±√(6/(in+out))), He normal(0, √(2/in))", () => {
  const u = weightStats("uniform", 200, 150); // 30,000 weights
  assert.ok(Math.abs(u.mean) < 4 * Math.sqrt(1 / 3 / u.n), `uniform mean ${u.mean}`);
  assertClose(u.variance, 1 / 3, 0.02, "uniform variance");
  assert.ok(u.maxAbs <= 1 && u.maxAbs > 0.999);

  const x = weightStats("xavier", 200, 150);
  const limit = Math.sqrt(6 / 350);
  assert.ok(Math.abs(x.mean) < 4 * Math.sqrt(limit ** 2 / 3 / x.n), `xavier mean ${x.mean}`);
  assertClose(x.variance / (2 / 350), 1, 0.03, "xavier variance / (2/(in+out))");
  assert.ok(x.maxAbs <= limit && x.maxAbs > 0.999 * limit);
  assertClose(x.within1Sd, 1 / Math.sqrt(3), 0.02, "xavier is uniform: P(|w| < sd) = 1/√3");

  const h = weightStats("he", 200, 150);
  assert.ok(Math.abs(h.mean) < 4 * Math.sqrt(2 / 200 / h.n), `he mean ${h.mean}`);
  assertClose(h.variance / (2 / 200), 1, 0.03, "he variance / (2/in)");
  assertClose(h.within1Sd, 0.6827, 0.02, "he is normal: P(|w| < sd) ≈ 0.683");
  assert.ok(h.maxAbs > 3 * Math.sqrt(2 / 200), "a normal has tails");
});

test("initialWeight draws from the given rng per init", () => {
  const draws = (init: "uniform" | "xavier" | "he") => {
    const rng = new Rng(3);
    return Array.from({ length: 5 }, () => initialWeight(init, 4, 6, rng));
  };
  const r = new Rng(3);
  assert.deepEqual(
    draws("uniform"),
    Array.from({ length: 5 }, () => r.uniform(-1, 1)),
  );
  assert.notDeepEqual(draws("xavier"), draws("he"));
});

test("zeroGrad clears every parameter's gradient", () => {
  const model = new MLP(2, [3, 1], { activation: "tanh" });
  model.forward([1, -1])[0].backward();
  assert.ok(model.parameters().some((p) => p.grad !== 0));
  model.zeroGrad();
  assert.ok(model.parameters().every((p) => p.grad === 0));
  const layer = model.layers[0];
  model.forward([1, -1])[0].backward();
  layer.zeroGrad();
  assert.ok(layer.parameters().every((p) => p.grad === 0));
  assert.ok(model.layers[1].parameters().some((p) => p.grad !== 0));
});

test("wrong input lengths and bad constructor arguments are clear errors", () => {
  const model = new MLP(2, [3, 1]);
  const fails = (f: () => unknown, message: string) => assert.throws(f, { name: "RangeError", message });
  fails(() => model.forward([1, 2, 3]), "MLP: expected 2 inputs, got 3");
  fails(() => model.forward([]), "MLP: expected 2 inputs, got 0");
  fails(() => model.predict([1]), "MLP: expected 2 inputs, got 1");
  fails(() => new Neuron(3).forward([1, 2]), "Neuron: expected 3 inputs, got 2");
  fails(() => new Neuron(3).predict([1, 2, 3, 4]), "Neuron: expected 3 inputs, got 4");
  fails(() => new Layer(2, 2).forward([1]), "Neuron: expected 2 inputs, got 1");
  fails(() => new MLP(0, [1]), "MLP: input size must be a positive integer, got 0");
  fails(() => new MLP(1.5, [1]), "MLP: input size must be a positive integer, got 1.5");
  fails(() => new MLP(2, []), "MLP: give at least one layer size");
  fails(() => new MLP(2, [4, 0]), "MLP: size of layer 2 must be a positive integer, got 0");
  fails(() => new MLP(2, [Number.NaN]), "MLP: size of layer 1 must be a positive integer, got NaN");
  fails(() => new MLP(2, [4, 1], { activation: ["relu"] }), "MLP: 1 activations given for 2 layers");
  fails(
    () => new MLP(2, [4, 1], { activation: "gelu" as never }),
    'MLP: unknown activation "gelu" (use relu, tanh, sigmoid, linear)',
  );
  fails(
    () => new MLP(2, [4, 1], { outputActivation: "softmax" as never }),
    'MLP: unknown activation "softmax" (use relu, tanh, sigmoid, linear)',
  );
  fails(
    () => new MLP(2, [4, 1], { init: "zeros" as never }),
    'MLP: unknown init "zeros" (use uniform, xavier, he)',
  );
});
