// `weightedSum` (a neuron's `b + Σ w·x`) records its nodes without a handle per node. It must be
// indistinguishable from the loop of `add` and `mul` it replaces: the same graph, the same numbers
// and the same gradients, bit for bit, whatever chunk its inputs live in.
import assert from "node:assert/strict";
import { test } from "node:test";
import { weightedSum } from "../../src/engine/value.ts";
import { CompiledGraph, noGrad, topologicalOrder, Value } from "../../src/index.ts";

/** The loop `weightedSum` stands for. */
function loop(bias: Value, w: Value[], x: (Value | number)[]): Value {
  let sum = bias;
  for (let k = 0; k < w.length; k++) sum = sum.add(w[k].mul(x[k]));
  return sum;
}

/** The graph as ops, numbers and inputs by position, so that two graphs can be compared. */
function shape(root: Value): { op: string; data: number; inputs: number[] }[] {
  const nodes = topologicalOrder(root);
  const position = new Map(nodes.map((n, k) => [n.id, k]));
  return nodes.map((n) => ({
    op: n.op,
    data: n.data,
    inputs: n.inputs.map((id) => position.get(id) as number),
  }));
}

/** Weights made before a backward pass (so in an older chunk, as a model's are), and a bias. */
function parameters(seed: number): { bias: Value; w: Value[] } {
  const w = [0.3, -1.2, 0.7, 2.5].map((v) => new Value(v * seed));
  const bias = new Value(-0.4 * seed);
  bias.mul(2).backward(); // seal their chunk
  bias.grad = 0;
  return { bias, w };
}

test("weightedSum records the same graph, numbers and gradients as the add/mul loop", () => {
  for (const seed of [1, -0.5]) {
    const viaLoop = parameters(seed);
    const viaSum = parameters(seed);
    // inputs: numbers, values of this step, and one value from the older chunk (a weight itself)
    const xs = (p: { w: Value[] }): (Value | number)[] => [1.5, new Value(-0.25), p.w[0], new Value(3)];
    const a = loop(viaLoop.bias, viaLoop.w, xs(viaLoop)).tanh();
    const b = weightedSum(viaSum.bias, viaSum.w, xs(viaSum)).tanh();
    assert.deepEqual(shape(b), shape(a));
    a.backward();
    b.backward();
    assert.deepEqual(
      viaSum.w.map((v) => v.grad),
      viaLoop.w.map((v) => v.grad),
    );
    assert.equal(viaSum.bias.grad, viaLoop.bias.grad);
    // a compiled replay of the recorded graph gives the same numbers too
    const compiled = new CompiledGraph(b, viaSum.w);
    assert.equal(compiled.forward(), b.data);
  }
});

test("weightedSum works with inputs in the open chunk and with no terms", () => {
  const w = [new Value(2), new Value(-3)];
  const bias = new Value(0.5);
  const x = [new Value(4), new Value(1)];
  const sum = weightedSum(bias, w, x);
  assert.equal(sum.data, 0.5 + 8 - 3);
  sum.backward();
  assert.deepEqual(
    w.map((v) => v.grad),
    [4, 1],
  );
  assert.deepEqual(
    x.map((v) => v.grad),
    [2, -3],
  );
  assert.equal(weightedSum(bias, [], []), bias, "no terms: the bias itself, as the loop gives");
});

test("weightedSum under noGrad gives the same number as a plain leaf", () => {
  const { bias, w } = parameters(1);
  const x = [0.1, 0.2, 0.3, 0.4];
  const plain = noGrad(() => weightedSum(bias, w, x));
  assert.equal(plain.op, "leaf");
  assert.equal(plain.data, loop(bias, w, x).data);
});

test("weightedSum rejects an input that is not a number or a Value", () => {
  const { bias, w } = parameters(1);
  assert.throws(() => weightedSum(bias, w, [1, 2, "3" as unknown as number, 4]), /data must be a number/);
});
