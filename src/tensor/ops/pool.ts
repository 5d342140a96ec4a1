import { backend, type Data } from "../backend.ts";
import { allocate, gradFor, result, type Tensor } from "../tensor.ts";
import { type Conv2dOptions, convGeometry, im2col, type Size2 } from "./conv.ts";
import { reshape } from "./movement.ts";
import { max, mean } from "./reduce.ts";

// Pooling is a reduction over windows: each channel is treated as its own one-channel image,
// its windows become columns (im2col), and each column is reduced. The gradients are those of
// im2col and of max or mean: nothing new to derive.

/** The pooling windows' geometry (stride defaults to the kernel), padding at most half a window. */
function poolGeometry(op: string, x: Tensor, kernel: Size2, options: Conv2dOptions) {
  const g = convGeometry(op, x, kernel, options.stride ?? kernel, options.padding ?? 0);
  if (2 * g.padH > g.kernelH || 2 * g.padW > g.kernelW) {
    throw new RangeError(
      `${op}: padding ${g.padH},${g.padW} is more than half the ${g.kernelH}x${g.kernelW} kernel`,
    );
  }
  return g;
}

function windows(op: string, x: Tensor, kernel: Size2, options: Conv2dOptions, padValue: number) {
  const g = poolGeometry(op, x, kernel, options);
  const [kh, kw] = [g.kernelH, g.kernelW];
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
  // One pass over each window, remembering where its maximum was, and a backward that adds
  // each gradient there: the composition below (windows copied out, reduced, copied back)
  // moved every number three more times. Tested against it.
  if (x.dtype === "float32" && backend().alloc !== undefined) {
    return maxPool2dComposite(x, kernel, options); // a device backend: every step a kernel there
  }
  const g = poolGeometry("maxPool2d", x, kernel, options);
  const { height: H, width: W, kernelH: KH, kernelW: KW, strideH: SH, strideW: SW } = g;
  const { padH: PH, padW: PW, outH: OH, outW: OW } = g;
  const planes = g.batch * g.channels;
  const out = allocate(x.dtype, planes * OH * OW);
  const from = new Int32Array(out.length); // where each maximum was read, −1 for padding
  const data = x.data;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oy = 0; oy < OH; oy++) {
      // the first maximum in window order wins, as in max(); a NaN wins over numbers
      if (PH === 0 && PW === 0) {
        // no padding: every window lies inside the image
        for (let ox = 0; ox < OW; ox++, o++) {
          const corner = plane + oy * SH * W + ox * SW;
          let best = data[corner];
          let at = corner;
          for (let ky = 0; ky < KH; ky++) {
            for (let kx = ky === 0 ? 1 : 0; kx < KW; kx++) {
              const i = corner + ky * W + kx;
              const v = data[i];
              if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
                best = v;
                at = i;
              }
            }
          }
          out[o] = best;
          from[o] = at;
        }
        continue;
      }
      for (let ox = 0; ox < OW; ox++, o++) {
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        let first = true;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * SH - PH + ky;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * SW - PW + kx;
            const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
            const v = inside ? data[plane + iy * W + ix] : Number.NEGATIVE_INFINITY;
            if (first || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
              best = v;
              at = inside ? plane + iy * W + ix : -1;
              first = false;
            }
          }
        }
        out[o] = best;
        from[o] = at;
      }
    }
  }
  return result("maxPool2d", out, [g.batch, g.channels, OH, OW], [x], (g) => {
    // host storage: this loop runs only on backends that keep numbers in typed arrays
    const grad = g as Data;
    const gx = gradFor(x) as Data | null;
    if (gx === null) return;
    for (let i = 0; i < grad.length; i++) if (from[i] >= 0) gx[from[i]] += grad[i];
  });
}

/**
 * @internal The composition `maxPool2d` computes in one pass, kept as its reference: the
 * windows as columns (im2col, padding −∞) reduced by `max`.
 *
 * @example
 * maxPool2dComposite(x, 2).shape; // [64, 8, 28, 28] -> [64, 8, 14, 14], as maxPool2d
 */
export function maxPool2dComposite(x: Tensor, kernel: Size2, options: Conv2dOptions = {}): Tensor {
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
