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

let pipeWatched = false;

/**
 * Writes to stdout; when its reader has gone (`micrograd predict ... | head -1`), the program
 * ends quietly with status 0, as Unix tools do, instead of crashing on EPIPE.
 */
function writeOut(text: string): void {
  if (!pipeWatched) {
    pipeWatched = true;
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(0);
    });
  }
  process.stdout.write(text);
}

/** The process's real streams. */
export const processIO: CliIO = {
  out: writeOut,
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

/** A mistake in how the command was called: printed with a hint, exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
