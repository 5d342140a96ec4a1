import type { TensorModule } from "../nn/tensor-module.ts";
import { evaluateTensor } from "../train/evaluate-tensor.ts";
import { type Windows, windowTensors } from "./windows.ts";

/**
 * A language model's cross-entropy on `windows` in nats per character (NaN when there are
 * none): its mean loss per token (as `evaluateTensor` measures it, in evaluation mode) times
 * the tokens, over the characters they cover. For a character tokenizer the two are the same;
 * with BPE a token covers several characters, and nats per character compare across tokenizers.
 *
 * @example
 * lossPerChar(model, valWindows); // nats per character on held-out names
 */
export function lossPerChar(model: TensorModule, windows: Windows): number {
  if (windows.count === 0) return Number.NaN;
  const { loss } = evaluateTensor(model, windowTensors(windows), { loss: "softmax" });
  return (loss * windows.count) / windows.chars;
}
