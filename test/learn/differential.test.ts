// The learner's engine (micrograd-ts/learn) is the oracle of the fast one: random expressions and
// MLP training steps, built on both, give the same numbers and the same gradients. Gradients may
// differ in the last bits only (the engines sum a value's gradient over its uses in different
// orders), so they are compared to 1e-12 relative.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MLP as FastMLP, Value as FastValue } from "../../src/index.ts";
import { MLP as LearnMLP, Value as LearnValue, topologicalOrder } from "../../src/learn/index.ts";
import { ENGINES, type ScalarEngine } from "../helpers/engines.ts";

type Node = FastValue; // both engines' values have the same methods (see helpers/engines.ts)

/** One step of a random program: an op on earlier nodes (by index from the end) and a constant. */
type Step = [op: number, i: number, j: number, k: number];
const UNARY = ["exp", "log", "tanh", "relu", "sigmoid", "neg"] as const;
const BINARY = ["add", "mul", "sub", "div", "max"] as const;

function apply(nodes: Node[], [op, i, j, k]: Step): Node {
  const a = nodes[nodes.length - 1 - (i % nodes.length)];
  const b = nodes[nodes.length - 1 - (j % nodes.length)];
  const kinds = UNARY.length + BINARY.length + 3;
  const n = op % kinds;
  if (n < UNARY.length) return a[UNARY[n]]();
  if (n < UNARY.length + BINARY.length) return a[BINARY[n - UNARY.length]](b);
  if (n === kinds - 3) return a.pow([2, 3, -1, 0.5, 0][k % 5]);
  if (n === kinds - 2) return a.mul(k - 2); // a number operand
  return a.add(k / 4);
}

/** Leaves, then the program on them; returns the output and the leaves' gradients. */
function run(engine: ScalarEngine, leaves: readonly number[], program: readonly Step[], twice: boolean) {
  const xs = leaves.map((x) => new engine.Value(x));
  const build = (): Node => {
    const nodes: Node[] = [...xs];
    for (const step of program) nodes.push(apply(nodes, step));
    return nodes[nodes.length - 1];
  };
  // Twice: a first graph's backward pass, then a second graph over the same leaves (on the fast
  // engine the leaves then sit in an older chunk than the graph: gradients pass through imports).
  if (twice) build().backward();
  for (const x of xs) x.grad = 0;
  const out = build();
  out.backward();
  return { data: out.data, grads: xs.map((x) => x.grad) };
}

function same(fast: number, learn: number, what: string): void {
  if (Number.isNaN(fast) || Number.isNaN(learn) || !Number.isFinite(fast) || fast === learn) {
    assert.ok(Object.is(fast, learn) || fast === learn, `${what}: fast ${fast}, learn ${learn}`);
    return;
  }
  const scale = Math.max(Math.abs(fast), Math.abs(learn));
  assert.ok(Math.abs(fast - learn) <= 1e-12 * scale, `${what}: fast ${fast}, learn ${learn}`);
}

test("random expressions: the same data and gradients on both engines", () => {
  const step = fc.tuple(fc.nat(40), fc.nat(6), fc.nat(6), fc.nat(8));
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }),
      fc.array(step, { minLength: 1, maxLength: 30 }),
      fc.boolean(),
      (leaves, program, twice) => {
        const [fast, learn] = ENGINES.map((e) => run(e, leaves, program, twice));
        same(fast.data, learn.data, "output");
        fast.grads.forEach((g, i) => same(g, learn.grads[i], `gradient of leaf ${i}`));
      },
    ),
    { numRuns: 500, seed: 13, includeErrorInReport: true },
  );
});

test("the same MLP: the same initial weights, and SGD steps give the same losses and weights", () => {
  const x = [
    [0.5, -1],
    [-0.3, 0.8],
    [1.2, 0.1],
    [-1, -0.6],
    [0.1, 0.4],
  ];
  const y = [1, -1, 1, -1, 1];
  for (const [sizes, activation] of [
    [[16, 16, 1], "relu"],
    [[8, 3], "tanh"],
  ] as const) {
    const fast = new FastMLP(2, sizes, { activation, seed: 7 });
    const learn = new LearnMLP(2, sizes, { activation, seed: 7 });
    const fp = fast.parameters();
    const lp = learn.parameters();
    assert.deepEqual(
      fp.map((p) => p.data),
      lp.map((p) => p.data),
      "initial weights",
    );
    // micrograd's demo loop: hinge loss plus L2, SGD; written once, run on both.
    const step = (model: { forward(x: number[]): Node[] }, params: Node[], V: ScalarEngine["Value"]) => {
      const scores = x.map((row) => model.forward(row)[0]);
      let loss: Node = new V(0);
      scores.forEach((s, i) => {
        loss = loss.add(s.mul(-y[i]).add(1).relu());
      });
      let reg: Node = new V(0);
      for (const p of params) reg = reg.add(p.mul(p));
      const total = loss.div(x.length).add(reg.mul(1e-4));
      for (const p of params) p.grad = 0;
      total.backward();
      for (const p of params) p.data -= 0.1 * p.grad;
      return total.data;
    };
    for (let k = 0; k < 10; k++) {
      const lf = step(fast, fp, FastValue);
      const ll = step(
        learn as unknown as { forward(x: number[]): Node[] },
        lp as unknown as Node[],
        ENGINES[1].Value,
      );
      same(lf, ll, `loss at step ${k}`);
      fp.forEach((p, i) => same(p.data, lp[i].data, `parameter ${i} after step ${k}`));
    }
  }
});

test("the learner's topological order puts every value after its inputs, without recursion", () => {
  let v = new LearnValue(1);
  for (let i = 0; i < 100_000; i++) v = v.mul(1.0000001).add(0);
  v.backward(); // a recursive walk would overflow the stack here
  const order = topologicalOrder(v);
  assert.equal(order.length, 400_001); // per step: a mul, an add and their two constants
  const at = new Map(order.map((n, i) => [n, i]));
  for (const n of order)
    for (const input of n.inputs) assert.ok((at.get(input) as number) < (at.get(n) as number));
});
