import { backend, type Storage } from "../backend.ts";
import { broadcastShapes, sameShape, shapeText } from "../shape.ts";
import { allocate, gradFor, passGradient, release, result, scratch, storageFor, Tensor } from "../tensor.ts";
import { addInto, expandData, isTrailing } from "./broadcast.ts";

/**
 * `value` where `mask` is non-zero, `x` elsewhere, as PyTorch's `masked_fill`: `mask` broadcasts
 * to `x`'s shape and gets no gradient; `x`'s gradient flows only where it was kept. With
 * `value = -Infinity` before a softmax this hides positions (the causal mask of attention); the
 * masked positions of `x` must then be finite (they are added to `log 0 = -∞`).
 *
 * @example
 * maskedFill(scores, causalMask(4), -Infinity); // no position attends to a later one
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  const shape = broadcastShapes("maskedFill", x.shape, mask.shape);
  if (!sameShape(shape, x.shape)) {
    throw new RangeError(
      `maskedFill: mask of shape ${shapeText(mask.shape)} does not broadcast to ${shapeText(x.shape)}`,
    );
  }
  if (Number.isNaN(value)) throw new RangeError("maskedFill: the fill value is NaN");
  const k = backend();
  let m: Storage = mask.storage;
  if (mask.dtype !== x.dtype) {
    m = storageFor(x.dtype, mask.size);
    k.binary("add", m, mask.storage, m); // a copy in x's dtype
  }
  // A mask repeated along x (the causal mask of every head) is read in place by the row
  // kernels: its keep and log(keep) are computed once, at the mask's own size.
  const small = mask.size < x.size && isTrailing(mask.shape, x.shape);
  if (!small) m = expandData(m, mask.shape, x.shape);
  const apply = (op: "add" | "sub" | "mul", a: Storage, b: Storage, out: Storage): void =>
    small ? k.binaryRows(op, a, b, out) : k.binary(op, a, b, out);
  // keep = 1 where the mask is 0
  const keep = storageFor(x.dtype, m.length);
  k.binaryScalar("eq", m, 0, keep);
  const out = storageFor(x.dtype, x.size);
  const fill = scratch(x.dtype, m.length);
  if (Number.isFinite(value)) {
    // x·keep + value·(1 − keep)
    k.binaryScalar("mul", keep, -value, fill);
    k.binaryScalar("add", fill, value, fill);
    apply("mul", x.storage, keep, out);
    apply("add", out, fill, out);
  } else {
    // x ± log(keep): log 0 = −∞ where masked, log 1 = 0 elsewhere
    k.unary("log", keep, fill, 0);
    apply(value < 0 ? "add" : "sub", x.storage, fill, out);
  }
  release(fill);
  return result("maskedFill", out, x.shape, [x], (g) => {
    // g·keep, in place: g is this output's own gradient, read by nothing after this
    apply("mul", g, keep, g);
    if (passGradient(x, g)) return;
    const gx = gradFor(x);
    if (gx !== null) addInto(gx, g);
  });
}

const CAUSAL = new Map<number, Tensor>();

/**
 * The causal mask of `size` positions: `[size, size]`, 1 above the diagonal (position i may not
 * see a later position j > i), 0 on and below it. Made once per size.
 *
 * @example
 * causalMask(3).toArray(); // [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
 */
export function causalMask(size: number): Tensor {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`causalMask: size must be an integer >= 1, got ${size}`);
  let mask = CAUSAL.get(size);
  if (mask === undefined) {
    const data = allocate("float32", size * size);
    for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) data[i * size + j] = 1;
    mask = new Tensor(data, [size, size]);
    CAUSAL.set(size, mask);
  }
  return mask;
}
