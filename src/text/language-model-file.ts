import type { Rng } from "../engine/random.ts";
import { GPT, type GPTJSON } from "../nn/gpt.ts";
import { CorpusVocabulary } from "./corpus-vocabulary.ts";
import { tokenizerFromJSON } from "./load-tokenizer.ts";
import { type LanguageModelJSON, MLPLanguageModel } from "./mlp-language-model.ts";
import { type SampleOptions, sampleTokens } from "./sample.ts";
import type { Tokenizer, TokenizerJSON } from "./tokenizer.ts";

/**
 * The format tag of a saved language model.
 *
 * @example
 * languageModelToJSON(bundle).format === LANGUAGE_MODEL_FORMAT; // true
 */
export const LANGUAGE_MODEL_FORMAT = "micrograd-ts/lm@1";

/**
 * A trained language model with what it needs to read and write text.
 *
 * @example
 * const bundle: LanguageModelBundle = { tokenizer, vocabulary: CorpusVocabulary.fromCorpus(tokenizer, names), model };
 */
export interface LanguageModelBundle {
  /** Turns text into token ids and back. */
  readonly tokenizer: Tokenizer;
  /** Maps the tokenizer's ids to the model's and back. */
  readonly vocabulary: CorpusVocabulary;
  /** The trained network. */
  readonly model: MLPLanguageModel | GPT;
  /** Free-form facts to keep with the model (corpus, losses, training options). */
  readonly info?: Readonly<Record<string, unknown>>;
}

/**
 * The saved form of a bundle (plain JSON data).
 *
 * @example
 * const file: LanguageModelFileJSON = languageModelToJSON(bundle);
 * file.format; // LANGUAGE_MODEL_FORMAT
 */
export interface LanguageModelFileJSON {
  /** Identifies the file format and version. */
  readonly format: typeof LANGUAGE_MODEL_FORMAT;
  /** The tokenizer, saved. */
  readonly tokenizer: TokenizerJSON;
  /** The tokenizer ids the model uses, in model-id order. */
  readonly vocabulary: readonly number[];
  /** The model's shape and parameters (a GPT's say `arch: "gpt"`). */
  readonly model: LanguageModelJSON | GPTJSON;
  /** Free-form details (corpus, training settings, losses). */
  readonly info?: Readonly<Record<string, unknown>>;
}

/**
 * A bundle as plain JSON data, for a file or local storage.
 *
 * @example
 * writeFileSync("lm.json", JSON.stringify(languageModelToJSON({ tokenizer, vocabulary, model })));
 */
export function languageModelToJSON(bundle: LanguageModelBundle): LanguageModelFileJSON {
  return {
    format: LANGUAGE_MODEL_FORMAT,
    tokenizer: bundle.tokenizer.toJSON(),
    vocabulary: bundle.vocabulary.ids,
    model: bundle.model.toJSON(),
    ...(bundle.info ? { info: bundle.info } : {}),
  };
}

/**
 * Reads back what `languageModelToJSON` wrote; throws a clear error on anything else.
 *
 * @example
 * const bundle = languageModelFromJSON(JSON.parse(readFileSync("lm.json", "utf8")));
 * sampleText(bundle, new Rng(1));
 */
export function languageModelFromJSON(json: unknown): LanguageModelBundle {
  const j = json as Partial<LanguageModelFileJSON> | null;
  if (typeof j !== "object" || j === null || j.format !== LANGUAGE_MODEL_FORMAT) {
    const got = typeof j === "object" && j !== null ? JSON.stringify(j.format) : typeof j;
    throw new Error(`language model: expected format "${LANGUAGE_MODEL_FORMAT}", got ${got}`);
  }
  if (!Array.isArray(j.vocabulary) || typeof j.model !== "object") {
    throw new Error("language model: missing vocabulary or model");
  }
  const tokenizer = tokenizerFromJSON(j.tokenizer);
  const vocabulary = new CorpusVocabulary(j.vocabulary, tokenizer.eos);
  for (const id of vocabulary.ids) {
    if (!Number.isInteger(id) || id < 0 || id >= tokenizer.vocabSize) {
      throw new Error(
        `language model: vocabulary id ${id} is not a token of the tokenizer [0, ${tokenizer.vocabSize})`,
      );
    }
  }
  const stored = j.model as LanguageModelJSON | GPTJSON;
  const model =
    "arch" in stored && stored.arch === "gpt"
      ? GPT.fromJSON(stored)
      : MLPLanguageModel.fromJSON(stored as LanguageModelJSON);
  if (model.config.vocabSize !== vocabulary.size) {
    throw new Error(
      `language model: the model predicts ${model.config.vocabSize} tokens, the vocabulary has ${vocabulary.size}`,
    );
  }
  return { tokenizer, vocabulary, model, ...(j.info ? { info: j.info } : {}) };
}

/**
 * One sample of text from a bundle (see `sampleTokens`). With `prompt`, the sample continues
 * that text (and starts with it). A model trained on one running text (`info.text` true, as
 * `lm train --arch gpt` on a book) reads the prompt as it is; a model of separate examples
 * (names) reads it as the start of a new example.
 *
 * @example
 * const name = sampleText(bundle, new Rng(3), { temperature: 0.8 });
 * sampleText(bundle, new Rng(3), { prompt: "Call me ", maxTokens: 200 });
 */
export function sampleText(
  bundle: LanguageModelBundle,
  rng: Rng,
  options: Omit<SampleOptions, "prompt"> & { readonly prompt?: string } = {},
): string {
  const { prompt = "", ...rest } = options;
  const ids = bundle.vocabulary.toModel(bundle.tokenizer.encode(prompt));
  const start = bundle.info?.text === true ? ids : [0, ...ids];
  const next = sampleTokens(bundle.model, 0, rng, { ...rest, prompt: start });
  return prompt + bundle.tokenizer.decode(bundle.vocabulary.toTokens(next));
}
