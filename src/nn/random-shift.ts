import { Rng } from "../engine/random.ts";
import { zeros } from "../tensor/create.ts";
import { concat, indexSelect, reshape } from "../tensor/ops/movement.ts";
import { shapeText } from "../tensor/shape.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * Data augmentation for images: while training, moves each NCHW image by a random whole
 * number of pixels, up to `pixels` each way along each axis, filling with zeros; in
 * evaluation mode it passes images through. The moves come from a seeded rng, so runs repeat.
 *
 * @example
 * const net = new Sequential(new Unflatten([1, 28, 28]), new RandomShift(2), new Conv2d(1, 8, 5));
 */
export class RandomShift extends TensorModule {
  /** The largest move, in pixels, along each axis. */
  readonly pixels: number;
  readonly #rng: Rng;

  constructor(pixels: number, options: { readonly seed?: number; readonly rng?: Rng } = {}) {
    super();
    if (!Number.isInteger(pixels) || pixels < 0)
      throw new RangeError(`RandomShift: pixels must be an integer >= 0, got ${pixels}`);
    this.pixels = pixels;
    this.#rng = options.rng ?? new Rng(options.seed ?? 1337);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.pixels === 0) return x;
    if (x.ndim !== 4) throw new RangeError(`RandomShift: expected NCHW images, got ${shapeText(x.shape)}`);
    const [n, c, h, w] = x.shape;
    // Output pixel (y, x) reads input (y - dy, x - dx), or the appended zero when outside.
    const zero = x.size;
    const from = new Int32Array(x.size);
    const span = 2 * this.pixels + 1;
    let o = 0;
    for (let i = 0; i < n; i++) {
      const dy = Math.floor(this.#rng.next() * span) - this.pixels;
      const dx = Math.floor(this.#rng.next() * span) - this.pixels;
      for (let ch = 0; ch < c; ch++) {
        const plane = (i * c + ch) * h * w;
        for (let y = 0; y < h; y++) {
          const sy = y - dy;
          for (let xx = 0; xx < w; xx++) {
            const sx = xx - dx;
            from[o++] = sy >= 0 && sy < h && sx >= 0 && sx < w ? plane + sy * w + sx : zero;
          }
        }
      }
    }
    const padded = concat([reshape(x, [x.size]), zeros([1], { dtype: x.dtype })]);
    return reshape(indexSelect(padded, 0, from), x.shape);
  }

  /** The generator of the moves (none when `pixels` is 0). */
  override rngs(): Rng[] {
    return this.pixels > 0 ? [this.#rng] : [];
  }

  parameters(): Tensor[] {
    return [];
  }
}
