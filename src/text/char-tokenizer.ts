import { type CharTokenizerJSON, checkId, checkSpecials, EOS, type Tokenizer } from "./tokenizer.ts";
import { utf8Decode, utf8Encode } from "./utf8.ts";

/** Options of `CharTokenizer.fromText`. */
export interface CharTokenizerOptions {
  /** Special tokens, `<eos>` first (default `["<eos>"]`). */
  readonly specials?: readonly string[];
}

const HEX = "0123456789ABCDEF";

/**
 * One token per character (Unicode code point). Ids: the special tokens, then the characters
 * seen in training (in code-point order), then 16 fallback tokens `<0x0>`…`<0xF>`: a character
 * never seen is spelled as the hex digits of its UTF-8 bytes, two tokens per byte. So any string
 * round-trips, and the vocabulary stays small (a full byte fallback would add 256 outputs to a
 * language model's softmax).
 */
export class CharTokenizer implements Tokenizer {
  readonly kind = "char" as const;
  readonly vocabSize: number;
  readonly specials: ReadonlyMap<string, number>;
  readonly eos: number = 0;
  /** The known characters, in id order (the first has id `specials.size`). */
  readonly chars: readonly string[];
  readonly #ids: Map<string, number>;
  readonly #tokens: readonly string[];
  readonly #nibble0: number;

  constructor(chars: readonly string[], specials: readonly string[] = [EOS]) {
    checkSpecials("CharTokenizer", specials);
    const ids = new Map<string, number>();
    for (const [i, c] of chars.entries()) {
      if (typeof c !== "string" || [...c].length !== 1) {
        throw new Error(
          `CharTokenizer: each vocabulary entry must be one character, got ${JSON.stringify(c)}`,
        );
      }
      if (ids.has(c)) throw new Error(`CharTokenizer: character ${JSON.stringify(c)} is listed twice`);
      ids.set(c, specials.length + i);
    }
    this.#ids = ids;
    this.chars = [...chars];
    this.specials = new Map(specials.map((s, i) => [s, i]));
    this.#nibble0 = specials.length + chars.length;
    this.#tokens = [...specials, ...chars, ...Array.from(HEX, (h) => `<0x${h}>`)];
    this.vocabSize = this.#tokens.length;
  }

  /** A tokenizer knowing every character of `corpus` (a text or a list of examples). */
  static fromText(corpus: string | readonly string[], options: CharTokenizerOptions = {}): CharTokenizer {
    const seen = new Set<string>();
    for (const text of typeof corpus === "string" ? [corpus] : corpus) for (const c of text) seen.add(c);
    const chars = [...seen].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    return new CharTokenizer(chars, options.specials ?? [EOS]);
  }

  /** Reads back what `toJSON` wrote. */
  static fromJSON(json: CharTokenizerJSON): CharTokenizer {
    if (json.kind !== "char" || !Array.isArray(json.chars) || !Array.isArray(json.specials)) {
      throw new Error('CharTokenizer.fromJSON: expected {kind: "char", specials: [...], chars: [...]}');
    }
    return new CharTokenizer(json.chars, json.specials);
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const c of text) {
      const id = this.#ids.get(c);
      if (id !== undefined) out.push(id);
      else for (const b of utf8Encode(c)) out.push(this.#nibble0 + (b >> 4), this.#nibble0 + (b & 15));
    }
    return out;
  }

  decode(ids: readonly number[]): string {
    let out = "";
    let nibbles: number[] = [];
    const flush = (): void => {
      if (nibbles.length === 0) return;
      const bytes: number[] = [];
      for (let k = 0; k + 1 < nibbles.length; k += 2) bytes.push((nibbles[k] << 4) | nibbles[k + 1]);
      out += utf8Decode(bytes);
      if (nibbles.length % 2 === 1) out += "\ufffd";
      nibbles = [];
    };
    for (const id of ids) {
      checkId("CharTokenizer.decode", id, this.vocabSize);
      if (id >= this.#nibble0) {
        nibbles.push(id - this.#nibble0);
        continue;
      }
      flush();
      if (id >= this.specials.size) out += this.#tokens[id];
    }
    flush();
    return out;
  }

  tokenString(id: number): string {
    checkId("CharTokenizer.tokenString", id, this.vocabSize);
    return this.#tokens[id];
  }

  toJSON(): CharTokenizerJSON {
    return { kind: "char", specials: [...this.specials.keys()], chars: [...this.chars] };
  }
}
