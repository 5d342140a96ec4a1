// What only the GPT of the Language model view needs on the page, loaded the first time the GPT
// is chosen: the model (its weights come from its worker, lm-gpt-worker.ts) and the library's
// attention heatmaps for a typed prefix.
import { attentionSvg, GPT, type GPTConfig } from "../../src/index.ts";
import { prefixIds } from "./lm-setup.ts";

/** A GPT of `config` (its weights come from the worker). */
export function makeGPT(config: GPTConfig): GPT {
  return new GPT(config);
}

/**
 * The attention heatmaps (one per layer and head, the library's `attentionSvg`) of the GPT over
 * a name's start (shown as "⏎") and `prefix`; null when the prefix holds a character the names never use.
 */
export function attentionPicture(model: GPT, chars: readonly string[], prefix: string): string | null {
  const ids = prefixIds(chars, prefix);
  if (typeof ids === "string") return null;
  const context = [0, ...ids].slice(-model.config.block);
  return attentionSvg(
    model,
    context,
    context.map((m) => (m === 0 ? "⏎" : chars[m])),
  );
}
