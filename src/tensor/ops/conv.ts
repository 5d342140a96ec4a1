import { backend, type ConvGeometry } from "../backend.ts";
import { shapeText } from "../shape.ts";
import { gradFor, result, storageFor, type Tensor } from "../tensor.ts";
import { add } from "./elementwise.ts";
import { matmul } from "./matmul.ts";
import { reshape, transpose } from "./movement.ts";

// Convolution lowered to one matrix product: every window of the input becomes a column of a
// patch matrix (im2col), and the filters, flattened to rows, multiply it. Only `im2col` is new here;
// its backward adds each patch back where it was read (col2im); the product, the bias and
// the layout changes bring their own gradients.

/**
 * A size per spatial axis: one number for both (height and width), or `[height, width]`.
 *
 * @example
 * conv2d(x, w, null, { stride: 2, padding: [1, 2] });
 */
export type Size2 = number | readonly [number, number];

/**
 * How windows move over the image: `stride` (default 1 for convolution, the kernel size for
 * pooling) and zero `padding` added on every side (default 0).
 *
 * @example
 * const same: Conv2dOptions = { stride: 1, padding: 2 }; // a 5×5 kernel keeps 28×28 at 28×28
 */
export interface Conv2dOptions {
  readonly stride?: Size2;
  readonly padding?: Size2;
}

function pair(op: string, what: string, v: Size2, min: number): [number, number] {
  const p: [number, number] = typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new RangeError(
      `${op}: ${what} must be ${min === 0 ? "integers >= 0" : "positive integers"}, got ${String(v)}`,
    );
  }
  return p;
}

/** @internal The window geometry of an op on NCHW `x`, checked, with a clear error. */
export function convGeometry(
  op: string,
  x: Tensor,
  kernel: Size2,
  stride: Size2,
  padding: Size2,
): ConvGeometry {
  if (x.ndim !== 4) {
    throw new RangeError(
      `${op}: expected NCHW input [batch, channels, height, width], got ${shapeText(x.shape)}`,
    );
  }
  const [kernelH, kernelW] = pair(op, "kernel size", kernel, 1);
  const [strideH, strideW] = pair(op, "stride", stride, 1);
  const [padH, padW] = pair(op, "padding", padding, 0);
  const [batch, channels, height, width] = x.shape;
  const outH = Math.floor((height + 2 * padH - kernelH) / strideH) + 1;
  const outW = Math.floor((width + 2 * padW - kernelW) / strideW) + 1;
  if (outH < 1 || outW < 1) {
    throw new RangeError(
      `${op}: a ${kernelH}x${kernelW} kernel does not fit input ${shapeText(x.shape)} with padding ${padH},${padW}`,
    );
  }
  return { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW };
}

/**
 * The patch matrix of NCHW `x` (im2col): one column per output position (n, oy, ox), in that
 * order, holding the window under it (channel, kernel row, kernel column), so the result is
 * `[channels·kernelH·kernelW, batch·outH·outW]`; padding reads `padValue` (default 0).
 * Convolution and pooling are built on it.
 *
 * @example
 * im2col(x, 3, { padding: 1 }).shape; // x [2, 1, 4, 4] -> [9, 32]
 */
export function im2col(
  x: Tensor,
  kernel: Size2,
  options: Conv2dOptions & { readonly padValue?: number } = {},
): Tensor {
  const g = convGeometry("im2col", x, kernel, options.stride ?? 1, options.padding ?? 0);
  const rows = g.channels * g.kernelH * g.kernelW;
  const cols = g.batch * g.outH * g.outW;
  const out = storageFor(x.dtype, rows * cols);
  const k = backend();
  k.im2col(x.storage, g, out, options.padValue ?? 0);
  return result("im2col", out, [rows, cols], [x], (grad) => {
    const gx = gradFor(x);
    if (gx !== null) k.col2im(grad, g, gx);
  });
}

/**
 * 2-D convolution (strictly, cross-correlation, as in PyTorch) of NCHW `x` `[batch, in, h, w]`
 * with `weight` `[out, in, kh, kw]` (PyTorch's `Conv2d` layout) plus `bias` `[out]` (or null):
 * `[batch, out, outH, outW]`. Lowered to im2col and one matrix product on the backend.
 *
 * @example
 * conv2d(images, filters, bias, { padding: 2 }).shape; // [64,1,28,28] * [8,1,5,5] -> [64,8,28,28]
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv2dOptions = {},
): Tensor {
  if (weight.ndim !== 4) {
    throw new RangeError(`conv2d: weight must be [out, in, kh, kw], got ${shapeText(weight.shape)}`);
  }
  const [outC, inC, kh, kw] = weight.shape;
  if (x.ndim === 4 && x.shape[1] !== inC) {
    throw new RangeError(
      `conv2d: input ${shapeText(x.shape)} has ${x.shape[1]} channels, weight ${shapeText(weight.shape)} expects ${inC}`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outC)) {
    throw new RangeError(`conv2d: bias must be [${outC}], got ${shapeText(bias.shape)}`);
  }
  const g = convGeometry("conv2d", x, [kh, kw], options.stride ?? 1, options.padding ?? 0);
  const patches = im2col(x, [kh, kw], options); // [in·kh·kw, batch·L]
  let y = matmul(reshape(weight, [outC, inC * kh * kw]), patches); // [out, batch·L]
  if (bias !== null) y = add(y, reshape(bias, [outC, 1]));
  const perImage = transpose(reshape(y, [outC, g.batch, g.outH * g.outW]), [1, 0, 2]);
  return reshape(perImage, [g.batch, outC, g.outH, g.outW]);
}
