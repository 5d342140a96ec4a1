import { parseArgs } from "node:util";
import { type CliIO, UsageError } from "./io.ts";

/** One command-line flag: its type, default and help line. One table drives parsing and help. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly help: string;
  readonly default?: string;
  readonly short?: string;
  /** Shown in help instead of the type, e.g. `N` or `moons|circles`. */
  readonly value?: string;
}

/** A command's flags by long name. */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** Parsed flag values: strings, booleans, or undefined where not given and without default. */
export type FlagValues = Record<string, string | boolean | undefined>;

/** Parses `argv` against the table; unknown flags and stray arguments are usage errors. */
export function parseFlags(table: FlagTable, argv: readonly string[], allowPositionals = false) {
  const options = Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [
      name,
      {
        type: spec.type,
        ...(spec.short ? { short: spec.short } : {}),
        ...(spec.default !== undefined && spec.type === "string" ? { default: spec.default } : {}),
      },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The long names of the flags `argv` itself gives (a table's defaults fill in the others in
 * `parseFlags`), for a command that reads some flags only in some cases.
 *
 * @example
 * givenFlags({ steps: { type: "string", default: "10", help: "updates" } }, []); // Set {}
 */
export function givenFlags(table: FlagTable, argv: readonly string[]): Set<string> {
  const bare = Object.fromEntries(
    Object.entries(table).map(([name, spec]) => [name, { ...spec, default: undefined }]),
  );
  return new Set(Object.keys(parseFlags(bare, argv).values));
}

/**
 * A command's flags from `argv`, or undefined once `--help` has printed the command's help (the
 * command then exits with 0).
 */
export function commandFlags(
  table: FlagTable,
  argv: readonly string[],
  io: CliIO,
  usage: string,
  description: string,
): FlagValues | undefined {
  const { values } = parseFlags(table, argv);
  if (!values.help) return values;
  io.out(helpText(usage, description, table));
  return undefined;
}

/** The help text of a command: usage line, then one line per flag with its default. */
export function helpText(usage: string, description: string, table: FlagTable): string {
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${flagRows(table)}`;
}

// Help column: one width for every row; a longer flag puts its help on the next line.
const HELP_COLUMN = 30;

/** The aligned rows of a flag table (`  --name VALUE   help (default: ...)`), one per flag. */
export function flagRows(table: FlagTable): string {
  return Object.entries(table)
    .map(([name, spec]) => {
      const left = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : ""}`;
      const def = spec.default !== undefined ? ` (default: ${spec.default})` : "";
      const gap =
        left.length < HELP_COLUMN ? left.padEnd(HELP_COLUMN) : `${left}\n${" ".repeat(HELP_COLUMN + 2)}`;
      return `  ${gap} ${spec.help}${def}\n`;
    })
    .join("");
}

/** A flag's value as a number, checked. */
export function numberFlag(
  values: FlagValues,
  name: string,
  check: (n: number) => boolean,
  rule: string,
): number {
  const raw = values[name];
  const n = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${name}: expected ${rule}, got "${raw}"`);
  }
  return n;
}

/** A flag's value as an optional number (undefined when absent). */
export function optionalNumberFlag(
  values: FlagValues,
  name: string,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  return values[name] === undefined ? undefined : numberFlag(values, name, check, rule);
}

/** A flag's value, which must be one of `choices`. */
export function choiceFlag<T extends string>(values: FlagValues, name: string, choices: readonly T[]): T {
  const raw = values[name];
  if (typeof raw !== "string" || !choices.includes(raw as T)) {
    throw new UsageError(`--${name}: expected one of ${choices.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

/** A string flag that must be given, e.g. `--model FILE is required`. */
export function requiredFlag(values: FlagValues, table: FlagTable, name: string): string {
  const value = values[name];
  if (typeof value !== "string")
    throw new UsageError(`--${name} ${table[name]?.value ?? "VALUE"} is required`);
  return value;
}
