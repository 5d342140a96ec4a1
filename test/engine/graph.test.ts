// topologicalOrder and nodeId: the graph as plain data, for drawing and compiling.
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeId, topologicalOrder, Value } from "../../src/index.ts";

test("topologicalOrder lists every node once, inputs first, with op, data, grad, label, exponent", () => {
  const a = new Value(2, "a");
  const b = new Value(-3, "b");
  const c = a.mul(b);
  c.label = "c";
  const d = c.add(a).pow(2); // a is used twice
  d.backward();
  const order = topologicalOrder(d);
  const ids = order.map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length, "each node once");
  assert.deepEqual(
    order.map((n) => n.op),
    ["leaf", "leaf", "mul", "add", "pow"],
  );
  const position = new Map(ids.map((id, i) => [id, i]));
  for (const [i, n] of order.entries())
    for (const input of n.inputs) assert.ok((position.get(input) as number) < i);
  const byId = new Map(order.map((n) => [n.id, n]));
  const nodeOf = (v: Value) => byId.get(nodeId(v));
  assert.deepEqual(nodeOf(c), {
    id: nodeId(c),
    op: "mul",
    data: -6,
    grad: 2 * -4,
    label: "c",
    inputs: [nodeId(a), nodeId(b)],
  });
  assert.equal(nodeOf(a)?.label, "a");
  assert.equal(nodeOf(a)?.grad, 2 * -4 * -3 + 2 * -4);
  assert.deepEqual(nodeOf(a)?.inputs, []);
  assert.equal(order[4].exponent, 2);
  assert.equal(order[4].id, nodeId(d));
  assert.equal(order[2].exponent, undefined);
});

test("a leaf's graph is the leaf; node ids are unique and grow in creation order", () => {
  const a = new Value(1);
  assert.deepEqual(topologicalOrder(a), [
    { id: nodeId(a), op: "leaf", data: 1, grad: 0, label: "", inputs: [] },
  ]);
  const b = a.exp();
  assert.ok(nodeId(b) > nodeId(a));
  b.backward();
  const c = new Value(1); // a fresh chunk after the backward pass: ids keep growing
  assert.ok(nodeId(c) > nodeId(b));
});
