import type { Backend, MatmulBatch, Storage } from "./backend.ts";

/**
 * The products of `batch` on backend `kern`: one `matmulBatch` call where the backend has it
 * (one GPU dispatch on webgpu), else `matmul` once per matrix. With `outStep` 0 the products
 * are summed into `out` (from the first on, unless `accumulate`).
 *
 * @example
 * // [4, 3, 5] @ [5, 2] -> [4, 3, 2]
 * matmulBatch(backend(), a, b, out, { count: 4, aStep: 15, bStep: 0, outStep: 6, m: 3, k: 5, n: 2, transA: false, transB: false, accumulate: false });
 */
export function matmulBatch(kern: Backend, a: Storage, b: Storage, out: Storage, batch: MatmulBatch): void {
  const { count, aStep, bStep, outStep, m, k, n, transA, transB, accumulate } = batch;
  if (count > 1 && kern.matmulBatch !== undefined) {
    kern.matmulBatch(a, b, out, batch);
    return;
  }
  for (let i = 0; i < count; i++) {
    const add = accumulate || (outStep === 0 && i > 0);
    kern.matmul(a, i * aStep, b, i * bStep, out, i * outStep, m, k, n, transA, transB, add);
  }
}
