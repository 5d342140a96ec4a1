import { Rng } from "../engine/random.ts";
import { zeros } from "../tensor/create.ts";
import { type Conv2dOptions, conv2d, type Size2 } from "../tensor/ops/conv.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { INITS, type Init, initialWeight } from "./init.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * How a `Conv2d` layer is built: window movement, initialisation, bias, dtype, seed.
 *
 * @example
 * new Conv2d(1, 8, 5, { padding: 2, init: "he", seed: 1 });
 */
export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Weight initialisation, with fan-in `in·kh·kw` (default `he`, for ReLU networks). */
  readonly init?: Init;
  /** Whether to add a bias (default true; a batch norm after the layer makes it redundant). */
  readonly bias?: boolean;
  /** float32 (default) or float64. */
  readonly dtype?: DType;
  /** Seed of the initial weights (default 1337); or pass `rng`. */
  readonly seed?: number;
  /** Generator of the initial weights (instead of `seed`). */
  readonly rng?: Rng;
}

/**
 * A 2-D convolution layer on NCHW images: `out` filters of `in × kh × kw` slide over the input.
 * `weight` is `[out, in, kh, kw]` and `bias` `[out]`, PyTorch's `Conv2d` layout.
 *
 * @example
 * const conv = new Conv2d(1, 8, 5, { padding: 2 });
 * conv.forward(images).shape; // [64, 1, 28, 28] -> [64, 8, 28, 28]
 */
export class Conv2d extends TensorModule {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels (filters). */
  readonly outChannels: number;
  /** `[kh, kw]`. */
  readonly kernelSize: readonly [number, number];
  /** `[sh, sw]`. */
  readonly stride: readonly [number, number];
  /** `[ph, pw]`. */
  readonly padding: readonly [number, number];
  /** `[out, in, kh, kw]`. */
  readonly weight: Tensor;
  /** `[out]`, or null without bias. */
  readonly bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dLayerOptions = {}) {
    super();
    const two = (v: Size2): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);
    const checks: [string, number, number][] = [
      ["input channels", inChannels, 1],
      ["output channels", outChannels, 1],
      ...two(kernelSize).map((n): [string, number, number] => ["kernel size", n, 1]),
      ...two(options.stride ?? 1).map((n): [string, number, number] => ["stride", n, 1]),
      ...two(options.padding ?? 0).map((n): [string, number, number] => ["padding", n, 0]),
    ];
    for (const [what, n, min] of checks) {
      if (!Number.isInteger(n) || n < min)
        throw new RangeError(`Conv2d: ${what} must be an integer >= ${min}, got ${n}`);
    }
    const { init = "he", bias = true, dtype = "float32" } = options;
    if (!INITS.includes(init))
      throw new RangeError(`Conv2d: unknown init "${init}" (use ${INITS.join(", ")})`);
    const rng = options.rng ?? new Rng(options.seed ?? 1337);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = two(kernelSize);
    this.stride = two(options.stride ?? 1);
    this.padding = two(options.padding ?? 0);
    const [kh, kw] = this.kernelSize;
    this.weight = zeros([outChannels, inChannels, kh, kw], { dtype, requiresGrad: true });
    const fanIn = inChannels * kh * kw;
    const fanOut = outChannels * kh * kw;
    for (let i = 0; i < this.weight.size; i++) this.weight.data[i] = initialWeight(init, fanIn, fanOut, rng);
    this.bias = bias ? zeros([outChannels], { dtype, requiresGrad: true }) : null;
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
  }

  parameters(): Tensor[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }
}
