import type { Rng } from "../engine/random.ts";
import type { MLPLanguageModel } from "./mlp-language-model.ts";

/** Options of `sampleTokens`. */
export interface SampleOptions {
  /** Divides the logits: below 1 is more conservative, above 1 more adventurous (default 1). */
  readonly temperature?: number;
  /** Stop after this many tokens even without `<eos>` (default 100). */
  readonly maxTokens?: number;
}

/**
 * Draws one example from `model`: starts from a context of `eos`, draws each next token from the
 * model's softmax (at `temperature`) with `rng`, and stops at `eos`. Returns the ids, without the `eos`.
 */
export function sampleTokens(
  model: MLPLanguageModel,
  eos: number,
  rng: Rng,
  options: SampleOptions = {},
): number[] {
  const { temperature = 1, maxTokens = 100 } = options;
  const ctx = new Array<number>(model.config.context).fill(eos);
  const probs = new Float64Array(model.config.vocabSize);
  const out: number[] = [];
  while (out.length < maxTokens) {
    model.probabilities(ctx, temperature, probs);
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
    ctx.shift();
    ctx.push(next);
  }
  return out;
}
