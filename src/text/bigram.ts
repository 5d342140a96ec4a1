import type { Windows } from "./windows.ts";

/**
 * The counted bigram model: P(next | previous token) from counts over training windows, with
 * add-`smoothing` (Laplace) so an unseen pair is never impossible. The baseline any neural
 * language model must beat.
 */
export class BigramModel {
  readonly vocabSize: number;
  readonly smoothing: number;
  /** Pair counts, `previous × next`, row-major. */
  readonly counts: Float64Array;
  readonly #logp: Float64Array;

  constructor(vocabSize: number, counts: Float64Array, smoothing = 1) {
    if (counts.length !== vocabSize * vocabSize) {
      throw new RangeError(
        `BigramModel: expected ${vocabSize}² = ${vocabSize * vocabSize} counts, got ${counts.length}`,
      );
    }
    if (!(smoothing >= 0)) throw new RangeError(`BigramModel: smoothing must be >= 0, got ${smoothing}`);
    this.vocabSize = vocabSize;
    this.smoothing = smoothing;
    this.counts = counts;
    this.#logp = new Float64Array(vocabSize * vocabSize);
    for (let a = 0; a < vocabSize; a++) {
      let row = 0;
      for (let b = 0; b < vocabSize; b++) row += counts[a * vocabSize + b] + smoothing;
      for (let b = 0; b < vocabSize; b++) {
        this.#logp[a * vocabSize + b] = Math.log((counts[a * vocabSize + b] + smoothing) / row);
      }
    }
  }

  /** Counts the (last context token, next token) pairs of `windows`. */
  static fit(windows: Windows, vocabSize: number, smoothing = 1): BigramModel {
    const counts = new Float64Array(vocabSize * vocabSize);
    const n = windows.context;
    for (let r = 0; r < windows.count; r++) counts[windows.x[r * n + n - 1] * vocabSize + windows.y[r]]++;
    return new BigramModel(vocabSize, counts, smoothing);
  }

  /** Total cross-entropy in nats of predicting each row's next token from its last context token. */
  totalLoss(windows: Windows): number {
    const n = windows.context;
    let total = 0;
    for (let r = 0; r < windows.count; r++)
      total -= this.#logp[windows.x[r * n + n - 1] * this.vocabSize + windows.y[r]];
    return total;
  }
}
