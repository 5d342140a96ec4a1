import { UsageError } from "./io.ts";

/**
 * The exit statuses of `micrograd` (listed in `micrograd --help` and README):
 * 0 done; 1 the work failed for a reason outside the call (a file could not be written, the disk
 * is full, an optional package is missing); 2 a usage error: a bad flag, or input data or a model
 * file that is wrong (the message names what and where); 70 an internal error: a bug in
 * micrograd-ts, to report.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, internal: 70 } as const;

/** What kind of failure an error is, which decides its message and exit status. */
export type ErrorKind = "usage" | "failure" | "internal";

// RangeErrors that V8 itself throws: a limit we did not check first, so a bug, never a usage error.
const ENGINE_RANGE_ERRORS = [
  /^Maximum call stack size exceeded/,
  /maximum size exceeded/,
  /^Invalid (typed )?array length/,
  /^Array buffer allocation failed/,
  /^Invalid string length/,
  /^Too many arguments in function call/,
  /^Invalid count value/,
  /^Invalid array buffer length/,
];

/**
 * Classifies an error a command threw. The project's own checks throw `UsageError` (the call) or
 * `RangeError` (the data or a file), and name what was wrong: usage errors. Errors that carry a
 * system `code` (ENOSPC, EACCES, EROFS, ...) and our plain `Error`s are failures. Everything the
 * JavaScript engine throws (a `TypeError`, a stack overflow, a Map that is full) is internal.
 */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof UsageError) return "usage";
  if (error instanceof RangeError) {
    return ENGINE_RANGE_ERRORS.some((pattern) => pattern.test(error.message)) ? "internal" : "usage";
  }
  if (!(error instanceof Error)) return "internal";
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return "failure";
  if (
    error instanceof TypeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError ||
    error instanceof EvalError
  )
    return "internal";
  return "failure";
}

/** The message and exit status for an error thrown by command `name`. */
export function reportError(name: string, error: unknown): { text: string; status: number } {
  const kind = errorKind(error);
  const message = error instanceof Error ? error.message : String(error);
  if (kind === "usage") {
    return {
      text: `micrograd ${name}: ${message}\nRun "micrograd ${name} --help" for the options.\n`,
      status: EXIT.usage,
    };
  }
  if (kind === "failure") return { text: `micrograd ${name}: ${message}\n`, status: EXIT.failure };
  const stack = error instanceof Error && error.stack ? `${error.stack}\n` : "";
  return {
    text:
      `micrograd ${name}: internal error: ${message}\n` +
      "This is a bug in micrograd-ts, not a mistake in the command. Please report it with the command line and the trace below.\n" +
      stack,
    status: EXIT.internal,
  };
}
