import type { Tensor } from "../tensor.ts";
import { type Conv2dOptions, convGeometry, im2col, type Size2 } from "./conv.ts";
import { reshape } from "./movement.ts";
import { max, mean } from "./reduce.ts";

// Pooling is a reduction over windows: each channel is treated as its own one-channel image,
// its windows become columns (im2col), and each column is reduced. The gradients are those of
// im2col and of max or mean: nothing new to derive.

function windows(op: string, x: Tensor, kernel: Size2, options: Conv2dOptions, padValue: number) {
  const g = convGeometry(op, x, kernel, options.stride ?? kernel, options.padding ?? 0);
  const [kh, kw] = [g.kernelH, g.kernelW];
  if (2 * g.padH > kh || 2 * g.padW > kw) {
    throw new RangeError(`${op}: padding ${g.padH},${g.padW} is more than half the ${kh}x${kw} kernel`);
  }
  const planes = reshape(x, [g.batch * g.channels, 1, g.height, g.width]);
  const rows = im2col(planes, [kh, kw], {
    stride: [g.strideH, g.strideW],
    padding: [g.padH, g.padW],
    padValue,
  });
  return { rows, shape: [g.batch, g.channels, g.outH, g.outW] };
}

/**
 * Max pooling of NCHW `x`: the largest number in each `kernel` window (stride defaults to the
 * kernel size; padding counts as −∞). The gradient goes to the first maximum of each window.
 *
 * @example
 * maxPool2d(x, 2).shape; // [64, 8, 28, 28] -> [64, 8, 14, 14]
 */
export function maxPool2d(x: Tensor, kernel: Size2, options: Conv2dOptions = {}): Tensor {
  const { rows, shape } = windows("maxPool2d", x, kernel, options, Number.NEGATIVE_INFINITY);
  return reshape(max(rows, { axis: 0 }), shape);
}

/**
 * Average pooling of NCHW `x`: the mean of each `kernel` window (stride defaults to the kernel
 * size; padding counts as zeros and is included in the mean, as PyTorch's default).
 *
 * @example
 * avgPool2d(x, 2).shape; // [64, 8, 28, 28] -> [64, 8, 14, 14]
 */
export function avgPool2d(x: Tensor, kernel: Size2, options: Conv2dOptions = {}): Tensor {
  const { rows, shape } = windows("avgPool2d", x, kernel, options, 0);
  return reshape(mean(rows, { axis: 0 }), shape);
}
