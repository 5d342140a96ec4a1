// The messages between the Language model view and its worker.
import type { GPTConfig, LanguageModelConfig } from "../../src/index.ts";
import type { NamesArch } from "./lm-setup.ts";

/** Worker to page: training progress and the model's weights now (the page samples from them). */
export interface LMProgress {
  readonly type: "progress";
  readonly step: number;
  readonly steps: number;
  /** Mean training-batch loss since the last report (nats per token). */
  readonly loss: number;
  /** Loss on the validation names (nats per character) at the last validation; NaN before one. */
  readonly valLoss: number;
  /** Updates per second so far. */
  readonly stepsPerSecond: number;
  /** A copy of the model's weights (`weightsOf`). */
  readonly params: Float32Array;
  readonly done: boolean;
}

/** Worker to page: the corpus and the model's shape, once, before training starts. */
export interface LMReady {
  readonly type: "ready";
  readonly arch: NamesArch;
  readonly names: number;
  /** Training predictions (MLP windows, or the GPT's target characters). */
  readonly predictions: number;
  readonly parameters: number;
  readonly config: LanguageModelConfig | GPTConfig;
  /** The character of each model id ("" for 0, the end of a name). */
  readonly chars: string[];
  /** What the tensors run on. */
  readonly engine: string;
}

export type FromLMWorker = LMProgress | LMReady | { readonly type: "error"; readonly message: string };
