import type { Rng } from "../engine/random.ts";
import { CorpusVocabulary } from "./corpus-vocabulary.ts";
import { tokenizerFromJSON } from "./load-tokenizer.ts";
import { type LanguageModelJSON, MLPLanguageModel } from "./mlp-language-model.ts";
import { type SampleOptions, sampleTokens } from "./sample.ts";
import type { Tokenizer, TokenizerJSON } from "./tokenizer.ts";

/** The format tag of a saved language model. */
export const LANGUAGE_MODEL_FORMAT = "micrograd-ts/lm@1";

/** A trained language model with what it needs to read and write text. */
export interface LanguageModelBundle {
  readonly tokenizer: Tokenizer;
  readonly vocabulary: CorpusVocabulary;
  readonly model: MLPLanguageModel;
  /** Free-form facts to keep with the model (corpus, losses, training options). */
  readonly info?: Readonly<Record<string, unknown>>;
}

/** The saved form of a bundle (plain JSON data). */
export interface LanguageModelFileJSON {
  readonly format: typeof LANGUAGE_MODEL_FORMAT;
  readonly tokenizer: TokenizerJSON;
  readonly vocabulary: readonly number[];
  readonly model: LanguageModelJSON;
  readonly info?: Readonly<Record<string, unknown>>;
}

/** A bundle as plain JSON data, for a file or local storage. */
export function languageModelToJSON(bundle: LanguageModelBundle): LanguageModelFileJSON {
  return {
    format: LANGUAGE_MODEL_FORMAT,
    tokenizer: bundle.tokenizer.toJSON(),
    vocabulary: bundle.vocabulary.ids,
    model: bundle.model.toJSON(),
    ...(bundle.info ? { info: bundle.info } : {}),
  };
}

/** Reads back what `languageModelToJSON` wrote; throws a clear error on anything else. */
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
  const model = MLPLanguageModel.fromJSON(j.model);
  if (model.config.vocabSize !== vocabulary.size) {
    throw new Error(
      `language model: the model predicts ${model.config.vocabSize} tokens, the vocabulary has ${vocabulary.size}`,
    );
  }
  return { tokenizer, vocabulary, model, ...(j.info ? { info: j.info } : {}) };
}

/** One sample of text from a bundle (see `sampleTokens`). */
export function sampleText(bundle: LanguageModelBundle, rng: Rng, options: SampleOptions = {}): string {
  const ids = sampleTokens(bundle.model, 0, rng, options);
  return bundle.tokenizer.decode(bundle.vocabulary.toTokens(ids));
}
