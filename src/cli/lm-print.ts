import type { StepInfo } from "../train/fit.ts";
import type { CliIO } from "./io.ts";
import { progressReporter } from "./progress.ts";

// What `lm train` prints: progress rows while training, and the table of losses at the end.

/** Four decimals, or "n/a" for a split too small to have examples. */
export const fmt = (x: number): string => (Number.isNaN(x) ? "n/a" : x.toFixed(4));

/**
 * Prints `lm train`'s progress: a row at each validation, and between them the step and its batch
 * loss with elapsed time, rate and ETA, by time (src/cli/progress.ts).
 */
export function progressPrinter(
  io: CliIO,
  steps: number,
  perChar: (perToken: number) => number,
  first = 0,
): (info: StepInfo) => void {
  const reporter = progressReporter(io, steps, false, { first });
  const progress = { sum: 0, since: 0, start: performance.now() };
  return (info) => {
    progress.sum += info.loss;
    progress.since++;
    if (info.valLoss === undefined) {
      if (reporter.due(info.step)) {
        reporter.update(
          info.step,
          `step ${info.step}/${steps}  batch loss ${info.loss.toFixed(4)}  lr ${info.lr.toPrecision(3)}`,
        );
      }
      return;
    }
    if (io.isTTY) io.err("\r\u001b[K");
    const seconds = (performance.now() - progress.start) / 1000;
    io.out(
      `step ${String(info.step).padStart(String(steps).length)}/${steps}  batch loss ${fmt(progress.sum / progress.since)} nats/token  val ${fmt(perChar(info.valLoss))} nats/char  ${seconds > 0 ? Math.round((info.step - first) / seconds) : 0} steps/s\n`,
    );
    progress.sum = 0;
    progress.since = 0;
  };
}

/** The human-readable end of `lm train`: time, the table of losses, the file, the samples. */
export function resultText(
  r: {
    readonly trainLoss: number;
    readonly valLoss: number;
    readonly testLoss: number;
    readonly bigramValLoss: number;
    readonly bigramTestLoss: number;
    readonly stepsPerSecond: number;
    readonly tokensPerSecond: number;
    readonly bestStep?: number;
    readonly model: string;
    readonly samples: readonly string[];
  },
  seconds: number,
  stepsRun: number,
  temperature: number,
): string {
  const row = (name: string, l: number, bg?: number): string =>
    `${name.padEnd(6)} ${fmt(l).padStart(9)} ${(Number.isNaN(l) ? "n/a" : Math.exp(l).toFixed(2)).padStart(10)}${bg === undefined ? "" : `${fmt(bg).padStart(12)}`}\n`;
  return (
    `\ntrained ${stepsRun} steps in ${seconds.toFixed(1)} s (${Math.round(r.stepsPerSecond)} steps/s, ${Math.round(r.tokensPerSecond)} tokens/s); weights of step ${r.bestStep} (lowest validation loss)\n` +
    `split  nats/char perplexity  bigram\n${row("train", r.trainLoss)}${row("val", r.valLoss, r.bigramValLoss)}${row("test", r.testLoss, r.bigramTestLoss)}` +
    `saved ${r.model}\n` +
    (r.samples.length > 0 ? `samples (temperature ${temperature}): ${r.samples.join(", ")}\n` : "")
  );
}
