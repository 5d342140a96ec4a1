import {
  arrayOf,
  type Check,
  checkJson,
  dictOf,
  finite,
  integer,
  literal,
  optional,
  record,
  str,
} from "../io/json-check.ts";
import type { FitCheckpoint, FitOptions, StepInfo } from "../train/fit.ts";
import { readInput, writeFileAtomicSync } from "./files.ts";
import type { FlagTable, FlagValues } from "./flags.ts";
import { UsageError } from "./io.ts";

/** Flags for checkpoints (added to the tables of `train` and `lm train`). */
export const CHECKPOINT_FLAGS: FlagTable = {
  checkpoint: {
    type: "string",
    value: "FILE",
    help: "write a checkpoint to FILE during training (atomically)",
  },
  "checkpoint-every": {
    type: "string",
    default: "10",
    value: "N",
    help: "updates between checkpoints (the last update is always saved)",
  },
  resume: {
    type: "string",
    value: "FILE",
    help: "continue the run saved in checkpoint FILE (same result as an uninterrupted run)",
  },
};

/** The `format` field of a checkpoint file. */
export const CHECKPOINT_FORMAT = "micrograd-ts/checkpoint";

// Flags that only say where results go: never stored in a checkpoint, never taken from one.
const OUTPUT_VALUE_FLAGS = ["save", "out", "plots", "checkpoint", "checkpoint-every", "resume"];
const OUTPUT_BOOLEAN_FLAGS = ["json", "demo", "help"];
// Flags that may lengthen a resumed run: `--resume ck.json --steps 200` goes on to step 200.
const EXTENDING_FLAGS = ["steps", "epochs"];

const flagName = (arg: string): string => (arg.startsWith("--") ? arg.slice(2).split("=")[0] : "");

/** Splits argv into the training flags (stored in checkpoints) and the output flags. */
export function splitArgv(argv: readonly string[]): { training: string[]; output: string[] } {
  const training: string[] = [];
  const output: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg === "-h" ? "help" : flagName(arg);
    if (OUTPUT_BOOLEAN_FLAGS.includes(name)) output.push(arg);
    else if (OUTPUT_VALUE_FLAGS.includes(name)) {
      output.push(arg);
      if (!arg.includes("=") && i + 1 < argv.length) output.push(argv[++i]);
    } else training.push(arg);
  }
  return { training, output };
}

/** `argv` with flag `name` set to `value` (replacing it where it is given). */
function withFlag(argv: readonly string[], name: string, value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) i++;
    else if (!argv[i].startsWith(`--${name}=`)) out.push(argv[i]);
  }
  return [...out, `--${name}`, value];
}

/**
 * The fit options that write checkpoints to `--checkpoint FILE` every `--checkpoint-every`
 * updates: the training flags and the fit state, as JSON, written atomically.
 */
export function checkpointOptions(values: FlagValues, argv: readonly string[]): Partial<FitOptions> {
  if (typeof values.checkpoint !== "string") return {};
  const path = values.checkpoint;
  const every = Number(values["checkpoint-every"]);
  if (!Number.isInteger(every) || every < 1) {
    throw new UsageError(
      `--checkpoint-every: expected a positive integer, got "${values["checkpoint-every"]}"`,
    );
  }
  const { training } = splitArgv(argv);
  return {
    checkpointEvery: every,
    onCheckpoint: (fit: FitCheckpoint) => {
      writeFileAtomicSync(
        path,
        `${JSON.stringify({ format: CHECKPOINT_FORMAT, version: 1, argv: training, fit })}\n`,
        "--checkpoint",
      );
    },
  };
}

/** With `--resume FILE`: the argv to run again (the checkpoint's training flags plus this call's output flags) and the state. */
export async function readResume(
  argv: readonly string[],
): Promise<{ argv: string[]; checkpoint: FitCheckpoint } | undefined> {
  const at = argv.findIndex((a) => a === "--resume" || a.startsWith("--resume="));
  if (at < 0) return undefined;
  const path = argv[at].startsWith("--resume=") ? argv[at].slice("--resume=".length) : argv[at + 1];
  if (path === undefined || path.startsWith("--")) throw new UsageError("--resume needs a checkpoint FILE");
  const { training, output } = splitArgv(argv);
  const extend = splitExtending(training);
  if (extend.others.length > 0) {
    throw new UsageError(
      `with --resume the training flags come from the checkpoint; drop ${extend.others.filter((a) => a.startsWith("--")).join(" ") || extend.others.join(" ")} (only --steps or --epochs may lengthen the run)`,
    );
  }
  const text = new TextDecoder().decode(await readInput(path, "--resume", { text: true }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RangeError(
      `--resume "${path}": not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const file = checkJson(json, CHECKPOINT_FILE, `--resume "${path}"`);
  // Only training settings are taken from a file: where results go is this call's to say.
  const smuggled = splitArgv(file.argv).output.filter((a) => a.startsWith("-"));
  if (smuggled.length > 0) {
    throw new RangeError(
      `--resume "${path}": "argv" holds ${smuggled.join(" ")}, which a checkpoint never stores: not a training configuration`,
    );
  }
  const resumeOutput = output.filter(
    (a, i) => a !== "--resume" && !a.startsWith("--resume=") && output[i - 1] !== "--resume",
  );
  let settings = file.argv;
  for (const [name, value] of extend.flags) settings = withFlag(settings, name, value);
  return { argv: [...settings, ...resumeOutput], checkpoint: file.fit };
}

/** The lengthening flags (`--steps N`, `--epochs N`) among a call's training flags, and the rest. */
function splitExtending(training: readonly string[]): { flags: [string, string][]; others: string[] } {
  const flags: [string, string][] = [];
  const others: string[] = [];
  for (let i = 0; i < training.length; i++) {
    const arg = training[i];
    const name = flagName(arg);
    if (!EXTENDING_FLAGS.includes(name)) others.push(arg);
    else if (arg.includes("=")) flags.push([name, arg.slice(arg.indexOf("=") + 1)]);
    else if (i + 1 < training.length) flags.push([name, training[++i]]);
    else others.push(arg);
  }
  return { flags, others };
}

const numbers = arrayOf(finite);
const orNull =
  <T>(check: Check<T>): Check<T | null> =>
  (v, at) =>
    v === null ? null : check(v, at);

/** The training state `fit` writes to a checkpoint (`FitCheckpoint`), checked field by field. */
const FIT_CHECKPOINT: Check<FitCheckpoint> = record({
  step: integer(0),
  weights: numbers,
  optimizer: record({ stepCount: integer(0), buffers: dictOf(arrayOf(orNull(numbers))) }),
  history: arrayOf<StepInfo>(
    record({
      step: integer(0),
      loss: finite,
      accuracy: finite,
      lr: finite,
      valLoss: optional(finite),
      valAccuracy: optional(finite),
    }),
  ),
  validation: optional(
    record({
      bestWeights: numbers,
      bestStep: integer(0),
      bestLoss: finite,
      bestAccuracy: finite,
      stale: integer(0),
      lastChecked: integer(0),
    }),
  ),
  random: optional(arrayOf(numbers)),
});

/** A checkpoint file: its format and version, the training flags it was started with, the state. */
const CHECKPOINT_FILE = record({
  format: literal(CHECKPOINT_FORMAT, "a micrograd-ts checkpoint"),
  version: literal(1),
  argv: arrayOf(str),
  fit: FIT_CHECKPOINT,
});
