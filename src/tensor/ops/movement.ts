import { backend } from "../backend.ts";
import { normalizeAxis, type Shape, shapeText, sizeOf, stridesOf } from "../shape.ts";
import { gradFor, passGradient, release, result, scratch, storageFor, type Tensor } from "../tensor.ts";
import { addInto } from "./broadcast.ts";

// Ops that move numbers without computing new ones; each backward puts the gradient back
// where the numbers came from.

/**
 * The same numbers with a new shape of the same size; one dimension may be -1 (inferred).
 * Shares the data (no copy).
 *
 * @example
 * reshape(arange(6), [2, 3]).toArray(); // [[0, 1, 2], [3, 4, 5]]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const unknown = shape.filter((d) => d === -1).length;
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new RangeError(`reshape: invalid shape ${shapeText(shape)}`);
  }
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (sizeOf(out) !== x.size || !out.every(Number.isInteger)) {
    throw new RangeError(
      `reshape: cannot reshape ${shapeText(x.shape)} (${x.size} numbers) to ${shapeText(shape)}`,
    );
  }
  return result("reshape", x.storage, out, [x], (g) => {
    if (passGradient(x, g)) return;
    const gx = gradFor(x);
    if (gx !== null) addInto(gx, g);
  });
}

/**
 * Merges axes `startDim` to `endDim` (default 1 to the last) into one, as PyTorch's `flatten`:
 * `[batch, channels, h, w]` becomes `[batch, channels·h·w]`. A reshape (no copy).
 *
 * @example
 * flatten(zeros([64, 16, 4, 4])).shape; // [64, 256]
 */
export function flatten(x: Tensor, startDim = 1, endDim = -1): Tensor {
  const s = normalizeAxis("flatten", startDim, x.ndim);
  const e = normalizeAxis("flatten", endDim, x.ndim);
  if (s > e)
    throw new RangeError(
      `flatten: startDim ${startDim} comes after endDim ${endDim} in ${shapeText(x.shape)}`,
    );
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/**
 * Reorders the axes: output axis i is input axis `perm[i]`. Without `perm`, swaps the last two
 * axes (a matrix transpose). Copies the numbers.
 *
 * @example
 * transpose(tensor([[1, 2, 3]])).shape; // [3, 1]
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const nd = x.ndim;
  if (perm === undefined) {
    if (nd < 2) throw new RangeError(`transpose: needs at least 2 dimensions, got ${shapeText(x.shape)}`);
    perm = [...Array.from({ length: nd - 2 }, (_, i) => i), nd - 1, nd - 2];
  }
  const p = perm.map((a) => normalizeAxis("transpose", a, nd));
  if (p.length !== nd || new Set(p).size !== nd) {
    throw new RangeError(
      `transpose: [${perm.join(",")}] is not a permutation of the axes of ${shapeText(x.shape)}`,
    );
  }
  const shape = p.map((a) => x.shape[a]);
  const strides = p.map((a) => x.strides[a]);
  const out = storageFor(x.dtype, x.size);
  const k = backend();
  k.gatherStrided(x.storage, 0, strides, shape, out);
  return result("transpose", out, shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx !== null) k.scatterAddStrided(g, shape, gx, 0, strides);
  });
}

/**
 * One axis's range in `slice`: `[start, end)` (negative counts from the end), or `null` for all.
 *
 * @example
 * slice(x, [[0, 2], null]); // the first two rows, every column
 */
export type SliceRange = readonly [number, number] | null;

/**
 * A rectangular part: `ranges[i]` selects `[start, end)` along axis i (missing axes whole).
 *
 * @example
 * slice(x, [null, [0, 2]]); // every row, the first two columns
 */
export function slice(x: Tensor, ranges: readonly SliceRange[]): Tensor {
  if (ranges.length > x.ndim) {
    throw new RangeError(`slice: ${ranges.length} ranges for shape ${shapeText(x.shape)}`);
  }
  let offset = 0;
  const shape = x.shape.map((d, i) => {
    const r = ranges[i] ?? null;
    if (r === null) return d;
    const start = r[0] < 0 ? r[0] + d : r[0];
    const end = r[1] < 0 ? r[1] + d : r[1];
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > d || start > end) {
      throw new RangeError(
        `slice: range [${r[0]}, ${r[1]}) is out of bounds for axis ${i} of ${shapeText(x.shape)}`,
      );
    }
    offset += start * x.strides[i];
    return end - start;
  });
  const out = storageFor(x.dtype, sizeOf(shape));
  const k = backend();
  k.gatherStrided(x.storage, offset, x.strides, shape, out);
  return result("slice", out, shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx !== null) k.scatterAddStrided(g, shape, gx, offset, x.strides);
  });
}

/**
 * Joins tensors along `axis` (default 0); every other dimension must match.
 *
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4]])]).shape;   // [2, 2]
 * concat([tensor([[1, 2]]), tensor([[3, 4]])], 1).shape; // [1, 4]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("concat: give at least one tensor");
  const first = tensors[0];
  const a = normalizeAxis("concat", axis, first.ndim);
  for (const t of tensors) {
    const ok = t.ndim === first.ndim && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) {
      throw new RangeError(
        `concat: shapes differ off axis ${axis}: ${tensors.map((u) => shapeText(u.shape)).join(" and ")}`,
      );
    }
  }
  const shape = [...first.shape];
  shape[a] = tensors.reduce((s, t) => s + t.shape[a], 0);
  const outStrides = stridesOf(shape);
  const dtype = tensors.some((t) => t.dtype === "float64") ? "float64" : "float32";
  const out = storageFor(dtype, sizeOf(shape));
  const k = backend();
  // each input is a strided window of the (zeroed) output: added into it, and read back out of
  // the gradient the same way
  const offsets: number[] = [];
  let at = 0;
  for (const t of tensors) {
    offsets.push(at * outStrides[a]);
    k.scatterAddStrided(t.storage, t.shape, out, at * outStrides[a], outStrides);
    at += t.shape[a];
  }
  return result("concat", out, shape, tensors, (g) => {
    tensors.forEach((t, i) => {
      const gt = gradFor(t);
      if (gt === null) return;
      const part = scratch(t.dtype, t.size);
      k.gatherStrided(g, offsets[i], outStrides, t.shape, part);
      k.binary("add", gt, part, gt);
      release(part);
    });
  });
}

/**
 * Integer indices: a list, an `Int32Array`, or a tensor holding whole numbers.
 *
 * @example
 * indexSelect(table, 0, [3, 1, 3]); // rows 3, 1 and 3 of table
 */
export type Indices = readonly number[] | Int32Array | Tensor;

function indexList(op: string, indices: Indices, limit: number): { list: ArrayLike<number>; shape: Shape } {
  const list = Array.isArray(indices) || indices instanceof Int32Array ? indices : (indices as Tensor).data;
  const shape =
    Array.isArray(indices) || indices instanceof Int32Array ? [list.length] : (indices as Tensor).shape;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new RangeError(`${op}: index ${v} is out of range [0, ${limit})`);
    }
  }
  return { list, shape };
}

/**
 * Picks entries along `axis` by index: the result has the indices' shape in place of that axis.
 * With `axis` 0 on a `[vocab, dim]` table, this is an embedding lookup.
 *
 * @example
 * indexSelect(table, 0, tensor([[1, 4], [2, 2]])); // shape [2, 2, dim]
 */
export function indexSelect(x: Tensor, axis: number, indices: Indices): Tensor {
  const a = normalizeAxis("indexSelect", axis, x.ndim);
  const { list, shape: idxShape } = indexList("indexSelect", indices, x.shape[a]);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const mid = x.shape[a];
  const n = list.length;
  const shape = [...x.shape.slice(0, a), ...idxShape, ...x.shape.slice(a + 1)];
  const starts = new Int32Array(outer * n);
  for (let o = 0; o < outer; o++) for (let j = 0; j < n; j++) starts[o * n + j] = (o * mid + list[j]) * inner;
  const out = storageFor(x.dtype, outer * n * inner);
  const k = backend();
  k.gatherRows(x.storage, starts, inner, out);
  return result("indexSelect", out, shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx !== null) k.scatterAddRows(g, starts, inner, gx);
  });
}

/**
 * PyTorch's `gather`: `out[..., j, ...] = x[..., index[..., j, ...], ...]` along `axis`;
 * `index` has the same number of dimensions as `x` and the result has the index's shape.
 *
 * @example
 * gather(logits, 1, tensor([[3], [0]])); // each row's entry at its own column, shape [2, 1]
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const a = normalizeAxis("gather", axis, x.ndim);
  if (index.ndim !== x.ndim || index.shape.some((d, i) => i !== a && d > x.shape[i])) {
    throw new RangeError(
      `gather: index of shape ${shapeText(index.shape)} does not fit ${shapeText(x.shape)} along axis ${axis}`,
    );
  }
  const { list } = indexList("gather", index, x.shape[a]);
  const shape = index.shape;
  const n = list.length;
  const src = new Int32Array(n);
  const coords = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    let s = 0;
    for (let d = 0; d < shape.length; d++) s += (d === a ? list[f] : coords[d]) * x.strides[d];
    src[f] = s;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coords[d] < shape[d]) break;
      coords[d] = 0;
    }
  }
  const out = storageFor(x.dtype, n);
  const k = backend();
  k.gatherRows(x.storage, src, 1, out);
  return result("gather", out, shape, [x], (g) => {
    const gx = gradFor(x);
    if (gx !== null) k.scatterAddRows(g, src, 1, gx);
  });
}
