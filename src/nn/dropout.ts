import { Rng } from "../engine/random.ts";
import { mul } from "../tensor/ops/elementwise.ts";
import { allocate, Tensor } from "../tensor/tensor.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * Dropout: while training, zeroes each input with probability `p` and scales the rest by
 * 1/(1−p), so nothing changes on average; in evaluation mode it passes inputs through.
 * The dropped positions come from a seeded rng, so runs repeat exactly.
 *
 * @example
 * const net = new Sequential(new Linear(784, 128), new ActivationLayer("relu"), new Dropout(0.2), new Linear(128, 10));
 * net.eval(); // dropout off for evaluation
 */
export class Dropout extends TensorModule {
  /** Probability of zeroing each element while training. */
  readonly p: number;
  readonly #rng: Rng;

  constructor(p: number, options: { readonly seed?: number; readonly rng?: Rng } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
    this.p = p;
    this.#rng = options.rng ?? new Rng(options.seed ?? 1337);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const mask = allocate(x.dtype, x.size);
    const keep = 1 / (1 - this.p);
    for (let i = 0; i < mask.length; i++) mask[i] = this.#rng.next() < this.p ? 0 : keep;
    return mul(x, new Tensor(mask, x.shape));
  }

  /** The generator of the dropped positions (none when `p` is 0: nothing is drawn). */
  override rngs(): Rng[] {
    return this.p > 0 ? [this.#rng] : [];
  }

  parameters(): Tensor[] {
    return [];
  }

  /** `Dropout(p=0.1)`. */
  override toString(): string {
    return `Dropout(p=${this.p})`;
  }
}
