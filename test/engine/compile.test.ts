// CompiledGraph: a graph recorded once and replayed over typed arrays must give bit-identical
// values and gradients to building the same graph out of Values.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CompiledGraph, logSumExp, Value } from "../../src/index.ts";

/** An expression using every primitive, some values on several paths. */
function expression([a, b, c, d]: Value[]): Value {
  const s = a.mul(b).add(c.pow(2)).tanh();
  const t = logSumExp([a, b.mul(2), s]);
  const u = c.sigmoid().mul(d.relu().add(1).log()).max(s.mul(a));
  return t
    .add(u)
    .sub(d.exp().div(b.pow(2).add(1)))
    .mul(s);
}

test("replaying a recorded graph with new leaf values gives exactly what a fresh Value graph gives", () => {
  const leaves = [0.1, 0.2, 0.3, 0.4].map((x) => new Value(x));
  const graph = new CompiledGraph(expression(leaves), leaves);
  const real = fc.double({ min: -3, max: 3, noNaN: true });
  fc.assert(
    fc.property(fc.tuple(real, real, real, real), (xs) => {
      xs.forEach((x, i) => {
        graph.data[graph.slotOf(leaves[i])] = x;
      });
      const fresh = xs.map((x) => new Value(x));
      const out = expression(fresh);
      out.backward();
      assert.equal(graph.forward(), out.data);
      graph.backward();
      assert.deepEqual(
        leaves.map((l) => graph.grad[graph.slotOf(l)]),
        fresh.map((v) => v.grad),
      );
    }),
    { numRuns: 200, seed: 42 },
  );
});

test("the given leaves take slots 0, 1, 2, … in order; duplicates and unused leaves are fine", () => {
  const [a, b, c] = [1, 2, 3].map((x) => new Value(x));
  const unused = new Value(9);
  const y = b.mul(c).add(a);
  const graph = new CompiledGraph(y, [c, a, c, unused]);
  assert.deepEqual(
    [c, a, unused].map((v) => graph.slotOf(v)),
    [0, 1, 2],
  );
  assert.equal(graph.size, 3 + 1 + 2); // given leaves, then b, then mul and add
  assert.equal(graph.forward(), 7);
  graph.backward();
  assert.deepEqual([graph.grad[graph.slotOf(a)], graph.grad[graph.slotOf(b)], graph.grad[0]], [1, 3, 2]);
  assert.equal(graph.grad[2], 0, "an unused leaf has no gradient");
});

test("backward is not accumulated: each call starts from zero", () => {
  const [a, b] = [1.5, -2].map((x) => new Value(x));
  const graph = new CompiledGraph(a.mul(b).tanh(), [a, b]);
  graph.forward();
  graph.backward();
  const once = Array.from(graph.grad);
  graph.backward();
  assert.deepEqual(Array.from(graph.grad), once);
});

test("a graph whose root is a leaf replays that leaf, whatever other leaves are given", () => {
  const a = new Value(2);
  const b = new Value(5);
  const graph = new CompiledGraph(a, [a, b]);
  assert.equal(graph.forward(), 2);
  graph.backward();
  assert.deepEqual(Array.from(graph.grad), [1, 0]);
});

test("CompiledGraph errors name the problem", () => {
  const a = new Value(1);
  const y = a.mul(2);
  assert.throws(() => new CompiledGraph(y, [y]), {
    name: "RangeError",
    message: "CompiledGraph: the given leaves must be leaf values",
  });
  const graph = new CompiledGraph(y, [a]);
  assert.throws(() => graph.slotOf(new Value(3)), {
    name: "RangeError",
    message: "CompiledGraph: that value is not part of the recorded graph",
  });
});
