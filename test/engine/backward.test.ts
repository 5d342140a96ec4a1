// What backward() means: deep graphs without recursion, gradients summed over every path, leaves
// accumulating across calls while computed values are recomputed from zero, values reused in
// new graphs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MLP, topologicalOrder, Value } from "../../src/index.ts";
import { assertClose } from "../helpers/close.ts";
import { assertGradients } from "../helpers/gradcheck.ts";

const N = 300_000;

test("a chain of 300,000 adds runs backward without a stack overflow", () => {
  const x = new Value(0.5);
  let v = x;
  for (let i = 0; i < N; i++) v = v.add(1);
  v.backward();
  assert.equal(v.data, 0.5 + N);
  assert.equal(x.grad, 1);
});

test("a chain of 300,000 nodes with a shared input sums every path (and topologicalOrder walks it)", () => {
  // v_{k+1} = 0.5 v_k + x: dv_N/dx = Σ 0.5^k = 2 (1 - 0.5^N) → 2
  const x = new Value(1);
  let v = x;
  for (let i = 0; i < N / 3; i++) v = v.mul(0.5).add(x);
  v.backward();
  assertClose(x.grad, 2, 1e-12, "x.grad");
  assertClose(v.data, 2, 1e-12, "v.data");
  const order = topologicalOrder(v);
  assert.equal(order.length, 1 + N); // x, and per step: the leaf 0.5, the mul, the add
  assert.equal(order[order.length - 1].op, "add");
  for (let i = 1; i < order.length; i++) assert.ok(order[i].id > order[i - 1].id);
});

test("a deep tanh chain matches finite differences", () => {
  const f = (x: Value): Value => {
    let v = x;
    for (let i = 0; i < 10_000; i++) v = v.mul(1.0001).tanh().add(0.0001);
    return v;
  };
  assertGradients(f, [0.3]);
});

test("leaves accumulate across backward calls; computed values are recomputed from zero", () => {
  const a = new Value(3);
  const b = new Value(-2);
  const z = a.mul(b); // -6
  const y = z.mul(z).add(z); // z² + z
  y.backward();
  assert.equal(y.grad, 1);
  assert.equal(z.grad, 2 * -6 + 1);
  assert.equal(a.grad, (2 * -6 + 1) * -2);
  assert.equal(b.grad, (2 * -6 + 1) * 3);
  y.backward();
  assert.equal(y.grad, 1, "the root's gradient is 1 again, not 2");
  assert.equal(z.grad, -11, "an interior gradient is recomputed, never double-counted");
  assert.equal(a.grad, 2 * 22, "leaves accumulate");
  assert.equal(b.grad, 2 * -33);
  a.grad = 0;
  b.grad = 0;
  y.backward();
  assert.equal(a.grad, 22);
  assert.equal(b.grad, -33);
});

test("two roots sharing an interior value: the value's gradient is the last root's, leaves get both", () => {
  const a = new Value(2);
  const z = a.mul(a); // dz/da = 4
  const y1 = z.mul(3);
  const y2 = z.mul(5);
  y1.backward();
  assert.equal(z.grad, 3);
  assert.equal(a.grad, 12);
  y2.backward();
  assert.equal(z.grad, 5);
  assert.equal(a.grad, 12 + 20);
  // a backward from the interior value itself
  z.backward();
  assert.equal(z.grad, 1);
  assert.equal(a.grad, 32 + 4);
});

test("backward from a leaf adds 1 to its gradient, like PyTorch", () => {
  const a = new Value(7);
  a.backward();
  assert.equal(a.grad, 1);
  a.backward();
  assert.equal(a.grad, 2);
});

test("a value reused in a new graph after an old backward gets correct gradients", () => {
  const a = new Value(1.5);
  const b = new Value(-0.5);
  const c = a.mul(b).tanh(); // interior value of the old graph
  const old = c.add(a);
  old.backward();
  a.grad = 0;
  b.grad = 0;
  // a new graph built on top of the old interior value c, and on the leaves
  const y = c.mul(c).add(b.exp()).mul(a);
  y.backward();
  const t = Math.tanh(1.5 * -0.5);
  const dt = 1 - t * t;
  assertClose(c.grad, 2 * t * 1.5, 1e-15, "c.grad");
  assertClose(a.grad, t * t + Math.exp(-0.5) + 1.5 * 2 * t * dt * -0.5, 1e-15, "a.grad");
  assertClose(b.grad, 1.5 * (Math.exp(-0.5) + 2 * t * dt * 1.5), 1e-15, "b.grad");
  // and the old graph can still run backward, with its own gradients
  a.grad = 0;
  b.grad = 0;
  old.backward();
  assertClose(c.grad, 1, 0, "c.grad of the old graph");
  assertClose(a.grad, dt * -0.5 + 1, 1e-15, "a.grad of the old graph");
  assertClose(b.grad, dt * 1.5, 1e-15, "b.grad of the old graph");
});

test("an MLP's parameters are correct leaves in every step's new graph (zeroGrad between steps)", () => {
  const model = new MLP(2, [4, 1], { activation: "tanh", seed: 3 });
  const params = model.parameters();
  for (let step = 0; step < 5; step++) {
    model.zeroGrad();
    const x = [0.3 * step - 0.5, 0.25];
    const [y] = model.forward(x);
    y.backward();
    const analytic = params.map((p) => p.grad);
    // finite differences of the same network, moving one parameter at a time
    const h = 1e-6;
    params.forEach((p, i) => {
      const keep = p.data;
      p.data = keep + h;
      const plus = model.predict(x)[0];
      p.data = keep - h;
      const minus = model.predict(x)[0];
      p.data = keep;
      assertClose(analytic[i], (plus - minus) / (2 * h), 1e-6, `step ${step} parameter ${i}`);
    });
    for (const p of params) p.data -= 0.1 * p.grad;
  }
});

test("label, op, toString and the number/Value operand forms", () => {
  const a = new Value(2, "a");
  assert.equal(a.label, "a");
  assert.equal(a.op, "leaf");
  const b = a.mul(3);
  b.label = "b";
  assert.equal(b.label, "b");
  assert.equal(b.op, "mul");
  assert.equal(new Value(1).label, "");
  assert.equal(a.sub(1).op, "add");
  assert.equal(a.div(4).op, "mul");
  assert.equal(a.div(new Value(4)).op, "mul");
  assert.equal(a.neg().op, "mul");
  assert.equal(a.pow(2).op, "pow");
  for (const op of ["exp", "log", "tanh", "relu", "sigmoid"] as const) assert.equal(a[op]().op, op);
  assert.equal(a.max(1).op, "max");
  assert.equal(a.toString(), "Value(data=2, grad=0)");
  assert.equal(a.add(2).data, a.add(new Value(2)).data);
  assert.equal(a.div(8).data, 0.25);
});

test("Value and pow reject non-numbers with a clear error", () => {
  assert.throws(() => new Value("3" as unknown as number), {
    name: "TypeError",
    message: "Value: data must be a number, got string",
  });
  assert.throws(() => new Value(2).pow(new Value(2) as unknown as number), {
    name: "TypeError",
    message: "pow: the exponent must be a number",
  });
});

test("NaN passes through every op, as in PyTorch: relu and max do not hide a diverged value", () => {
  const nan = () => new Value(Number.NaN);
  const results = [
    nan().add(1),
    nan().mul(0),
    nan().pow(2),
    nan().exp(),
    nan().log(),
    nan().tanh(),
    nan().relu(),
    nan().sigmoid(),
    nan().max(0),
    new Value(0).max(nan()),
    nan().max(nan()),
  ];
  for (const r of results) assert.ok(Number.isNaN(r.data), `${r.op} of NaN`);
  const model = new MLP(2, [4, 1], { seed: 1 });
  model.layers[0].neurons[0].w[0].data = Number.NaN;
  assert.ok(Number.isNaN(model.predict([1, 1])[0]), "a NaN weight behind a relu shows in the output");
  assert.ok(Number.isNaN(model.forward([1, 1])[0].data));
  assert.ok(Number.isNaN(model.forward([-1, -1])[0].data), "whatever the sign of the other inputs");
});
