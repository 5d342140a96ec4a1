// micrograd's own engine tests (test_sanity_check, test_more_ops), with the values PyTorch gives.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Value } from "../../src/index.ts";

test("micrograd test_sanity_check", () => {
  const x = new Value(-4.0);
  const z = new Value(2).mul(x).add(2).add(x);
  const q = z.relu().add(z.mul(x));
  const h = z.mul(z).relu();
  const y = h.add(q).add(q.mul(x));
  y.backward();
  assert.equal(y.data, -20);
  assert.equal(x.grad, 46);
});

test("micrograd test_more_ops", () => {
  const a = new Value(-4.0);
  const b = new Value(2.0);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(new Value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2.0);
  g = g.add(new Value(10.0).div(f));
  g.backward();
  const tol = 1e-6;
  assert.ok(Math.abs(g.data - 24.70408163265306) < tol);
  assert.ok(Math.abs(a.grad - 138.83381924198252) < tol);
  assert.ok(Math.abs(b.grad - 645.5772594752186) < tol);
});
