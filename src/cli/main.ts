import { type CliIO, processIO, UsageError } from "./io.ts";

/** A command: runs with its arguments, returns the exit status. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

// Commands load lazily, so `micrograd train` never loads what `graph` or `lm` need.
const COMMANDS: Readonly<Record<string, () => Promise<{ run: Command }>>> = {
  train: () => import("./commands/train.ts"),
  graph: () => import("./commands/graph.ts"),
  lm: () => import("./commands/lm.ts"),
  eval: () => import("./commands/eval.ts"),
  predict: () => import("./commands/predict.ts"),
  convert: () => import("./commands/convert.ts"),
};

const HELP = (): string =>
  `Usage: micrograd <command> [options]

Build and train neural networks from first principles.

Commands:
${Object.keys(COMMANDS)
  .map((name) => `  ${name}`)
  .join("\n")}

Run "micrograd <command> --help" for a command's options.
Example: micrograd train --dataset moons --hidden 16,16 --steps 100
`;

/** Runs the command line `argv` (without node and the script); returns the exit status. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(HELP());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    io.out("micrograd-ts 0.1.0\n");
    return 0;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    io.err(`micrograd: unknown command "${name}"\n\n${HELP()}`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RangeError) {
      io.err(`micrograd ${name}: ${error.message}\nRun "micrograd ${name} --help" for the options.\n`);
      return 2;
    }
    io.err(`micrograd ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}
