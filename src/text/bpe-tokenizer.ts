import { type BPETokenizerJSON, checkId, checkSpecials, EOS, type Tokenizer } from "./tokenizer.ts";
import { utf8Decode, utf8Encode } from "./utf8.ts";

/** The end-of-word token of a byte-pair tokenizer trained with `endOfWord`. */
export const END_OF_WORD = "</w>";

/** Options of `BPETokenizer.train`. */
export interface BPETrainOptions {
  /** Target number of token ids (specials + 256 bytes + merges); training stops early when nothing is left to merge. */
  readonly vocabSize: number;
  /**
   * Append `</w>` to every word before learning merges, as Sennrich et al. (2016) do, so a token
   * can say "this ends a word" (`ing</w>`); default true.
   */
  readonly endOfWord?: boolean;
  /** Extra special tokens after `<eos>` (and `</w>`). */
  readonly specials?: readonly string[];
}

/** Splits text into runs of whitespace and runs of anything else; a surrogate pair is never split. */
const CHUNK = /\s+|\S+/g;
const SPACE = /^\s/;
const PAIR_BASE = 2 ** 21;

/**
 * Byte-pair encoding (Sennrich et al., 2016) over UTF-8 bytes (as GPT-2 does), so no character is
 * ever unknown. Ids: the special tokens (`<eos>`, then `</w>` when words are marked), the 256
 * bytes, then one token per merge in the order the merges were learnt. Text is first cut into
 * words and whitespace runs; merges never cross a cut. `encode` applies the merges by rank.
 */
export class BPETokenizer implements Tokenizer {
  readonly kind = "bpe" as const;
  readonly vocabSize: number;
  readonly specials: ReadonlyMap<string, number>;
  readonly eos: number = 0;
  /** Whether words end with the `</w>` token. */
  readonly endOfWord: boolean;
  /** The merges, in order: merge `k` joins tokens `[a, b]` into token `specials + 256 + k`. */
  readonly merges: readonly (readonly [number, number])[];
  readonly #eow: number;
  readonly #byte0: number;
  readonly #bytes: readonly number[][];
  readonly #rank = new Map<number, number>();
  readonly #cache = new Map<string, number[]>();

  constructor(
    merges: readonly (readonly [number, number])[],
    options: { endOfWord?: boolean; specials?: readonly string[] } = {},
  ) {
    const endOfWord = options.endOfWord ?? true;
    const specials = options.specials ?? (endOfWord ? [EOS, END_OF_WORD] : [EOS]);
    checkSpecials("BPETokenizer", specials);
    if (endOfWord && !specials.includes(END_OF_WORD)) {
      throw new Error(`BPETokenizer: endOfWord needs the special token "${END_OF_WORD}"`);
    }
    this.endOfWord = endOfWord;
    this.specials = new Map(specials.map((s, i) => [s, i]));
    this.#eow = endOfWord ? specials.indexOf(END_OF_WORD) : -1;
    this.#byte0 = specials.length;
    const bytes: number[][] = specials.map(() => []);
    for (let b = 0; b < 256; b++) bytes.push([b]);
    for (const [k, pair] of merges.entries()) {
      const id = bytes.length;
      const [a, b] = Array.isArray(pair) ? pair : [Number.NaN, Number.NaN];
      for (const part of [a, b]) {
        if (!Number.isInteger(part) || part < 0 || part >= id) {
          throw new Error(
            `BPETokenizer: merge ${k} must join two earlier tokens (ids < ${id}), got ${JSON.stringify(pair)}`,
          );
        }
      }
      if (this.#rank.has(a * PAIR_BASE + b))
        throw new Error(`BPETokenizer: merge ${k} ${JSON.stringify(pair)} is listed twice`);
      this.#rank.set(a * PAIR_BASE + b, k);
      bytes.push([...bytes[a], ...bytes[b]]);
    }
    this.#bytes = bytes;
    this.merges = merges.map(([a, b]) => [a, b] as const);
    this.vocabSize = bytes.length;
  }

  /** Learns merges from `corpus` (a text or a list of examples) until the vocabulary has `vocabSize` ids. */
  static train(corpus: string | readonly string[], options: BPETrainOptions): BPETokenizer {
    const endOfWord = options.endOfWord ?? true;
    const specials = [EOS, ...(endOfWord ? [END_OF_WORD] : []), ...(options.specials ?? [])];
    const base = new BPETokenizer([], { endOfWord, specials });
    if (!Number.isInteger(options.vocabSize) || options.vocabSize < base.vocabSize) {
      throw new RangeError(
        `BPETokenizer.train: vocabSize must be an integer >= ${base.vocabSize} (specials + 256 bytes), got ${options.vocabSize}`,
      );
    }
    const counts = new Map<string, number>();
    for (const text of typeof corpus === "string" ? [corpus] : corpus) {
      for (const chunk of text.match(CHUNK) ?? []) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
    }
    const words = [...counts].map(([chunk, count]) => ({ ids: base.#start(chunk), count }));
    const merges: [number, number][] = [];
    const pairs = new Map<number, number>();
    for (let id = base.vocabSize; id < options.vocabSize; id++) {
      pairs.clear();
      for (const { ids, count } of words) {
        for (let i = 0; i + 1 < ids.length; i++) {
          const key = ids[i] * PAIR_BASE + ids[i + 1];
          pairs.set(key, (pairs.get(key) ?? 0) + count);
        }
      }
      let best = -1;
      let bestCount = 0;
      for (const [key, count] of pairs) {
        if (count > bestCount || (count === bestCount && key < best)) [best, bestCount] = [key, count];
      }
      if (best < 0) break;
      const a = Math.floor(best / PAIR_BASE);
      const b = best % PAIR_BASE;
      merges.push([a, b]);
      for (const word of words) word.ids = mergePair(word.ids, a, b, id);
    }
    return new BPETokenizer(merges, { endOfWord, specials });
  }

  /** Reads back what `toJSON` wrote. */
  static fromJSON(json: BPETokenizerJSON): BPETokenizer {
    if (json.kind !== "bpe" || !Array.isArray(json.merges) || !Array.isArray(json.specials)) {
      throw new Error(
        'BPETokenizer.fromJSON: expected {kind: "bpe", specials: [...], endOfWord, merges: [[a, b], ...]}',
      );
    }
    return new BPETokenizer(json.merges, { endOfWord: json.endOfWord === true, specials: json.specials });
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const chunk of text.match(CHUNK) ?? []) {
      let ids = this.#cache.get(chunk);
      if (ids === undefined) {
        ids = this.#applyMerges(this.#start(chunk));
        if (this.#cache.size < 100_000) this.#cache.set(chunk, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    const bytes: number[] = [];
    for (const id of ids) {
      checkId("BPETokenizer.decode", id, this.vocabSize);
      for (const b of this.#bytes[id]) bytes.push(b);
    }
    return utf8Decode(bytes);
  }

  tokenString(id: number): string {
    checkId("BPETokenizer.tokenString", id, this.vocabSize);
    if (id < this.#byte0) return [...this.specials.keys()][id];
    const bytes = this.#bytes[id];
    const text = utf8Decode(bytes);
    const again = utf8Encode(text);
    const exact = again.length === bytes.length && again.every((b, i) => b === bytes[i]);
    const shown = exact
      ? text
      : bytes.map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`).join("");
    return this.#endsWord(id) ? `${shown}${END_OF_WORD}` : shown;
  }

  toJSON(): BPETokenizerJSON {
    return {
      kind: "bpe",
      specials: [...this.specials.keys()],
      endOfWord: this.endOfWord,
      merges: this.merges.map(([a, b]) => [a, b]),
    };
  }

  /** Whether token `id` ends with `</w>`. */
  #endsWord(id: number): boolean {
    if (this.#eow < 0) return false;
    let t = id;
    while (t >= this.#byte0 + 256) t = this.merges[t - this.#byte0 - 256][1];
    return t === this.#eow;
  }

  /** A chunk as byte tokens, plus `</w>` after a word. */
  #start(chunk: string): number[] {
    const ids = utf8Encode(chunk).map((b) => this.#byte0 + b);
    if (this.#eow >= 0 && !SPACE.test(chunk)) ids.push(this.#eow);
    return ids;
  }

  /** Applies the merges to `ids`, lowest rank first, as they were learnt. */
  #applyMerges(start: number[]): number[] {
    let ids = start;
    const first = this.#byte0 + 256;
    for (;;) {
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.#rank.get(ids[i] * PAIR_BASE + ids[i + 1]);
        if (rank !== undefined && rank < bestRank) bestRank = rank;
      }
      if (bestRank === Number.POSITIVE_INFINITY) return ids;
      const [a, b] = this.merges[bestRank];
      ids = mergePair(ids, a, b, first + bestRank);
    }
  }
}

/** `ids` with every non-overlapping `a, b` (left to right) replaced by `id`. */
function mergePair(ids: number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(ids[i]);
  }
  return out;
}
