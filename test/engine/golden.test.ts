// The scalar engine against PyTorch (test/golden/engine.json, from scripts/golden.py):
// micrograd's own two engine tests and every primitive at several points, to 1e-9, on both
// engines (the fast one and the learner's, micrograd-ts/learn).
import { test } from "node:test";
import type { Value } from "../../src/index.ts";
import { assertAllClose, assertClose } from "../helpers/close.ts";
import { ENGINES } from "../helpers/engines.ts";
import { golden } from "../helpers/golden.ts";

interface OpCase {
  op: string;
  args: number[];
  exponent?: number;
  out: number;
  grads: number[];
}
interface EngineFixture {
  sanityCheck: { y: number; xGrad: number };
  moreOps: { g: number; aGrad: number; bGrad: number };
  ops: OpCase[];
}

const fixture = golden<EngineFixture>("engine.json");

for (const { name, Value } of ENGINES) {
  test(`micrograd test_sanity_check matches PyTorch (${name} engine)`, () => {
    const x = new Value(-4.0);
    const z = new Value(2).mul(x).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    assertClose(y.data, fixture.sanityCheck.y, 1e-9, "y");
    assertClose(x.grad, fixture.sanityCheck.xGrad, 1e-9, "x.grad");
  });

  test(`micrograd test_more_ops matches PyTorch (${name} engine)`, () => {
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
    assertClose(g.data, fixture.moreOps.g, 1e-9, "g");
    assertClose(a.grad, fixture.moreOps.aGrad, 1e-9, "a.grad");
    assertClose(b.grad, fixture.moreOps.bGrad, 1e-9, "b.grad");
  });

  const APPLY: Record<string, (xs: Value[], exponent: number) => Value> = {
    add: ([a, b]) => a.add(b),
    sub: ([a, b]) => a.sub(b),
    mul: ([a, b]) => a.mul(b),
    div: ([a, b]) => a.div(b),
    max: ([a, b]) => a.max(b),
    pow: ([a], k) => a.pow(k),
    neg: ([a]) => a.neg(),
    exp: ([a]) => a.exp(),
    log: ([a]) => a.log(),
    tanh: ([a]) => a.tanh(),
    relu: ([a]) => a.relu(),
    sigmoid: ([a]) => a.sigmoid(),
  };

  test(`every primitive matches PyTorch at several points, ties, kinks and extremes included (${name} engine)`, () => {
    const seen = new Set<string>();
    for (const c of fixture.ops) {
      seen.add(c.op);
      const where = `${c.op}(${c.args.join(", ")}${c.exponent === undefined ? "" : `; ${c.exponent}`})`;
      const leaves = c.args.map((x) => new Value(x));
      const out = APPLY[c.op](leaves, c.exponent ?? 0);
      out.backward();
      assertClose(out.data, c.out, 1e-9, `${where} forward`);
      assertAllClose(
        leaves.map((v) => v.grad),
        c.grads,
        1e-9,
        `${where} gradient`,
      );
    }
    for (const op of Object.keys(APPLY)) if (!seen.has(op)) throw new Error(`no golden case for ${op}`);
  });
}
