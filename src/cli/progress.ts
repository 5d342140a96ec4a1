import type { CliIO } from "./io.ts";

/** How often progress is shown: about once a second on a terminal, at most a line a second in a log. */
export const PROGRESS_INTERVAL_MS = 1000;

/** Options of `progressReporter`. */
export interface ProgressOptions {
  /** Units done before this run started (a resumed checkpoint's steps): the rate counts only new ones. */
  readonly first?: number;
  /** The unit of the rate, e.g. `steps` (default). */
  readonly unit?: string;
  /** The clock in milliseconds (tests pass their own). */
  readonly now?: () => number;
}

/** Reports the progress of long work; `update` is cheap to call on every step. */
export interface ProgressReporter {
  /**
   * `done` of the total units are finished; `text` describes the state (loss, ...). Shown when a
   * second has passed since the last line, and for the first and the last unit.
   */
  update(done: number, text: string): void;
  /** Whether a line would be shown for `done` now (to skip building `text` when it would not). */
  due(done: number): boolean;
}

/** `1.5 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/**
 * Progress of `total` units with the elapsed time, the rate and an estimate of the time left,
 * updated by time: on a terminal one line on stderr redrawn about once a second; in a log (stdout
 * not a terminal) a line at most once a second, plus the first and the last. Nothing with `quiet`
 * (`--json` keeps stdout one clean object).
 */
export function progressReporter(
  io: CliIO,
  total: number,
  quiet: boolean,
  options: ProgressOptions = {},
): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const first = options.first ?? 0;
  const unit = options.unit ?? "steps";
  const start = now();
  let last = Number.NEGATIVE_INFINITY;
  const due = (done: number): boolean =>
    !quiet && (done === first + 1 || done === total || now() - last >= PROGRESS_INTERVAL_MS);
  return {
    due,
    update(done, text) {
      if (!due(done)) return;
      const t = now();
      last = t;
      const seconds = (t - start) / 1000;
      const rate = seconds > 0 ? (done - first) / seconds : 0;
      const left = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
      // The rate and what is left show once a second has passed (the first steps include warm-up).
      const timing =
        done === total || seconds < 1
          ? `${formatDuration(seconds)}`
          : `${formatDuration(seconds)}, ${rate >= 10 ? Math.round(rate) : rate.toPrecision(2)} ${unit}/s, ETA ${formatDuration(left)}`;
      const line = `${text}  ${timing}`;
      if (io.isTTY) io.err(`\r${line}\u001b[K${done === total ? "\n" : ""}`);
      else io.out(`${line}\n`);
    },
  };
}
