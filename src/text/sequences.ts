import type { TensorModule } from "../nn/tensor-module.ts";
import { Tensor } from "../tensor/tensor.ts";
import { evaluateTensor } from "../train/evaluate-tensor.ts";
import type { TensorTrainingData } from "../train/fit-tensor.ts";

/**
 * Training sequences for a GPT: each row is `block` token ids, and each position's target is
 * the token after it (-1 where a row is padding, which counts for nothing).
 *
 * @example
 * const { x, y, count, block }: Sequences = exampleSequences([[3, 1]], 0, 4);
 */
export interface Sequences {
  /** Token ids, `count × block`, row-major. */
  readonly x: Float32Array;
  /** The next token at each position, `count × block` (-1: padding). */
  readonly y: Int32Array;
  /** Number of rows. */
  readonly count: number;
  /** Positions per row. */
  readonly block: number;
  /** Characters the targets cover: the denominator of nats per character. */
  readonly chars: number;
}

/**
 * One row per example (a name): `<eos>` then the example's tokens, padded with `<eos>` to
 * `block`; the targets are the tokens, then `<eos>`, then padding (-1). `block` must be at
 * least the longest example's length + 1.
 *
 * @example
 * exampleSequences([[3, 1]], 0, 4); // x [0, 3, 1, 0], y [3, 1, 0, -1]
 */
export function exampleSequences(
  examples: readonly (readonly number[])[],
  eos: number,
  block: number,
  chars?: readonly number[],
): Sequences {
  const count = examples.length;
  const x = new Float32Array(count * block).fill(eos);
  const y = new Int32Array(count * block).fill(-1);
  let total = 0;
  examples.forEach((ids, r) => {
    if (ids.length + 1 > block)
      throw new RangeError(
        `exampleSequences: example ${r} has ${ids.length} tokens; block ${block} holds at most ${block - 1}`,
      );
    x.set(ids, r * block + 1);
    y.set(ids, r * block);
    y[r * block + ids.length] = eos;
    total += (chars?.[r] ?? ids.length) + 1;
  });
  return { x, y, count, block, chars: total };
}

/**
 * Rows cut from one running text of token ids: a row of `block` ids starts every `stride`
 * tokens, and its targets are the same ids shifted by one. With `stride` = `block` the rows
 * are consecutive and do not overlap (how validation text is scored).
 *
 * @example
 * textSequences([5, 6, 7, 8, 9], 2, 2); // x [5, 6, 7, 8], y [6, 7, 8, 9]
 */
export function textSequences(ids: ArrayLike<number>, block: number, stride: number): Sequences {
  if (!(Number.isInteger(stride) && stride >= 1))
    throw new RangeError(`textSequences: stride must be an integer >= 1, got ${stride}`);
  const count = ids.length > block ? Math.floor((ids.length - 1 - block) / stride) + 1 : 0;
  const x = new Float32Array(count * block);
  const y = new Int32Array(count * block);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < block; i++) {
      x[r * block + i] = ids[r * stride + i];
      y[r * block + i] = ids[r * stride + i + 1];
    }
  }
  return { x, y, count, block, chars: count * block };
}

/**
 * The sequences as `fit`'s data: `x` the `[count, block]` ids, `y` the targets, `block` per row.
 *
 * @example
 * fit(gpt, sequenceTensors(train), { optimizer: "adamw", batch: 32, validation: sequenceTensors(val) });
 */
export function sequenceTensors(s: Sequences): TensorTrainingData {
  return { x: new Tensor(s.x, [s.count, s.block]), y: s.y };
}

/**
 * A sequence model's cross-entropy on `s` in nats per character (NaN when there are none).
 *
 * @example
 * sequenceLossPerChar(gpt, valSequences); // nats per character on held-out text
 */
export function sequenceLossPerChar(model: TensorModule, s: Sequences): number {
  if (s.count === 0) return Number.NaN;
  const { loss, count } = evaluateTensor(model, sequenceTensors(s), { loss: "softmax" });
  return (loss * count) / s.chars;
}
