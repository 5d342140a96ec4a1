import type { Data, FusedKernels, Storage } from "../../backend.ts";
import type { WasmRuntime } from "./runtime.ts";

// The wasm backend's fused layer norm: the operands copied into the arena, one kernel call,
// the results copied back. Float32 rows a whole number of vectors wide with a weight and a
// bias (every gradient wanted, for the backward) run here; the rest return false, and the
// backend hands them to the js loops.

function f32(...s: (Storage | null)[]): boolean {
  return s.every((v) => v instanceof Float32Array);
}

/**
 * The `layerNorm` and `layerNormGrad` fused kernels over `rt`'s WebAssembly ones.
 *
 * @example
 * const { layerNorm, layerNormGrad } = wasmLayerNorm(rt, 256);
 */
export function wasmLayerNorm(
  rt: WasmRuntime,
  minElements: number,
): Required<Pick<FusedKernels<Data>, "layerNorm" | "layerNormGrad">> {
  const ok = (rows: number, cols: number): boolean =>
    cols % 4 === 0 && rows * cols >= minElements && rt.fits(3 * rows * cols + rows + 2 * cols);
  return {
    layerNorm(x, w, b, rows, cols, eps, out) {
      const { y, xhat, rstd } = out;
      if (!f32(x, w, b, y, xhat, rstd) || !ok(rows, cols)) return false;
      const [xs, ys, hs, rs] = [x, y, xhat, rstd] as Float32Array[];
      const n = rows * cols;
      rt.reset();
      const [px, pw, pb, py, ph, pr] = [n, cols, cols, n, n, rows].map((k) => rt.alloc(k));
      const heap = rt.heap;
      heap.set(xs.subarray(0, n), px >> 2);
      heap.set(w as Float32Array, pw >> 2);
      heap.set(b as Float32Array, pb >> 2);
      rt.layerNormKernels.forward(px, pw, pb, py, ph, pr, rows, cols, 1 / cols, eps);
      ys.set(heap.subarray(py >> 2, (py >> 2) + n));
      hs.set(heap.subarray(ph >> 2, (ph >> 2) + n));
      rs.set(heap.subarray(pr >> 2, (pr >> 2) + rows));
      return true;
    },
    layerNormGrad(g, xhat, rstd, w, rows, cols, grads) {
      const { dx, dw, db } = grads;
      if (!f32(g, xhat, rstd, w, dx, dw, db) || w === null || !ok(rows, cols)) return false;
      const [gs, hs, rs, ws] = [g, xhat, rstd, w] as Float32Array[];
      const n = rows * cols;
      rt.reset();
      const [pg, ph, pr, pw, pdx, pdw, pdb] = [n, n, rows, cols, n, cols, cols].map((k) => rt.alloc(k));
      const heap = rt.heap;
      heap.set(gs.subarray(0, n), pg >> 2);
      heap.set(hs.subarray(0, n), ph >> 2);
      heap.set(rs.subarray(0, rows), pr >> 2);
      heap.set(ws, pw >> 2);
      heap.set(dx as Float32Array, pdx >> 2);
      heap.set(dw as Float32Array, pdw >> 2);
      heap.set(db as Float32Array, pdb >> 2);
      rt.layerNormKernels.backward(pg, ph, pr, pw, pdx, pdw, pdb, rows, cols, 1 / cols);
      (dx as Float32Array).set(heap.subarray(pdx >> 2, (pdx >> 2) + n));
      (dw as Float32Array).set(heap.subarray(pdw >> 2, (pdw >> 2) + cols));
      (db as Float32Array).set(heap.subarray(pdb >> 2, (pdb >> 2) + cols));
      return true;
    },
  };
}
