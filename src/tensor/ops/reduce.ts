import { backend } from "../backend.ts";
import { normalizeAxes, normalizeAxis, type Shape, sizeOf } from "../shape.ts";
import { gradFor, release, result, scratch, storageFor, Tensor } from "../tensor.ts";
import { addInto, expandData } from "./broadcast.ts";
import { mul } from "./elementwise.ts";
import { reshape } from "./movement.ts";

/**
 * Which axes to reduce (all when omitted) and whether to keep them as size-1 axes.
 *
 * @example
 * sum(x, { axis: [0, 1], keepdims: true });
 */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end; default all). */
  readonly axis?: number | readonly number[];
  /** Keep reduced axes as size 1, so the result broadcasts against the input (default false). */
  readonly keepdims?: boolean;
}

function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/**
 * Sum over `axis` (one, several, or all).
 *
 * @example
 * sum(x, { axis: 1, keepdims: true }); // row sums, shape [rows, 1]
 */
export function sum(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes("sum", options.axis, x.ndim);
  const keepShape = reducedShape(x.shape, axes, true);
  const outShape = reducedShape(x.shape, axes, options.keepdims ?? false);
  const k = backend();
  let cur = x.storage;
  const curShape = [...x.shape];
  for (let i = axes.length - 1; i >= 0; i--) {
    const a = axes[i];
    const next = storageFor(x.dtype, sizeOf(curShape) / (curShape[a] || 1));
    k.reduce("sum", cur, sizeOf(curShape.slice(0, a)), curShape[a], sizeOf(curShape.slice(a + 1)), next);
    cur = next;
    curShape[a] = 1;
  }
  if (cur === x.storage) {
    cur = storageFor(x.dtype, x.size);
    k.binary("add", cur, x.storage, cur); // no axes: a copy
  }
  return result("sum", cur, outShape, [x], (g) => {
    // every input element receives the gradient of the sum it went into
    const gx = gradFor(x);
    if (gx === null) return;
    const spread = expandData(g, keepShape, x.shape);
    addInto(gx, spread);
    if (spread !== g) release(spread);
  });
}

/**
 * Mean over `axis` (one, several, or all).
 *
 * @example
 * mean(tensor([[1, 2], [3, 4]])).item();            // 2.5
 * mean(tensor([[1, 2], [3, 4]]), { axis: 0 }).toArray(); // [2, 3]
 */
export function mean(x: Tensor, options: ReduceOptions = {}): Tensor {
  const axes = normalizeAxes("mean", options.axis, x.ndim);
  let count = 1;
  for (const a of axes) count *= x.shape[a];
  return mul(sum(x, options), 1 / count);
}

/**
 * Maximum over one axis (or all, when `axis` is omitted); the gradient goes to the first
 * maximal element, as in PyTorch's `max(dim)`. A NaN wins (and gets the gradient).
 *
 * @example
 * max(tensor([[1, 5], [7, 0]]), { axis: 1 }).toArray(); // [5, 7]
 */
export function max(
  x: Tensor,
  options: { readonly axis?: number; readonly keepdims?: boolean } = {},
): Tensor {
  const keepdims = options.keepdims ?? false;
  if (options.axis === undefined) {
    const all = max(reshape(x, [x.size]), { axis: 0 });
    return keepdims
      ? reshape(
          all,
          x.shape.map(() => 1),
        )
      : all;
  }
  const a = normalizeAxis("max", options.axis, x.ndim);
  const outer = sizeOf(x.shape.slice(0, a));
  const mid = x.shape[a];
  const inner = sizeOf(x.shape.slice(a + 1));
  if (mid === 0) throw new RangeError(`max: axis ${options.axis} of shape [${x.shape.join(",")}] is empty`);
  const k = backend();
  const out = storageFor(x.dtype, outer * inner);
  k.reduce("max", x.storage, outer, mid, inner, out);
  return result("max", out, reducedShape(x.shape, [a], keepdims), [x], (g) => {
    const gx = gradFor(x);
    if (gx === null) return;
    // the gradient goes to the first maximum (a NaN, when there is one: it won the max)
    const at = scratch(x.dtype, outer * inner);
    k.reduce("argmax", x.storage, outer, mid, inner, at);
    k.scatterAddAt(g, at, outer, mid, inner, gx);
    release(at);
  });
}

/**
 * The index of the largest element along `axis` (default: last), as a float tensor; no gradient.
 *
 * @example
 * argmax(tensor([[1, 5, 2], [7, 0, 1]])).toArray(); // [1, 0]: the predicted class of each row
 */
export function argmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis("argmax", axis, x.ndim);
  const outer = sizeOf(x.shape.slice(0, a));
  const mid = x.shape[a];
  const inner = sizeOf(x.shape.slice(a + 1));
  const out = storageFor(x.dtype, outer * inner);
  backend().reduce("argmax", x.storage, outer, mid, inner, out);
  return new Tensor(out, reducedShape(x.shape, [a], false), { op: "argmax" });
}
