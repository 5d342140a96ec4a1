import { Rng } from "../engine/random.ts";
import { einsum } from "../tensor/ops/einsum.ts";
import { mul } from "../tensor/ops/elementwise.ts";
import { causalMask, maskedFill } from "../tensor/ops/mask.ts";
import { reshape, slice, transpose } from "../tensor/ops/movement.ts";
import { softmaxTensor } from "../tensor/ops/softmax.ts";
import { shapeText } from "../tensor/shape.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { Dropout } from "./dropout.ts";
import { Linear } from "./linear.ts";
import { namedParametersOf } from "./module.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * How an attention layer is built.
 *
 * @example
 * new CausalSelfAttention({ embd: 64, heads: 4, dropout: 0.1, seed: 1 });
 */
export interface AttentionOptions {
  /** Width of each position's vector (a multiple of `heads`). */
  readonly embd: number;
  /** Number of heads; each sees `embd / heads` numbers of every query, key and value. */
  readonly heads: number;
  /** Dropout on the attention weights and on the output (default 0). */
  readonly dropout?: number;
  /** float32 (default) or float64. */
  readonly dtype?: DType;
  /** Generator of the initial weights and of the dropped positions. */
  readonly rng?: Rng;
}

/**
 * Multi-head causal self-attention, as in GPT-2 and nanoGPT: one linear layer `c_attn` makes
 * each position's query, key and value; each head scores every query against the keys of its
 * position and the earlier ones (`q·k / √d`, later positions masked to −∞), turns the scores
 * into weights with a softmax, and averages the values with them; `c_proj` mixes the heads.
 * Input and output are `[batch, time, embd]`.
 *
 * @example
 * const attn = new CausalSelfAttention({ embd: 64, heads: 4 });
 * attn.forward(x).shape; // x's shape, [batch, time, 64]
 */
export class CausalSelfAttention extends TensorModule {
  /** Queries, keys and values of every head: `[embd, 3·embd]`, with bias. */
  readonly c_attn: Linear;
  /** The output projection: `[embd, embd]`, with bias. */
  readonly c_proj: Linear;
  /** Number of heads. */
  readonly heads: number;
  /** Dropout on the attention weights. */
  readonly attnDropout: Dropout;
  /** Dropout on the output. */
  readonly residDropout: Dropout;
  /** The attention weights (`[batch, heads, time, time]`) of the last forward pass, when `keepAttention` is on. */
  lastAttention: Tensor | null = null;
  /** Keep the attention weights of each forward pass in `lastAttention` (to draw them). */
  keepAttention = false;

  constructor(options: AttentionOptions) {
    super();
    const { embd, heads, dropout = 0, dtype } = options;
    if (!Number.isInteger(heads) || heads < 1 || embd % heads !== 0) {
      throw new RangeError(`CausalSelfAttention: embd ${embd} must be a multiple of heads ${heads}`);
    }
    const rng = options.rng ?? new Rng(1337);
    this.heads = heads;
    this.c_attn = new Linear(embd, 3 * embd, { dtype, rng });
    this.c_proj = new Linear(embd, embd, { dtype, rng });
    this.attnDropout = new Dropout(dropout, { rng });
    this.residDropout = new Dropout(dropout, { rng });
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 || x.shape[2] !== this.c_attn.nin) {
      throw new RangeError(
        `CausalSelfAttention: expected [batch, time, ${this.c_attn.nin}], got ${shapeText(x.shape)}`,
      );
    }
    const [b, t, c] = x.shape;
    const h = this.heads;
    const d = c / h;
    const qkv = this.c_attn.forward(x);
    // [batch, time, embd] -> [batch, heads, time, d] for each of q, k, v
    const part = (i: number): Tensor =>
      transpose(reshape(slice(qkv, [null, null, [i * c, (i + 1) * c]]), [b, t, h, d]), [0, 2, 1, 3]);
    const [q, k, v] = [part(0), part(1), part(2)];
    // a float32 model's scale is rounded to float32, as PyTorch's is (and wasm then runs the product)
    const scale = x.dtype === "float32" ? Math.fround(1 / Math.sqrt(d)) : 1 / Math.sqrt(d);
    const scores = mul(einsum("bhtd,bhsd->bhts", q, k), scale);
    const weights = softmaxTensor(maskedFill(scores, causalMask(t), Number.NEGATIVE_INFINITY));
    if (this.keepAttention) this.lastAttention = weights.detach();
    const y = einsum("bhts,bhsd->bthd", this.attnDropout.forward(weights), v);
    return this.residDropout.forward(this.c_proj.forward(reshape(y, [b, t, c])));
  }

  parameters(): Tensor[] {
    return [...this.c_attn.parameters(), ...this.c_proj.parameters()];
  }

  /** `c_attn.weight`, `c_attn.bias`, `c_proj.weight`, `c_proj.bias`. */
  override namedParameters(): [string, Tensor][] {
    return [...namedParametersOf("c_attn", this.c_attn), ...namedParametersOf("c_proj", this.c_proj)];
  }

  override train(mode = true): this {
    super.train(mode);
    this.attnDropout.train(mode);
    this.residDropout.train(mode);
    return this;
  }

  override rngs(): Rng[] {
    return [...this.attnDropout.rngs(), ...this.residDropout.rngs()];
  }

  /** `CausalSelfAttention(64, 4 heads)`. */
  override toString(): string {
    return `CausalSelfAttention(${this.c_attn.nin}, ${this.heads} heads)`;
  }
}
