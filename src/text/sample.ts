import type { Rng } from "../engine/random.ts";
import type { GPT } from "../nn/gpt.ts";
import type { MLPLanguageModel } from "./mlp-language-model.ts";

/**
 * Options of `sampleTokens`.
 *
 * @example
 * sampleTokens(model, tok.eos, rng, { temperature: 1.2, topK: 5, prompt: [0, 13, 1] });
 */
export interface SampleOptions {
  /** Divides the logits: below 1 is more conservative, above 1 more adventurous (default 1). */
  readonly temperature?: number;
  /** Draw only among the k likeliest tokens (default: all). */
  readonly topK?: number;
  /** Stop after this many tokens even without `<eos>` (default 100). */
  readonly maxTokens?: number;
  /**
   * Token ids the text starts from, oldest first (default: one `<eos>`, the start of an
   * example). They are not part of the result.
   */
  readonly prompt?: readonly number[];
}

/**
 * Draws one continuation from a language model: from the prompt (by default the start of an
 * example), draws each next token from the model's softmax (at `temperature`, among the `topK`
 * likeliest) with `rng`, and stops at `eos` or after `maxTokens`. The model sees the last
 * tokens that fit its context (an MLP's `context`, a GPT's `block`): the window slides as the
 * text grows. Returns the new ids, without the `eos`.
 *
 * @example
 * const ids = sampleTokens(model, tok.eos, new Rng(1), { temperature: 0.8, maxTokens: 20 });
 * tok.decode(ids);
 */
export function sampleTokens(
  model: MLPLanguageModel | GPT,
  eos: number,
  rng: Rng,
  options: SampleOptions = {},
): number[] {
  const { temperature = 1, maxTokens = 100, topK } = options;
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1))
    throw new RangeError(`sampleTokens: topK must be an integer >= 1, got ${topK}`);
  const history = options.prompt === undefined || options.prompt.length === 0 ? [eos] : [...options.prompt];
  const probs = new Float64Array(model.config.vocabSize);
  const out: number[] = [];
  while (out.length < maxTokens) {
    if (isGPT(model)) model.probabilities(history, temperature, probs);
    else {
      const n = model.config.context;
      const ctx = history.slice(-n);
      while (ctx.length < n) ctx.unshift(eos);
      model.probabilities(ctx, temperature, probs);
    }
    if (topK !== undefined && topK < probs.length) keepTop(probs, topK);
    let u = rng.next();
    let next = probs.length - 1;
    for (let v = 0; v < probs.length; v++) {
      u -= probs[v];
      if (u < 0) {
        next = v;
        break;
      }
    }
    if (next === eos) break;
    out.push(next);
    history.push(next);
  }
  return out;
}

/**
 * A GPT's config has a `block`, an MLP's a `context`: told apart by shape, not `instanceof`, so
 * that code sampling an MLP does not bundle the GPT (the playground's names view does).
 */
function isGPT(model: MLPLanguageModel | GPT): model is GPT {
  return "block" in model.config;
}

/** Zeroes all but the k largest probabilities and renormalises the rest. */
function keepTop(probs: Float64Array, k: number): void {
  const threshold = [...probs].sort((a, b) => b - a)[k - 1];
  let kept = 0;
  let sum = 0;
  for (let v = 0; v < probs.length; v++) {
    if (probs[v] >= threshold && kept < k) {
      kept++;
      sum += probs[v];
    } else probs[v] = 0;
  }
  for (let v = 0; v < probs.length; v++) probs[v] /= sum;
}
