// Fused kernels are optimisations only: each gives the numbers of the composite it replaces
// (the same expression evaluated as a chain of the backend's forward kernels). Checked for
// every unary op's derivative rule on every backend that has fused kernels, on random and
// special inputs, in float32 and float64; and the composite evaluator against plain numbers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { UNARY_RULES, unaryGrad } from "../../src/engine/rules.ts";
import { type Backend, type Data, jsBackend, Rng, type UnaryKernel } from "../../src/index.ts";
import { JS_FUSED_EXPRESSIONS } from "../../src/tensor/backends/js-fused.ts";
import { createWasmBackend } from "../../src/tensor/backends/wasm/wasm-backend.ts";
import { type ElementwiseExpr, ex, exprText } from "../../src/tensor/elementwise-expr.ts";
import { evaluate } from "../../src/tensor/ops/evaluate.ts";
import { GELU, GELU_GRAD } from "../../src/tensor/ops/gelu.ts";
import { isClose } from "../helpers/close.ts";

const wasm = await createWasmBackend({ minMatmul: 0, minElementwise: 0 });
const BACKENDS: Backend[] = [jsBackend, wasm];
const OPS = Object.keys(UNARY_RULES) as UnaryKernel[];
const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-30, 1e30, -1e30];

function inputs(n: number, seed: number, dtype: "float32" | "float64"): Data {
  const rng = new Rng(seed);
  const v = Array.from({ length: n }, (_, i) => (i < SPECIAL.length ? SPECIAL[i] : rng.normal() * 3));
  return dtype === "float32" ? Float32Array.from(v) : Float64Array.from(v);
}

const PARAMS: Record<UnaryKernel, number[]> = {
  neg: [0],
  exp: [0],
  log: [0],
  tanh: [0],
  relu: [0],
  sigmoid: [0],
  sqrt: [0],
  abs: [0],
  pow: [0, 2, 3, 0.5],
};

test("every fused derivative kernel gives the composite's numbers (js and wasm, float32 and float64)", () => {
  const fusedOn = new Map<string, Set<string>>();
  for (const k of BACKENDS) {
    const ran = new Set<string>();
    fusedOn.set(k.name, ran);
    for (const dtype of ["float32", "float64"] as const) {
      for (const op of OPS) {
        for (const p of PARAMS[op]) {
          for (const n of [1, 7, 64, 1001]) {
            const x = inputs(n, n + p, dtype);
            const y = x.slice();
            jsBackend.unary(op, x, y, p);
            const g = inputs(n, 3 * n + 1, dtype);
            const start = inputs(n, 5 * n + 2, dtype);
            const e = unaryGrad(op, p);
            const fused = start.slice();
            if (k.fused?.elementwise?.(e, { x, y, g }, fused, true) !== true) continue;
            ran.add(op);
            const t = evaluate(k, e, { x, y, g }, n, dtype) as Data;
            const tol = dtype === "float32" ? 2e-6 : 0;
            for (let i = 0; i < n; i++) {
              const want = start[i] + t[i];
              const wantRounded = dtype === "float32" ? Math.fround(want) : want;
              assert.ok(
                isClose(fused[i], wantRounded, tol),
                `${k.name} ${dtype} ${exprText(e)} at x=${x[i]}, g=${g[i]}: fused ${fused[i]}, composite ${wantRounded}`,
              );
            }
          }
        }
      }
    }
  }
  // the hot paths really are fused (else this test would check nothing)
  for (const op of ["relu", "tanh", "sigmoid"]) assert.ok(fusedOn.get("js")?.has(op), `js fuses ${op}`);
  for (const op of ["relu", "tanh", "sigmoid", "exp", "log", "neg", "sqrt", "abs"]) {
    assert.ok(fusedOn.get("wasm")?.has(op), `wasm fuses ${op}`);
  }
});

test("every js fused loop is keyed by a derivative rule that exists", () => {
  const rules = new Set(OPS.flatMap((op) => PARAMS[op].map((p) => exprText(unaryGrad(op, p)))));
  for (const key of JS_FUSED_EXPRESSIONS)
    assert.ok(rules.has(key), `js fused loop for "${key}" matches no rule`);
});

test("wasm kernels generated from any expression match the composite (constants on either side)", () => {
  const { x, y, g } = ex;
  const s = ex.sigmoid(ex.mul(x, y)); // one node read three times: computed once in the kernel
  const exprs: ElementwiseExpr[] = [
    ex.mul(s, ex.sub(s, ex.mul(s, g))),
    ex.sub(1, x),
    ex.div(2, ex.add(x, y)),
    ex.lt(0, x),
    ex.ge(x, y),
    ex.max(x, y),
    ex.min(y, x),
    ex.ne(x, x),
    ex.mul(g, ex.tanh(ex.sigmoid(x))),
    ex.exp(ex.log(ex.abs(y))),
    ex.relu(ex.neg(x)),
  ];
  for (const e of exprs) {
    for (const accumulate of [false, true]) {
      const n = 37;
      const arrays = { x: inputs(n, 1, "float32"), y: inputs(n, 2, "float32"), g: inputs(n, 3, "float32") };
      const out = inputs(n, 4, "float32");
      const start = out.slice();
      assert.equal(wasm.fused?.elementwise?.(e, arrays, out, accumulate), true, exprText(e));
      const t = evaluate(jsBackend, e, arrays, n, "float32") as Data;
      for (let i = 0; i < n; i++) {
        const want = Math.fround(accumulate ? start[i] + t[i] : t[i]);
        assert.ok(
          isClose(out[i], want, 2e-6),
          `${exprText(e)}[${i}] (x=${arrays.x[i]}): ${out[i]} vs ${want}`,
        );
      }
    }
  }
});

test("the composite evaluator computes the expression (plain-number reference)", () => {
  const { x, y } = ex;
  const cases: [ElementwiseExpr, (a: number, b: number) => number][] = [
    [ex.sub(1, x), (a) => 1 - a],
    [ex.div(2, x), (a) => 2 / a],
    [ex.lt(0, x), (a) => (0 < a ? 1 : 0)],
    [ex.ge(1, x), (a) => (1 >= a ? 1 : 0)],
    [ex.max(0.5, x), (a) => (0.5 >= a ? 0.5 : a)],
    [ex.mul(ex.add(x, y), ex.sub(x, y)), (a, b) => (a + b) * (a - b)],
    [ex.num(3), () => 3],
    [ex.mul(ex.exp(0), y), (_a, b) => b],
    [y, (_a, b) => b],
  ];
  const xs = inputs(20, 7, "float64");
  const ys = inputs(20, 8, "float64");
  for (const [e, f] of cases) {
    const got = evaluate(jsBackend, e, { x: xs, y: ys }, 20, "float64") as Data;
    assert.notEqual(got, ys, "the result is the caller's own buffer");
    xs.forEach((a, i) => {
      assert.ok(isClose(got[i], f(a, ys[i]), 0), `${exprText(e)} at ${a}, ${ys[i]}`);
    });
  }
  assert.throws(() => evaluate(jsBackend, ex.g, { x: xs }, 20, "float64"), /reads "g"/);
});

test("GELU's forward and gradient kernels on wasm give the composite's numbers (and the gelu op's)", () => {
  for (const n of [5, 300, 1001]) {
    const x = Float32Array.from(inputs(n, n, "float64"), (v, i) => (i < SPECIAL.length ? v : v * 2));
    const g = inputs(n, 2 * n, "float32");
    const start = inputs(n, 3 * n, "float32");
    for (const [e, accumulate] of [
      [GELU, false],
      [GELU_GRAD, true],
    ] as const) {
      const out = start.slice();
      assert.equal(wasm.fused?.elementwise?.(e, { x, g }, out, accumulate), true, "wasm compiles it");
      const t = evaluate(jsBackend, e, { x, g }, n, "float32") as Data;
      for (let i = 0; i < n; i++) {
        const want = Math.fround(accumulate ? start[i] + t[i] : t[i]);
        assert.ok(
          isClose(out[i], want, 4e-6),
          `${accumulate ? "grad" : "gelu"} at x=${x[i]}: ${out[i]} vs ${want}`,
        );
      }
    }
  }
});
