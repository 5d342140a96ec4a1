// The Language model view's model and data, free of the DOM and of Vite: the pipeline of
// `micrograd lm train --arch mlp --corpus names` (lower-cased names, split 80/10/10 with the
// seed, one token per character, windows of `context` previous characters) and the model it
// trains.
import {
  CharTokenizer,
  CorpusVocabulary,
  type FitOptions,
  type GPT,
  type GPTConfig,
  type LanguageModelConfig,
  MLPLanguageModel,
  makeWindows,
  Rng,
  sampleTokens,
  scheduleByName,
  splitCorpus,
  type TensorTrainingData,
  type Windows,
  windowTensors,
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

/** The names' tokenizer and vocabulary, their seeded 80/10/10 split, and a name as model ids. */
export interface NamesCorpus {
  readonly tokenizer: CharTokenizer;
  readonly vocabulary: CorpusVocabulary;
  readonly split: { readonly train: readonly string[]; readonly val: readonly string[] };
  encode(name: string): number[];
}

/**
 * Either model of the view. The GPT is named by type only: its code loads with the GPT's own
 * chunk (lm-gpt.ts), so that the MLP's view does not carry it.
 */
export type NamesModel = MLPLanguageModel | GPT;

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

/** The corpus side of `lm train` over `names` (the MLP's and the GPT's). */
export function namesCorpus(names: readonly string[], seed: number): NamesCorpus {
  const split = splitCorpus(names, { seed });
  // The character set comes from the whole corpus, as in the CLI (and makemore).
  const tokenizer = CharTokenizer.fromText(names);
  const vocabulary = CorpusVocabulary.fromCorpus(tokenizer, names);
  return { tokenizer, vocabulary, split, encode: (s) => vocabulary.toModel(tokenizer.encode(s)) };
}

/** The pipeline of `lm train` over `names`. */
export function languageSetup(names: readonly string[], options = LM_CONFIG): LanguageSetup {
  const { tokenizer, vocabulary, split, encode } = namesCorpus(names, options.seed);
  const windows = (examples: readonly string[]): Windows => makeWindows(examples, encode, 0, options.context);
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

/** The model ids of a typed prefix (lower-cased), or a message naming a character the names never use. */
export function prefixIds(chars: readonly string[], prefix: string): number[] | string {
  const ids: number[] = [];
  for (const c of prefix.toLowerCase()) {
    const m = chars.indexOf(c);
    if (m <= 0) return `"${c}" never occurs in the names`;
    ids.push(m);
  }
  return ids;
}

/**
 * The next character's probabilities after `prefix` at `temperature`, likeliest first ("" is the
 * end of the name); a message when the prefix holds a character the names never use.
 */
export function nextCharacters(
  model: NamesModel,
  chars: readonly string[],
  prefix: string,
  temperature: number,
): { char: string; p: number }[] | string {
  const ids = prefixIds(chars, prefix);
  if (typeof ids === "string") return ids;
  // A GPT reads the whole name from its start (id 0); an MLP its last `context` ids.
  const probs =
    "block" in model.config
      ? (model as GPT).probabilities([0, ...ids], temperature)
      : (model as MLPLanguageModel).probabilities(
          [...new Array<number>(model.config.context).fill(0), ...ids].slice(-model.config.context),
          temperature,
        );
  return Array.from(probs, (p, m) => ({ char: chars[m], p })).sort((a, b) => b.p - a.p);
}

/** `count` names drawn from `model` at `temperature`, from a fixed seed (so they change only as the model does). */
export function sampleNames(
  model: NamesModel,
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
export function weightsOf(model: NamesModel): Float32Array {
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
export function setWeights(model: NamesModel, flat: Float32Array): void {
  let at = 0;
  for (const p of model.parameters()) {
    p.data.set(flat.subarray(at, at + p.size));
    at += p.size;
  }
}

/** Which model the view trains. */
export type NamesArch = "mlp" | "gpt";

/** A model ready to train on the names through `fit`, and what the worker tells the page of it. */
export interface NamesTraining {
  readonly arch: NamesArch;
  readonly model: NamesModel;
  readonly config: LanguageModelConfig | GPTConfig;
  /** The character of each model id (`charsOf`). */
  readonly chars: string[];
  readonly data: TensorTrainingData;
  readonly validation: TensorTrainingData;
  /** Training predictions (windows, or the characters and ends of the training names). */
  readonly predictions: number;
  /** Validation targets per character: turns fit's nats per token into nats per character. */
  readonly perChar: number;
  /** fit's options, less the progress callback. */
  readonly options: FitOptions & { readonly steps: number };
}

/** The MLP as `lm train --arch mlp --corpus names` trains it (Adam, cosine schedule from 0.01). */
export function mlpTraining(names: readonly string[]): NamesTraining {
  const setup = languageSetup(names);
  const { steps, batch, lr, seed } = LM_CONFIG;
  return {
    arch: "mlp",
    model: setup.model,
    config: setup.config,
    chars: charsOf(setup),
    data: windowTensors(setup.train),
    validation: windowTensors(setup.val),
    predictions: setup.train.count,
    perChar: setup.val.count / setup.val.chars,
    options: {
      loss: "softmax",
      optimizer: "adam",
      steps,
      batch,
      lr: scheduleByName("cosine", lr, steps),
      seed,
      evalEvery: 500,
    },
  };
}
