// The messages between the Digits view and its worker.
import type { NamedTensor } from "../../src/index.ts";
import type { DigitsArch } from "./digits-setup.ts";

/** Page to worker, once: what to train and where the digits are. */
export interface DigitsStart {
  readonly type: "start";
  readonly arch: DigitsArch;
  /** Absolute URL of the gzipped digits file. */
  readonly url: string;
}

/** Worker to page, once the digits are in: the split, the network and how the pixels are scaled. */
export interface DigitsReady {
  readonly type: "ready";
  readonly train: number;
  readonly test: number;
  readonly describe: string;
  readonly parameters: number;
  readonly steps: number;
  readonly engine: string;
  readonly mean: number;
  readonly std: number;
}

/** Worker to page: training progress and the weights now (the page reads drawings with them). */
export interface DigitsProgress {
  readonly type: "progress";
  readonly step: number;
  readonly steps: number;
  /** Mean training-batch loss and accuracy since the last report. */
  readonly loss: number;
  readonly accuracy: number;
  /** Accuracy on the test digits, when they were evaluated since the last report. */
  readonly testAccuracy?: number;
  readonly msPerStep: number;
  /** `sequentialStateDict` of the network (batch-norm statistics included). */
  readonly weights: Record<string, NamedTensor>;
  readonly done: boolean;
}

export type FromDigitsWorker =
  | DigitsReady
  | DigitsProgress
  | { readonly type: "error"; readonly message: string };
