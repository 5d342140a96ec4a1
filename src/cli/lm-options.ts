import { SCHEDULES } from "../nn/optim/schedule.ts";
import { MLPLanguageModel } from "../text/mlp-language-model.ts";
import type { FitCheckpoint, FitOptions } from "../train/fit.ts";
import { BACKEND_FLAGS } from "./backend-option.ts";
import { CHECKPOINT_FLAGS, checkpointOptions } from "./checkpoint.ts";
import { choiceFlag, type FlagTable, type FlagValues, numberFlag } from "./flags.ts";
import type { CliIO } from "./io.ts";
import { progressPrinter } from "./lm-print.ts";
import { MAX_STEPS } from "./size-limits.ts";

// The options of `micrograd lm train`: the flag table, the checked values, and the model they
// describe (the one place that picks the architecture).

/** Whether `n` is a whole number >= 1 (for `numberFlag`). */
export const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;

// On the deduplicated names the default GPT reaches a test loss of about 1.94 nats/char in about 3
// minutes, the MLP's defaults 2.085 in about 6 s (docs/language-model.md).
/** The flags of `lm train`. */
export const LM_TRAIN_FLAGS: FlagTable = {
  arch: {
    type: "string",
    default: "gpt",
    value: "gpt|mlp",
    help: "the model: a GPT (attention; minutes), or Bengio's MLP (seconds)",
  },
  corpus: {
    type: "string",
    default: "names",
    value: "names|moby-dick|FILE.txt",
    help: "names (repeats dropped before the split); moby-dick: one running text split 90/10 (both models scored on the same validation characters); FILE.txt: gpt reads one running text, mlp one example per line",
  },
  lowercase: { type: "boolean", help: "mlp: lower-case a FILE corpus (names are always lower-cased)" },
  tokenizer: {
    type: "string",
    default: "char",
    value: "char|bpe",
    help: "characters, or byte-pair merges (bpe: mlp only)",
  },
  vocab: {
    type: "string",
    default: "300",
    value: "N",
    help: "mlp: target vocabulary of --tokenizer bpe (>= 258)",
  },
  context: { type: "string", default: "3", value: "N", help: "mlp: tokens of context" },
  embed: { type: "string", default: "10", value: "N", help: "mlp: embedding width" },
  hidden: { type: "string", default: "200", value: "N", help: "mlp: tanh units in the hidden layer" },
  layers: { type: "string", default: "2", value: "N", help: "gpt: transformer blocks" },
  heads: { type: "string", default: "2", value: "N", help: "gpt: attention heads per block" },
  embd: { type: "string", default: "64", value: "N", help: "gpt: width of each position's vector" },
  block: {
    type: "string",
    value: "N",
    help: "gpt: context in tokens (default: longest name + 1; 64 for a text); mlp on moby-dick: the windows scored",
  },
  dropout: { type: "string", value: "P", help: "gpt: dropout (default 0.1 on names, 0 on a text)" },
  "weight-decay": { type: "string", default: "0.1", value: "X", help: "gpt: AdamW's decoupled weight decay" },
  warmup: {
    type: "string",
    default: "100",
    value: "N",
    help: "gpt: steps of linear warm-up before the cosine decay",
  },
  "grad-clip": { type: "string", default: "1", value: "X", help: "gpt: clip the gradient norm to X" },
  steps: {
    type: "string",
    value: "N",
    help: `number of updates (default gpt 4000 on names, 12000 on a text; mlp 10000; at most ${MAX_STEPS.toLocaleString("en")}; 0 reports the untrained model)`,
  },
  batch: {
    type: "string",
    value: "N",
    help: "examples per update (default gpt 64 on names, 16 on a text; mlp 32)",
  },
  optimizer: {
    type: "string",
    value: "adam|adamw|sgd",
    help: "optimiser (default adamw for gpt, adam for mlp)",
  },
  lr: {
    type: "string",
    value: "X",
    help: "learning rate, start of the schedule (default gpt 4e-3 on names, 5e-3 on a text; mlp 0.01)",
  },
  schedule: {
    type: "string",
    default: "cosine",
    value: SCHEDULES.join("|"),
    help: "mlp: learning-rate schedule (gpt: --warmup, then a cosine)",
  },
  seed: {
    type: "string",
    default: "1337",
    value: "N",
    help: "seed of the split, weights, batches and samples",
  },
  ...BACKEND_FLAGS,
  backend: {
    ...BACKEND_FLAGS.backend,
    default: "wasm",
    help: "tensor backend (wasm: WebAssembly SIMD, the fast one)",
  },
  dtype: { type: "string", default: "float32", value: "float32|float64", help: "number type of the weights" },
  "eval-every": {
    type: "string",
    value: "N",
    help: "validation loss every N steps (default: steps/10; gpt on a text steps/7: each pass over its validation text takes seconds); the weights of the lowest are kept",
  },
  patience: {
    type: "string",
    value: "N",
    help: "stop after N validation checks in a row without a lower loss; 0 never (default 3 for gpt, 0 for mlp)",
  },
  out: {
    type: "string",
    default: "lm.json",
    value: "FILE",
    help: "where to save the trained model: FILE.json; for gpt also FILE.safetensors (nanoGPT layout) or FILE.onnx (the forward pass)",
  },
  samples: { type: "string", default: "10", value: "N", help: "samples to print after training" },
  temperature: { type: "string", default: "0.8", value: "X", help: "temperature of those samples" },
  ...CHECKPOINT_FLAGS,
  // A checkpoint holds every step's record: every 500 of 10,000 steps keeps writing cheap.
  "checkpoint-every": { ...CHECKPOINT_FLAGS["checkpoint-every"], default: "500" },
  json: { type: "boolean", help: "print one JSON object with the results on stdout" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** The checked training flags of `lm train`. */
export function lmTrainConfig(values: FlagValues) {
  const arch = choiceFlag(values, "arch", ["gpt", "mlp"] as const);
  const gpt = arch === "gpt";
  const text = gpt && values.corpus !== "names";
  const given = (name: string, fallback: string): FlagValues => ({
    ...values,
    [name]: values[name] ?? fallback,
  });
  const steps = numberFlag(
    given("steps", text ? "12000" : gpt ? "4000" : "10000"),
    "steps",
    (n) => Number.isInteger(n) && n >= 0 && n <= MAX_STEPS,
    `an integer in [0, ${MAX_STEPS.toLocaleString("en")}]`,
  );
  return {
    arch,
    corpus: String(values.corpus),
    text,
    layers: numberFlag(values, "layers", positiveInt, "a positive integer"),
    heads: numberFlag(values, "heads", positiveInt, "a positive integer"),
    embd: numberFlag(values, "embd", positiveInt, "a positive integer"),
    block:
      values.block === undefined ? undefined : numberFlag(values, "block", positiveInt, "a positive integer"),
    dropout: numberFlag(
      given("dropout", text ? "0" : "0.1"),
      "dropout",
      (p) => p >= 0 && p < 1,
      "a number in [0, 1)",
    ),
    weightDecay: numberFlag(values, "weight-decay", (x) => x >= 0, "a number >= 0"),
    warmup: numberFlag(values, "warmup", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0"),
    gradClip: numberFlag(values, "grad-clip", (x) => x > 0, "a number > 0"),
    tokenizer: choiceFlag(values, "tokenizer", ["char", "bpe"] as const),
    vocab: numberFlag(values, "vocab", (n) => Number.isInteger(n) && n >= 258, "an integer >= 258"),
    context: numberFlag(values, "context", positiveInt, "a positive integer"),
    embed: numberFlag(values, "embed", positiveInt, "a positive integer"),
    hidden: numberFlag(values, "hidden", positiveInt, "a positive integer"),
    steps,
    batch: numberFlag(
      given("batch", text ? "16" : gpt ? "64" : "32"),
      "batch",
      positiveInt,
      "a positive integer",
    ),
    optimizer: choiceFlag(given("optimizer", gpt ? "adamw" : "adam"), "optimizer", [
      "adam",
      "adamw",
      "sgd",
    ] as const),
    lr: numberFlag(given("lr", text ? "5e-3" : gpt ? "4e-3" : "0.01"), "lr", (n) => n > 0, "a number > 0"),
    schedule: choiceFlag(values, "schedule", SCHEDULES),
    seed: numberFlag(values, "seed", Number.isInteger, "an integer"),
    dtype: choiceFlag(values, "dtype", ["float32", "float64"] as const),
    evalEvery:
      values["eval-every"] === undefined
        ? Math.max(1, Math.round(steps / (text ? 7 : 10)))
        : numberFlag(values, "eval-every", positiveInt, "a positive integer"),
    patience: numberFlag(
      given("patience", gpt ? "3" : "0"),
      "patience",
      (n) => Number.isInteger(n) && n >= 0,
      "an integer >= 0",
    ),
    samples: numberFlag(values, "samples", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0"),
    temperature: numberFlag(values, "temperature", (n) => n > 0, "a number > 0"),
  };
}

/** What `lmTrainConfig` read. */
export type LMTrainConfig = ReturnType<typeof lmTrainConfig>;

/** The model `lm train` trains: the one place that picks an architecture from the flags. */
export function languageModel(c: LMTrainConfig, vocabSize: number): MLPLanguageModel {
  return new MLPLanguageModel(
    { vocabSize, context: c.context, embed: c.embed, hidden: c.hidden },
    { seed: c.seed, dtype: c.dtype },
  );
}

/** The model's shape in words, for the first lines `lm train` prints. */
export function describeModel(c: LMTrainConfig): string {
  if (c.arch === "gpt")
    return `GPT, ${c.layers} layers, ${c.heads} heads, embd ${c.embd}, dropout ${c.dropout}`;
  return `context ${c.context}, embed ${c.embed}, hidden ${c.hidden} tanh`;
}

/**
 * The `fit` options both architectures share: the run's length and seed, validation every
 * `--eval-every` steps (with `--patience`), checkpoints, `--resume`, and progress lines unless
 * `--json` (losses shown per character through `perChar`).
 */
export function runOptions(
  c: LMTrainConfig,
  values: FlagValues,
  argv: readonly string[],
  io: CliIO,
  perChar: (perToken: number) => number,
  resume: FitCheckpoint | undefined,
): Partial<FitOptions> {
  return {
    batch: c.batch,
    steps: c.steps,
    seed: c.seed,
    evalEvery: c.evalEvery,
    ...(c.patience > 0 ? { patience: c.patience } : {}),
    ...checkpointOptions(values, argv),
    resume,
    ...(values.json === true ? {} : { onStep: progressPrinter(io, c.steps, perChar, resume?.step) }),
  };
}
