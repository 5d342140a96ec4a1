// The Language model view's model and data, free of the DOM and of Vite: the pipeline of
// `micrograd lm train --corpus names` (lower-cased names, split 80/10/10 with the seed, one token
// per character, windows of `context` previous characters) and the model it trains.
import {
  CharTokenizer,
  CorpusVocabulary,
  type LanguageModelConfig,
  MLPLanguageModel,
  makeWindows,
  Rng,
  sampleTokens,
  splitCorpus,
  type Windows,
} from "../../src/index.ts";

/** What trains: the CLI's defaults (context 3, embedding 10, 200 tanh units, seed 1337). */
export const LM_CONFIG = {
  context: 3,
  embed: 10,
  hidden: 200,
  seed: 1337,
  steps: 10_000,
  batch: 32,
  lr: 0.01,
};

/** The tokenizer, vocabulary and windows of a corpus, and a fresh model for it. */
export interface LanguageSetup {
  readonly tokenizer: CharTokenizer;
  readonly vocabulary: CorpusVocabulary;
  readonly train: Windows;
  readonly val: Windows;
  readonly config: LanguageModelConfig;
  readonly model: MLPLanguageModel;
}

/** The names of a names.txt file (one per line), lower-cased, as `lm train --corpus names` reads them. */
export function namesOf(...texts: readonly string[]): string[] {
  return texts.flatMap((t) =>
    t
      .split(/\r?\n/)
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== ""),
  );
}

/** The pipeline of `lm train` over `names`. */
export function languageSetup(names: readonly string[], options = LM_CONFIG): LanguageSetup {
  const split = splitCorpus(names, { seed: options.seed });
  // The character set comes from the whole corpus, as in the CLI (and makemore).
  const tokenizer = CharTokenizer.fromText(names);
  const vocabulary = CorpusVocabulary.fromCorpus(tokenizer, names);
  const windows = (examples: readonly string[]): Windows =>
    makeWindows(examples, (s) => vocabulary.toModel(tokenizer.encode(s)), 0, options.context);
  const config = {
    vocabSize: vocabulary.size,
    context: options.context,
    embed: options.embed,
    hidden: options.hidden,
  };
  return {
    tokenizer,
    vocabulary,
    train: windows(split.train),
    val: windows(split.val),
    config,
    model: new MLPLanguageModel(config, { seed: options.seed }),
  };
}

/** The character of each model id ("" for id 0, the end of a name). */
export function charsOf(setup: Pick<LanguageSetup, "tokenizer" | "vocabulary">): string[] {
  const { tokenizer, vocabulary } = setup;
  return vocabulary.ids.map((_, m) => (m === 0 ? "" : tokenizer.decode(vocabulary.toTokens([m]))));
}

/**
 * The next character's probabilities after `prefix` at `temperature`, likeliest first ("" is the
 * end of the name); a message when the prefix holds a character the names never use.
 */
export function nextCharacters(
  model: MLPLanguageModel,
  chars: readonly string[],
  prefix: string,
  temperature: number,
): { char: string; p: number }[] | string {
  const ids: number[] = [];
  for (const c of prefix.toLowerCase()) {
    const m = chars.indexOf(c);
    if (m <= 0) return `"${c}" never occurs in the names`;
    ids.push(m);
  }
  const context = model.config.context;
  const window = [...new Array<number>(context).fill(0), ...ids].slice(-context);
  const probs = model.probabilities(window, temperature);
  return Array.from(probs, (p, m) => ({ char: chars[m], p })).sort((a, b) => b.p - a.p);
}

/** `count` names drawn from `model` at `temperature`, from a fixed seed (so they change only as the model does). */
export function sampleNames(
  model: MLPLanguageModel,
  chars: readonly string[],
  temperature: number,
  count = 8,
): string[] {
  const rng = new Rng(7);
  return Array.from({ length: count }, () =>
    sampleTokens(model, 0, rng, { temperature, maxTokens: 24 })
      .map((m) => chars[m])
      .join(""),
  );
}

/** The model's weights as one flat copy (to post from the worker to the page). */
export function weightsOf(model: MLPLanguageModel): Float32Array {
  const params = model.parameters();
  const out = new Float32Array(params.reduce((n, p) => n + p.size, 0));
  let at = 0;
  for (const p of params) {
    out.set(p.data, at);
    at += p.size;
  }
  return out;
}

/** Overwrites the model's weights with a copy made by `weightsOf`. */
export function setWeights(model: MLPLanguageModel, flat: Float32Array): void {
  let at = 0;
  for (const p of model.parameters()) {
    p.data.set(flat.subarray(at, at + p.size));
    at += p.size;
  }
}
