import type { Tokenizer } from "./tokenizer.ts";

/**
 * The token ids a corpus actually uses, numbered densely for a language model: model id 0 is
 * `<eos>`, then every tokenizer id met in the corpus, in tokenizer order. A character tokenizer
 * carries fallback ids, and a byte-level BPE 256 byte ids, that names never use; leaving them
 * out of the softmax makes the model smaller and faster and changes no probability of the corpus.
 */
export class CorpusVocabulary {
  /** Tokenizer id of each model id. */
  readonly ids: readonly number[];
  readonly #model: Map<number, number>;

  constructor(ids: readonly number[], eos: number) {
    if (ids[0] !== eos)
      throw new Error(`CorpusVocabulary: model id 0 must be <eos> (tokenizer id ${eos}), got ${ids[0]}`);
    this.ids = [...ids];
    this.#model = new Map(ids.map((id, i) => [id, i]));
    if (this.#model.size !== ids.length) throw new Error("CorpusVocabulary: a tokenizer id is listed twice");
  }

  /** The vocabulary of `examples` under `tokenizer`. */
  static fromCorpus(tokenizer: Tokenizer, examples: readonly string[]): CorpusVocabulary {
    const seen = new Set<number>();
    for (const text of examples) for (const id of tokenizer.encode(text)) seen.add(id);
    seen.delete(tokenizer.eos);
    return new CorpusVocabulary([tokenizer.eos, ...[...seen].sort((a, b) => a - b)], tokenizer.eos);
  }

  /** Number of model ids. */
  get size(): number {
    return this.ids.length;
  }

  /** The model ids of tokenizer ids; throws on an id the corpus never used. */
  toModel(tokenIds: readonly number[]): number[] {
    return tokenIds.map((id) => {
      const m = this.#model.get(id);
      if (m === undefined)
        throw new RangeError(`CorpusVocabulary: token id ${id} does not occur in the training corpus`);
      return m;
    });
  }

  /** The tokenizer ids of model ids. */
  toTokens(modelIds: readonly number[]): number[] {
    return modelIds.map((m) => {
      if (!Number.isInteger(m) || m < 0 || m >= this.ids.length) {
        throw new RangeError(`CorpusVocabulary: model id ${m} is not in [0, ${this.ids.length})`);
      }
      return this.ids[m];
    });
  }
}
