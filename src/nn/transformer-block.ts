import type { Rng } from "../engine/random.ts";
import { add } from "../tensor/ops/elementwise.ts";
import { gelu } from "../tensor/ops/gelu.ts";
import type { DType, Tensor } from "../tensor/tensor.ts";
import { CausalSelfAttention } from "./attention.ts";
import { Dropout } from "./dropout.ts";
import { LayerNorm } from "./layer-norm.ts";
import { Linear } from "./linear.ts";
import { namedParametersOf } from "./module.ts";
import { TensorModule } from "./tensor-module.ts";

/**
 * The position-wise MLP of a transformer block: `c_fc` to 4·embd, GELU (tanh approximation),
 * `c_proj` back to embd, dropout.
 *
 * @example
 * new TransformerMLP(64, { rng: new Rng(1) }).forward(x); // [batch, time, 64] in and out
 */
export class TransformerMLP extends TensorModule {
  /** `[embd, 4·embd]`, with bias. */
  readonly c_fc: Linear;
  /** `[4·embd, embd]`, with bias. */
  readonly c_proj: Linear;
  /** Dropout on the output. */
  readonly dropout: Dropout;

  constructor(
    embd: number,
    options: { readonly dropout?: number; readonly dtype?: DType; readonly rng: Rng },
  ) {
    super();
    const { dtype, rng } = options;
    this.c_fc = new Linear(embd, 4 * embd, { dtype, rng });
    this.c_proj = new Linear(4 * embd, embd, { dtype, rng });
    this.dropout = new Dropout(options.dropout ?? 0, { rng });
  }

  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.c_proj.forward(gelu(this.c_fc.forward(x))));
  }

  parameters(): Tensor[] {
    return [...this.c_fc.parameters(), ...this.c_proj.parameters()];
  }

  /** `c_fc.weight`, `c_fc.bias`, `c_proj.weight`, `c_proj.bias`. */
  override namedParameters(): [string, Tensor][] {
    return [...namedParametersOf("c_fc", this.c_fc), ...namedParametersOf("c_proj", this.c_proj)];
  }

  override train(mode = true): this {
    super.train(mode);
    this.dropout.train(mode);
    return this;
  }

  override rngs(): Rng[] {
    return this.dropout.rngs();
  }
}

/**
 * One transformer block in GPT-2's pre-norm form: `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))`.
 * The residual paths carry each position's vector through unchanged, so deep stacks train.
 *
 * @example
 * const block = new Block({ embd: 64, heads: 4, rng: new Rng(1) });
 * block.forward(x); // [batch, time, 64] in and out
 */
export class Block extends TensorModule {
  /** Normalises the attention's input. */
  readonly ln_1: LayerNorm;
  /** Causal self-attention. */
  readonly attn: CausalSelfAttention;
  /** Normalises the MLP's input. */
  readonly ln_2: LayerNorm;
  /** The position-wise MLP. */
  readonly mlp: TransformerMLP;

  constructor(options: {
    readonly embd: number;
    readonly heads: number;
    readonly dropout?: number;
    readonly dtype?: DType;
    readonly rng: Rng;
  }) {
    super();
    const { embd, dtype } = options;
    this.ln_1 = new LayerNorm(embd, { dtype });
    this.attn = new CausalSelfAttention(options);
    this.ln_2 = new LayerNorm(embd, { dtype });
    this.mlp = new TransformerMLP(embd, options);
  }

  forward(x: Tensor): Tensor {
    const afterAttention = add(x, this.attn.forward(this.ln_1.forward(x)));
    return add(afterAttention, this.mlp.forward(this.ln_2.forward(afterAttention)));
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** `ln_1.*`, `attn.*`, `ln_2.*`, `mlp.*`, in nanoGPT's order. */
  override namedParameters(): [string, Tensor][] {
    return [
      ...namedParametersOf("ln_1", this.ln_1),
      ...namedParametersOf("attn", this.attn),
      ...namedParametersOf("ln_2", this.ln_2),
      ...namedParametersOf("mlp", this.mlp),
    ];
  }

  override train(mode = true): this {
    super.train(mode);
    this.attn.train(mode);
    this.mlp.train(mode);
    return this;
  }

  override rngs(): Rng[] {
    return [...this.attn.rngs(), ...this.mlp.rngs()];
  }
}
