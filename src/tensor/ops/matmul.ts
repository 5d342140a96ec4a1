import { backend } from "../backend.ts";
import { matmulBatch } from "../matmul-batch.ts";
import { shapeText, sizeOf } from "../shape.ts";
import { gradFor, result, storageFor, type Tensor } from "../tensor.ts";

/**
 * Matrix product `a @ b`: `[m,k] @ [k,n] -> [m,n]`, or batched, `[...,m,k] @ [...,k,n]` with
 * equal batch dimensions (either side may also be a plain matrix, shared by the whole batch).
 * The backward pass uses the same kernel on transposed operands: dA = dC·Bᵀ, dB = Aᵀ·dC.
 *
 * @example
 * matmul(x, w); // [batch, in] @ [in, out] -> [batch, out]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim < 2 || b.ndim < 2) {
    throw new RangeError(
      `matmul: both operands need at least 2 dimensions: ${shapeText(a.shape)} @ ${shapeText(b.shape)}`,
    );
  }
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  if (b.shape[b.ndim - 2] !== k) {
    throw new RangeError(`matmul: inner dims differ: ${shapeText(a.shape)} @ ${shapeText(b.shape)}`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batched = aBatch.length > 0 && bBatch.length > 0;
  if (batched && aBatch.join(",") !== bBatch.join(",")) {
    throw new RangeError(`matmul: batch dims differ: ${shapeText(a.shape)} @ ${shapeText(b.shape)}`);
  }
  const batch = aBatch.length > 0 ? aBatch : bBatch;
  const count = sizeOf(batch);
  const aStep = aBatch.length > 0 ? m * k : 0;
  const bStep = bBatch.length > 0 ? k * n : 0;
  const dtype = a.dtype === "float64" || b.dtype === "float64" ? "float64" : "float32";
  const out = storageFor(dtype, count * m * n);
  const kern = backend();
  const product = { count, m, k, n, transA: false, transB: false };
  matmulBatch(kern, a.storage, b.storage, out, {
    ...product,
    aStep,
    bStep,
    outStep: m * n,
    accumulate: false,
  });
  return result("matmul", out, [...batch, m, n], [a, b], (g) => {
    const ga = gradFor(a);
    const gb = gradFor(b);
    // dA (m×k) += dC (m×n) · Bᵀ;  dB (k×n) += Aᵀ · dC; a shared operand's gradient sums the batch
    if (ga !== null)
      matmulBatch(kern, g, b.storage, ga, {
        ...product,
        k: n,
        n: k,
        transB: true,
        aStep: m * n,
        bStep,
        outStep: aStep,
        accumulate: true,
      });
    if (gb !== null)
      matmulBatch(kern, a.storage, g, gb, {
        ...product,
        m: k,
        k: m,
        transA: true,
        aStep,
        bStep: m * n,
        outStep: bStep,
        accumulate: true,
      });
  });
}
