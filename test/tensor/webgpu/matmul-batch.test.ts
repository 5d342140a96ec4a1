// Batched matrix products on the webgpu backend (Dawn on SwiftShader): a batch is one
// `matmulBatch` call (one dispatch, a workgroup layer per matrix) forward and for each gradient,
// including the gradient of an operand the batch shares (summed in the kernel), and the numbers
// match the js backend's per-matrix products.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  type Backend,
  einsum,
  init,
  jsBackend,
  matmul,
  mul,
  Rng,
  randn,
  setBackend,
  sum,
  Tensor,
  type WebGpuBackend,
} from "../../../src/index.ts";
import { initWebGpu } from "../../helpers/webgpu.ts";

const gpu = (await initWebGpu()) as WebGpuBackend;
after(() => init("js"));

type Product = (a: Tensor, b: Tensor) => Tensor;

/** Forward and both gradients of `sum(op(a, b) · weights)` on backend `b`, read to the host. */
async function run(on: Backend, op: Product, aShape: number[], bShape: number[]): Promise<number[][]> {
  setBackend(on);
  const a = new Tensor(randn(aShape, { rng: new Rng(1) }).data, aShape, { requiresGrad: true });
  const b = new Tensor(randn(bShape, { rng: new Rng(2) }).data, bShape, { requiresGrad: true });
  const y = op(a, b);
  sum(mul(y, randn(y.shape, { rng: new Rng(3) }))).backward();
  return Promise.all([y, a.grad as Tensor, b.grad as Tensor].map(async (t) => [...(await t.read())]));
}

const CASES: [string, Product, number[], number[]][] = [
  ["[3,5,4] @ [3,4,6]", matmul, [3, 5, 4], [3, 4, 6]],
  ["[2,3,5,4] @ [2,3,4,6] (two batch axes)", matmul, [2, 3, 5, 4], [2, 3, 4, 6]],
  ["[3,5,4] @ [4,6] (B shared: its gradient sums the batch)", matmul, [3, 5, 4], [4, 6]],
  ["[5,4] @ [3,4,6] (A shared)", matmul, [5, 4], [3, 4, 6]],
  ["[2,70,20] @ [20,65] (several 64×64 tiles per matrix)", matmul, [2, 70, 20], [20, 65]],
  ["einsum bij,bkj->bik (B read transposed)", (a, b) => einsum("bij,bkj->bik", a, b), [4, 5, 3], [4, 6, 3]],
];

for (const [name, op, aShape, bShape] of CASES) {
  test(`batched product on webgpu in one dispatch per pass, as on js: ${name}`, async () => {
    const want = await run(jsBackend, op, aShape, bShape);
    const calls = { matmul: 0, matmulBatch: 0 };
    const counted: Backend = {
      ...gpu,
      matmul: (...args) => {
        calls.matmul++;
        gpu.matmul(...args);
      },
      matmulBatch: (...args) => {
        calls.matmulBatch++;
        gpu.matmulBatch?.(...args);
      },
    };
    const got = await run(counted, op, aShape, bShape);
    assert.deepEqual(calls, { matmul: 0, matmulBatch: 3 }, "forward, dA and dB: one call each");
    ["forward", "dA", "dB"].forEach((what, k) => {
      assert.equal(got[k].length, want[k].length, what);
      want[k].forEach((v, i) =>
        assert.ok(
          Math.abs(v - got[k][i]) <= 1e-4 * Math.max(1, Math.abs(v)),
          `${what}[${i}]: ${got[k][i]} vs ${v}`,
        ),
      );
    });
  });
}
