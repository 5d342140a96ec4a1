import { Tensor } from "../tensor/tensor.ts";
import type { TensorTrainingData } from "../train/fit-tensor.ts";

/**
 * Training examples for a language model: each row is the ids of the `context` previous tokens
 * and the id of the token that follows. Every example (a name, a line) is read from a start made
 * of `context` copies of `<eos>` and ends by predicting `<eos>`.
 *
 * @example
 * const { x, y, count, context }: Windows = makeWindows(names, (s) => tok.encode(s), tok.eos, 3);
 */
export interface Windows {
  /** Previous-token ids, `count × context`, row-major. */
  readonly x: Int32Array;
  /** The next token of each row. */
  readonly y: Int32Array;
  /** Number of rows (predictions). */
  readonly count: number;
  /** Tokens of context per row. */
  readonly context: number;
  /** Characters these predictions cover (each example's characters + 1 for its end): the denominator of nats per character. */
  readonly chars: number;
}

/**
 * The windows of `examples`, each encoded by `encode`, with `eos` as the start padding and the end.
 *
 * @example
 * const windows = makeWindows(["ab"], (s) => tok.encode(s), tok.eos, 2);
 * // rows: [eos, eos] -> a, [eos, a] -> b, [a, b] -> eos
 */
export function makeWindows(
  examples: readonly string[],
  encode: (text: string) => number[],
  eos: number,
  context: number,
): Windows {
  if (!Number.isInteger(context) || context < 1)
    throw new RangeError(`makeWindows: context must be an integer >= 1, got ${context}`);
  const encoded = examples.map((e) => encode(e));
  const count = encoded.reduce((n, ids) => n + ids.length + 1, 0);
  const x = new Int32Array(count * context);
  const y = new Int32Array(count);
  let chars = 0;
  let row = 0;
  const ctx = new Int32Array(context);
  for (const [k, ids] of encoded.entries()) {
    chars += [...examples[k]].length + 1;
    ctx.fill(eos);
    for (let i = 0; i <= ids.length; i++) {
      const next = i < ids.length ? ids[i] : eos;
      x.set(ctx, row * context);
      y[row++] = next;
      ctx.copyWithin(0, 1);
      ctx[context - 1] = next;
    }
  }
  return { x, y, count, context, chars };
}

/**
 * The windows of a running text of token ids whose targets are `ids[from..to)`: each row holds
 * the `context` ids before its target (`eos` before the text's start), so the first target
 * sees only what comes before it in `ids`. Every target is one character.
 *
 * @example
 * textWindows([5, 6, 7], 2, 0, 1, 3); // x [0, 5, 5, 6], y [6, 7]
 */
export function textWindows(
  ids: ArrayLike<number>,
  context: number,
  eos: number,
  from: number,
  to: number,
): Windows {
  if (!Number.isInteger(context) || context < 1)
    throw new RangeError(`textWindows: context must be an integer >= 1, got ${context}`);
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= ids.length))
    throw new RangeError(`textWindows: targets [${from}, ${to}) are not within the ${ids.length} ids`);
  const count = to - from;
  const x = new Int32Array(count * context);
  const y = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const at = from + r;
    for (let k = 0; k < context; k++) {
      const i = at - context + k;
      x[r * context + k] = i < 0 ? eos : ids[i];
    }
    y[r] = ids[at];
  }
  return { x, y, count, context, chars: count };
}

/**
 * The windows as `fit`'s data: `x` the `[count, context]` token ids (a float64 tensor), `y` the
 * next token of each row. A language model trains and is evaluated on them as any classifier
 * (the loss `softmax`: cross-entropy in nats per token).
 *
 * @example
 * fit(model, windowTensors(train), { optimizer: "adam", batch: 32, validation: windowTensors(val) });
 */
export function windowTensors(windows: Windows): TensorTrainingData {
  const { x, y, count, context } = windows;
  return { x: new Tensor(Float64Array.from(x), [count, context]), y };
}
