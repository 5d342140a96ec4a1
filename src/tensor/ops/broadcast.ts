import { backend, isHost, type Storage } from "../backend.ts";
import { broadcastStrides, type Shape, sameShape, sizeOf } from "../shape.ts";
import { dtypeOf, release, scratch, storageFor } from "../tensor.ts";

/** `data` (of `shape`) stretched to `outShape`; the same storage when nothing stretches. */
export function expandData(data: Storage, shape: Shape, outShape: Shape): Storage {
  if (sameShape(shape, outShape)) return data;
  const out = storageFor(dtypeOf(data), sizeOf(outShape));
  if (isHost(data) && isHost(out)) {
    if (data.length === 1) {
      out.fill(data[0]);
      return out;
    }
    if (isTrailing(shape, outShape)) {
      // a bias-like operand: the same block repeated (native copies)
      for (let at = 0; at < out.length; at += data.length) out.set(data, at);
      return out;
    }
  }
  backend().gatherStrided(data, 0, broadcastStrides(shape, outShape), outShape, out);
  return out;
}

/** True when `shape`, without leading 1s, equals the trailing dimensions of `outShape`. */
export function isTrailing(shape: Shape, outShape: Shape): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const rest = shape.length - start;
  if (rest > outShape.length) return false;
  for (let i = 0; i < rest; i++) if (shape[start + i] !== outShape[outShape.length - rest + i]) return false;
  return true;
}

/**
 * The gradient of a broadcast, undone: `g` (of `gShape`) summed over every axis along which
 * `shape` was stretched, so it has `shape`'s size again. The result is `g` itself when nothing
 * was stretched, else a scratch buffer the caller may `release`.
 */
export function sumTo(g: Storage, gShape: Shape, shape: Shape): Storage {
  if (sameShape(gShape, shape)) return g;
  const k = backend();
  let cur = g;
  const curShape = [...gShape];
  const lead = gShape.length - shape.length;
  for (let axis = gShape.length - 1; axis >= 0; axis--) {
    const own = axis < lead ? 1 : shape[axis - lead];
    if (curShape[axis] === own) continue;
    const outer = sizeOf(curShape.slice(0, axis));
    const inner = sizeOf(curShape.slice(axis + 1));
    const next = scratch(dtypeOf(g), outer * inner);
    k.reduce("sum", cur, outer, curShape[axis], inner, next);
    if (cur !== g) release(cur);
    cur = next;
    curShape[axis] = 1;
  }
  return cur;
}

/** `dst += src`, elementwise. */
export function addInto(dst: Storage, src: Storage): void {
  backend().binary("add", dst, src, dst);
}
