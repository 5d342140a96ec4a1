import process from "node:process";

/** Where a command writes: injected so that tests can capture the output. */
export interface CliIO {
  /** Writes to standard output (no newline added). */
  out(text: string): void;
  /** Writes to standard error (no newline added). */
  err(text: string): void;
  /** Whether standard error is a terminal (live progress lines are drawn only then). */
  readonly isTTY: boolean;
}

/** The process's real streams. */
export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

/** A mistake in how the command was called: printed with a hint, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
