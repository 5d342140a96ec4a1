/** The saved form of a character tokenizer: its specials and its characters, in id order. */
export interface CharTokenizerJSON {
  readonly kind: "char";
  readonly specials: readonly string[];
  readonly chars: readonly string[];
}

/** The saved form of a byte-pair tokenizer: its specials and its merges, in the order learnt. */
export interface BPETokenizerJSON {
  readonly kind: "bpe";
  readonly specials: readonly string[];
  readonly endOfWord: boolean;
  readonly merges: readonly (readonly [number, number])[];
}

/** The saved vocabulary of any tokenizer. */
export type TokenizerJSON = CharTokenizerJSON | BPETokenizerJSON;

/**
 * Text to token ids and back. Every tokenizer round-trips any string: `decode(encode(s)) === s`,
 * including characters it never saw (they fall back to byte-level tokens). Special tokens such
 * as `<eos>` are never produced by `encode` and decode to nothing.
 */
export interface Tokenizer {
  /** Which kind of tokenizer, as saved. */
  readonly kind: TokenizerJSON["kind"];
  /** Number of token ids: ids run from 0 to vocabSize - 1. */
  readonly vocabSize: number;
  /** The special tokens, by name, with their ids (always including `<eos>`). */
  readonly specials: ReadonlyMap<string, number>;
  /** The id of `<eos>`: the end of an example (a line, a name), also used as the start context. */
  readonly eos: number;
  /** The token ids of `text`. */
  encode(text: string): number[];
  /** The text of `ids` (special tokens decode to nothing). */
  decode(ids: readonly number[]): string;
  /** A printable form of one token, for tables and debugging (`<eos>`, `a`, `ing</w>`, `<0xE2>`). */
  tokenString(id: number): string;
  /** The vocabulary as plain JSON data; `tokenizerFromJSON` reads it back. */
  toJSON(): TokenizerJSON;
}

/** The end-of-example token every tokenizer has, at id 0. */
export const EOS = "<eos>";

/** Throws unless `id` is a token id of a vocabulary of `size` ids. */
export function checkId(op: string, id: number, size: number): void {
  if (!Number.isInteger(id) || id < 0 || id >= size) {
    throw new RangeError(`${op}: token id ${id} is not in the vocabulary [0, ${size})`);
  }
}

/** Validates a list of special-token names: distinct, non-empty, `<eos>` first. */
export function checkSpecials(op: string, specials: readonly string[]): void {
  if (specials[0] !== EOS)
    throw new Error(`${op}: the first special token must be "${EOS}", got ${JSON.stringify(specials[0])}`);
  const seen = new Set<string>();
  for (const s of specials) {
    if (typeof s !== "string" || s.length === 0)
      throw new Error(`${op}: bad special token ${JSON.stringify(s)}`);
    if (seen.has(s)) throw new Error(`${op}: special token ${JSON.stringify(s)} is listed twice`);
    seen.add(s);
  }
}
