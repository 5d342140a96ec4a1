/**
 * Training examples for a language model: each row is the ids of the `context` previous tokens
 * and the id of the token that follows. Every example (a name, a line) is read from a start made
 * of `context` copies of `<eos>` and ends by predicting `<eos>`.
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

/** The windows of `examples`, each encoded by `encode`, with `eos` as the start padding and the end. */
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
