import { Rng } from "../engine/random.ts";

/**
 * The examples of a text corpus: one per line (`\n` or `\r\n`), blank lines dropped. Throws a
 * clear error on an empty corpus or on one that looks binary (control characters other than tab).
 * `source` names the corpus in the messages (a file name).
 *
 * @example
 * const names = parseCorpus(readFileSync("names.txt", "utf8"), "names.txt"); // one example per non-empty line
 */
export function parseCorpus(text: string, source = "corpus"): string[] {
  const lines = text.split("\n");
  const examples: string[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const bad = firstControl(line);
    if (bad >= 0) {
      const code = line.charCodeAt(bad).toString(16).toUpperCase().padStart(4, "0");
      throw new Error(
        `${source} line ${i + 1}: looks binary (control character U+${code}); expected text, one example per line`,
      );
    }
    if (line.trim().length > 0) examples.push(line);
  }
  if (examples.length === 0)
    throw new Error(`${source}: no examples (empty or blank); expected text, one example per line`);
  return examples;
}

/**
 * The examples with repeats removed, each kept where it first occurs. Split a corpus only after
 * this, so that no test example is one the model trained on (the names corpus joins two lists in
 * which unisex names stand twice: 8,849 entries, 8,422 distinct).
 *
 * @example
 * uniqueExamples(["ann", "bo", "ann"]); // ["ann", "bo"]
 */
export function uniqueExamples(examples: readonly string[]): string[] {
  return [...new Set(examples)];
}

/**
 * A corpus cut three ways.
 *
 * @example
 * const parts: CorpusSplit<string> = splitCorpus(names);
 */
export interface CorpusSplit<T> {
  /** Examples to train on. */
  readonly train: readonly T[];
  /** Examples to choose with (validation). */
  readonly val: readonly T[];
  /** Examples to report on, once. */
  readonly test: readonly T[];
}

/**
 * Options of `splitCorpus`.
 *
 * @example
 * splitCorpus(lines, { seed: 2, fractions: [0.9, 0.05] });
 */
export interface SplitOptions {
  /** Seed of the shuffle (default 1337). */
  readonly seed?: number;
  /** Fractions for train and validation; test gets the rest (default [0.8, 0.1]). */
  readonly fractions?: readonly [number, number];
}

/**
 * Shuffles `items` with a seed and cuts them into train, validation and test (80/10/10 by default).
 *
 * @example
 * const { train, val, test } = splitCorpus(names, { seed: 1, fractions: [0.8, 0.1] });
 */
export function splitCorpus<T>(items: readonly T[], options: SplitOptions = {}): CorpusSplit<T> {
  const { seed = 1337, fractions = [0.8, 0.1] } = options;
  const [ft, fv] = fractions;
  if (!(ft > 0 && fv >= 0 && ft + fv <= 1)) {
    throw new RangeError(
      `splitCorpus: fractions must be train > 0, val >= 0, train + val <= 1, got [${ft}, ${fv}]`,
    );
  }
  const order = new Rng(seed).permutation(items.length);
  const shuffled = order.map((i) => items[i]);
  const a = Math.floor(ft * items.length);
  const b = Math.floor((ft + fv) * items.length);
  return { train: shuffled.slice(0, a), val: shuffled.slice(a, b), test: shuffled.slice(b) };
}

/** Index of the first control character other than tab in `line`, or -1. */
function firstControl(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return i;
  }
  return -1;
}
