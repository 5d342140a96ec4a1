import { backend, type Data } from "../backend.ts";
import { broadcastStrides, type Shape, sameShape, sizeOf } from "../shape.ts";
import { allocate, dtypeOf } from "../tensor.ts";

/** `data` (of `shape`) stretched to `outShape`; the same array when nothing stretches. */
export function expandData(data: Data, shape: Shape, outShape: Shape): Data {
  if (sameShape(shape, outShape)) return data;
  const out = allocate(dtypeOf(data), sizeOf(outShape));
  backend().gatherStrided(data, 0, broadcastStrides(shape, outShape), outShape, out);
  return out;
}

/**
 * The gradient of a broadcast, undone: `g` (of `gShape`) summed over every axis along which
 * `shape` was stretched, so it has `shape`'s size again.
 */
export function sumTo(g: Data, gShape: Shape, shape: Shape): Data {
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
    const next = allocate(dtypeOf(g), outer * inner);
    k.reduce("sum", cur, outer, curShape[axis], inner, next);
    cur = next;
    curShape[axis] = 1;
  }
  return cur;
}

/** `dst += src`, elementwise. */
export function addInto(dst: Data, src: Data): void {
  backend().binary("add", dst, src, dst);
}
