import { add, tanh } from "../tensor/ops/elementwise.ts";
import { crossEntropy } from "../tensor/ops/loss.ts";
import { matmul } from "../tensor/ops/matmul.ts";
import { indexSelect, reshape } from "../tensor/ops/movement.ts";
import { noGrad, Tensor } from "../tensor/tensor.ts";
import type { LanguageModelConfig } from "./mlp-language-model.ts";

/**
 * The language model's forward pass written with the library's tensor ops (`indexSelect` as
 * the embedding lookup, `matmul`, `tanh`, `crossEntropy`), and its backward pass left to
 * `Tensor.backward()`. The tensors are views over the model's own `params` and `grads`, so
 * this engine and the fused kernels train the very same numbers and can be swapped at any
 * step; the tests check they agree.
 */
export class TensorLanguageModelGraph {
  readonly #config: LanguageModelConfig;
  readonly #grads: Float64Array;
  readonly #C: Tensor;
  readonly #W1: Tensor;
  readonly #b1: Tensor;
  readonly #W2: Tensor;
  readonly #b2: Tensor;

  constructor(
    config: LanguageModelConfig,
    params: Float64Array,
    grads: Float64Array,
    offsets: readonly number[],
  ) {
    const { vocabSize: V, context: n, embed: E, hidden: H } = config;
    const shapes = [[V, E], [n * E, H], [H], [H, V], [V]];
    const leaves = shapes.map((shape, i) => {
      const t = new Tensor(params.subarray(offsets[i], offsets[i + 1]), shape, { requiresGrad: true });
      // Gradients land straight in the model's gradient block.
      t.grad = new Tensor(grads.subarray(offsets[i], offsets[i + 1]), shape);
      return t;
    });
    this.#config = config;
    this.#grads = grads;
    [this.#C, this.#W1, this.#b1, this.#W2, this.#b2] = leaves;
  }

  /** Mean cross-entropy of `rows` rows; writes its gradient into the model's `grads`. */
  lossAndGrad(x: Int32Array, y: Int32Array, rows: number): number {
    const loss = this.#loss(x, y, rows);
    this.#grads.fill(0);
    loss.backward();
    return loss.item();
  }

  /** Total cross-entropy (a sum) of the first `rows` rows, without recording a graph. */
  totalLoss(x: Int32Array, y: Int32Array, rows: number): number {
    return noGrad(() => this.#loss(x, y, rows).item() * rows);
  }

  #loss(x: Int32Array, y: Int32Array, rows: number): Tensor {
    const { context: n, embed: E } = this.#config;
    const emb = reshape(indexSelect(this.#C, 0, x.subarray(0, rows * n)), [rows, n * E]);
    const h = tanh(add(matmul(emb, this.#W1), this.#b1));
    const logits = add(matmul(h, this.#W2), this.#b2);
    return crossEntropy(logits, y.subarray(0, rows));
  }
}
