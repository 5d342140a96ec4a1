// The fused row kernels (layer norm forward and backward, the softmax gradient) are
// optimisations only: each op gives the same output and gradients with them as with the
// composite of forward kernels it replaces, on js and wasm, in float32 and float64.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Backend,
  backend,
  type Data,
  type FusedKernels,
  jsBackend,
  layerNorm,
  logSoftmax,
  mul,
  Rng,
  setBackend,
  softmaxTensor,
  sum,
  type Tensor,
  tensor,
} from "../../src/index.ts";
import { createWasmBackend } from "../../src/tensor/backends/wasm/wasm-backend.ts";
import { isClose } from "../helpers/close.ts";

const wasm = await createWasmBackend({ minMatmul: 0, minElementwise: 0 });
type DType = "float32" | "float64";

/**
 * Runs `f` on backend `k`, with tensors from `make` (seeded normals), and returns the output
 * and the gradients of Σ y·c (c fixed and random) of every tensor `make` made.
 */
function run(k: Backend, dtype: DType, f: (make: (s: number[], scale: number) => Tensor) => Tensor): Data[] {
  const previous = backend();
  setBackend(k);
  try {
    const rng = new Rng(7);
    const made: Tensor[] = [];
    const make = (s: number[], scale: number): Tensor => {
      const data = Float64Array.from(
        { length: s.reduce((a, b) => a * b, 1) },
        () => rng.normal() * scale + 0.5,
      );
      const t = tensor(data, { shape: s, dtype, requiresGrad: true });
      made.push(t);
      return t;
    };
    const y = f(make);
    const c = tensor(
      Float64Array.from({ length: y.size }, () => rng.normal()),
      { shape: [...y.shape], dtype },
    );
    sum(mul(y, c)).backward();
    return [y.data, ...made.map((t) => t.grad?.data ?? new Float64Array(0))];
  } finally {
    setBackend(previous);
  }
}

/**
 * Checks `f` gives the same numbers on each backend with and without the fused kernels
 * `names`, and that the fused ones really ran.
 */
function sameAsComposite(
  names: (keyof FusedKernels)[],
  cases: [string, (make: (s: number[], scale: number) => Tensor) => Tensor][],
): void {
  for (const k of [jsBackend, wasm]) {
    let calls = 0;
    const counting: FusedKernels = { ...k.fused };
    const composite: FusedKernels = { ...k.fused };
    for (const name of names) {
      const fused = k.fused?.[name] as ((...a: unknown[]) => boolean) | undefined;
      assert.ok(fused !== undefined, `${k.name} has a fused ${name}`);
      (counting as Record<string, unknown>)[name] = (...a: unknown[]) => {
        calls++;
        return fused(...a);
      };
      delete (composite as Record<string, unknown>)[name];
    }
    for (const dtype of ["float32", "float64"] as const) {
      for (const [what, f] of cases) {
        const before = calls;
        const got = run({ ...k, fused: counting }, dtype, f);
        assert.ok(calls > before, `${k.name} ${what}: the fused kernel ran`);
        const want = run({ ...k, fused: composite }, dtype, f);
        const tol = dtype === "float32" ? 2e-5 : 1e-12;
        got.forEach((a, which) => {
          assert.equal(a.length, want[which].length);
          for (let i = 0; i < a.length; i++) {
            assert.ok(
              isClose(a[i], want[which][i], tol),
              `${k.name} ${dtype} ${what} ${which === 0 ? "output" : `gradient ${which}`}[${i}]: ${a[i]} vs ${want[which][i]}`,
            );
          }
        });
      }
    }
  }
}

test("the fused layer norm (forward and gradients) gives the composite's numbers on js and wasm", () => {
  sameAsComposite(
    ["layerNorm", "layerNormGrad"],
    [
      ["plain [3, 5]", (make) => layerNorm(make([3, 5], 3), null, null)],
      ["affine [2, 7, 64]", (make) => layerNorm(make([2, 7, 64], 3), make([64], 1), make([64], 1))],
      ["affine [300, 16]", (make) => layerNorm(make([300, 16], 3), make([16], 1), make([16], 1))],
    ],
  );
});

test("the fused softmax gradient gives the composite's numbers on js and wasm (softmax and log-softmax)", () => {
  sameAsComposite(
    ["softmaxGrad"],
    [
      ["softmax [4, 9]", (make) => softmaxTensor(make([4, 9], 3))],
      ["softmax [2, 3, 70]", (make) => softmaxTensor(make([2, 3, 70], 5))],
      ["softmax [6, 64] (whole vectors: wasm's kernel)", (make) => softmaxTensor(make([6, 64], 5))],
      ["logSoftmax [5, 27]", (make) => logSoftmax(make([5, 27], 3))],
      ["logSoftmax [300, 8]", (make) => logSoftmax(make([300, 8], 10))],
    ],
  );
});
