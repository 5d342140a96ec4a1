import assert from "node:assert/strict";
import { test } from "node:test";
import { CompiledGraph, fit, l2, MLP, moons, spiral, Value } from "../../src/index.ts";

test("a compiled graph replays the same numbers as the Value graph, fused chains included", () => {
  const model = new MLP(3, [4, 4, 2], { activation: "tanh", seed: 7 });
  const params = model.parameters();
  const build = (inputs: number[]) => {
    const x = inputs.map((v) => new Value(v));
    const out = model.forward(x);
    const loss = out[0].mul(out[1]).add(out[0].exp()).add(l2(params, 0.01));
    return { x, out, loss };
  };
  const recorded = build([0, 0, 0]);
  const graph = new CompiledGraph(recorded.loss, [...params, ...recorded.x]);
  for (const inputs of [
    [0.5, -1.25, 2],
    [3, 0.1, -0.7],
  ]) {
    const { x, out, loss } = build(inputs);
    model.zeroGrad();
    loss.backward();
    recorded.x.forEach((v, i) => {
      graph.data[graph.slotOf(v)] = inputs[i];
    });
    assert.equal(graph.forward(), loss.data);
    graph.backward();
    for (const p of params) assert.equal(graph.grad[graph.slotOf(p)], p.grad);
    recorded.x.forEach((v, i) => assert.equal(graph.grad[graph.slotOf(v)], x[i].grad));
    recorded.out.forEach((v, i) => assert.equal(graph.data[graph.slotOf(v)], out[i].data));
  }
});

test("fit gives bit-identical histories on the compiled and the Value engines", () => {
  const cases = [
    { data: moons({ n: 40, seed: 3 }), sizes: [8, 8, 1], options: { loss: "hinge", l2: 1e-4, lr: 0.5 } },
    {
      data: moons({ n: 40, seed: 3 }),
      sizes: [8, 1],
      options: { loss: "bce", batch: 8, optimizer: "adam", lr: 0.05 },
    },
    {
      data: moons({ n: 40, seed: 3 }),
      sizes: [6, 1],
      options: { loss: "mse", batch: "stochastic", lr: 0.05, momentum: 0.9 },
    },
    { data: spiral({ n: 30, seed: 3 }), sizes: [8, 3], options: { loss: "softmax", batch: 7, lr: 0.1 } },
  ] as const;
  for (const { data, sizes, options } of cases) {
    const run = (engine: "compiled" | "value") =>
      fit(new MLP(2, sizes, { seed: 11 }), data, { ...options, steps: 25, engine }).history.map((h) => [
        h.loss,
        h.accuracy,
      ]);
    assert.deepEqual(run("compiled"), run("value"), `${options.loss}`);
  }
});
