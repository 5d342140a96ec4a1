import { EXIT, reportError } from "./exit-status.ts";
import { type CliIO, processIO } from "./io.ts";

/** A command: runs with its arguments, returns the exit status. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

// Commands load lazily, so `micrograd train` never loads what `graph` or `lm` need.
const COMMANDS: Readonly<Record<string, { summary: string; load: () => Promise<{ run: Command }> }>> = {
  train: {
    summary: "train an MLP (moons, circles, spiral, xor, blobs, iris, mnist or a CSV file)",
    load: () => import("./commands/train.ts"),
  },
  graph: {
    summary: "draw a computation graph (expression, neuron or MLP) as SVG, PNG or DOT",
    load: () => import("./commands/graph.ts"),
  },
  lm: { summary: "train or sample a character-level language model", load: () => import("./commands/lm.ts") },
  eval: { summary: "evaluate a saved model on labelled CSV data", load: () => import("./commands/eval.ts") },
  predict: { summary: "predict with a saved model on CSV data", load: () => import("./commands/predict.ts") },
  convert: {
    summary: "convert a saved model between JSON, safetensors and ONNX",
    load: () => import("./commands/convert.ts"),
  },
};

const HELP = (): string =>
  `Usage: micrograd <command> [options]

Build and train neural networks from first principles.

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`)
  .join("\n")}

Run "micrograd <command> --help" for a command's options.
Example: micrograd train --dataset moons --hidden 16,16 --steps 100

Exit status:
  ${String(EXIT.ok).padEnd(3)} done (also when the reader of the output closes it, as "| head" does)
  ${String(EXIT.failure).padEnd(3)} failed: a file could not be written, the disk is full, a package is missing
  ${String(EXIT.usage).padEnd(3)} usage error: a bad flag, or input data or a model file that is wrong
  ${String(EXIT.internal).padEnd(3)} internal error: a bug in micrograd-ts (please report it)
`;

/** Runs the command line `argv` (without node and the script); returns the exit status. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(HELP());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version") {
    io.out("micrograd-ts 0.1.0\n");
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    io.err(`micrograd: unknown command "${name}"\n\n${HELP()}`);
    return EXIT.usage;
  }
  return runCommand(name, (await entry.load()).run, rest, io);
}

/** Runs one command and turns what it throws into a message and an exit status (see `EXIT`). */
export async function runCommand(name: string, command: Command, argv: string[], io: CliIO): Promise<number> {
  try {
    return await command(argv, io);
  } catch (error) {
    const { text, status } = reportError(name, error);
    io.err(text);
    return status;
  }
}
