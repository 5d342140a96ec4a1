import { loadGPTSafetensors, saveGPTSafetensors } from "../io/gpt-safetensors.ts";
import { GPT } from "../nn/gpt.ts";
import {
  type LanguageModelBundle,
  languageModelFromJSON,
  languageModelToJSON,
} from "../text/language-model-file.ts";

// A GPT language model as one safetensors file: nanoGPT's weights, and the tokenizer,
// vocabulary and training details in the metadata.

/** The metadata key holding a language model's tokenizer, vocabulary and details. */
const BUNDLE_KEY = "micrograd-ts/lm";

/**
 * A GPT language model (with its tokenizer, vocabulary and details in the metadata) as one
 * safetensors file: PyTorch reads the weights, `lm sample` the whole.
 *
 * @example
 * writeFileSync("names.safetensors", saveLanguageModelSafetensors({ tokenizer, vocabulary, model: gpt }));
 */
export function saveLanguageModelSafetensors(bundle: LanguageModelBundle): Uint8Array {
  if (!(bundle.model instanceof GPT))
    throw new TypeError("safetensors language models: only a GPT is saved this way");
  const { model: _weights, ...rest } = languageModelToJSON(bundle);
  return saveGPTSafetensors(bundle.model, { [BUNDLE_KEY]: JSON.stringify(rest) });
}

/**
 * Reads back what `saveLanguageModelSafetensors` wrote.
 *
 * @example
 * const bundle = loadLanguageModelSafetensors(readFileSync("names.safetensors"));
 */
export function loadLanguageModelSafetensors(bytes: Uint8Array): LanguageModelBundle {
  const { model, metadata } = loadGPTSafetensors(bytes);
  const rest = metadata[BUNDLE_KEY];
  if (rest === undefined)
    throw new Error(`GPT safetensors: no "${BUNDLE_KEY}" metadata (weights only, no tokenizer)`);
  const bundle = languageModelFromJSON({ ...JSON.parse(rest), model: model.toJSON() });
  return bundle;
}
