import { readFileSync, writeFileSync } from "node:fs";
import { Rng } from "../../engine/random.ts";
import { SCHEDULES, scheduleByName } from "../../nn/optim/schedule.ts";
import { BigramModel } from "../../text/bigram.ts";
import { BPETokenizer } from "../../text/bpe-tokenizer.ts";
import { CharTokenizer } from "../../text/char-tokenizer.ts";
import { splitCorpus, uniqueExamples } from "../../text/corpus.ts";
import { CorpusVocabulary } from "../../text/corpus-vocabulary.ts";
import {
  type LanguageModelBundle,
  languageModelFromJSON,
  languageModelToJSON,
  sampleText,
} from "../../text/language-model-file.ts";
import { lossPerChar } from "../../text/loss-per-char.ts";
import { MLPLanguageModel } from "../../text/mlp-language-model.ts";
import type { Tokenizer } from "../../text/tokenizer.ts";
import { makeWindows, type Windows, windowTensors } from "../../text/windows.ts";
import { type FitCheckpoint, fit } from "../../train/fit.ts";
import { BACKEND_FLAGS, type BackendChoice, useBackend } from "../backend-option.ts";
import { CHECKPOINT_FLAGS, checkpointOptions, readResume } from "../checkpoint.ts";
import { loadCorpus } from "../corpus-source.ts";
import { choiceFlag, commandFlags, type FlagTable, type FlagValues, numberFlag } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";

// Defaults reach a test loss of 2.085 nats/char on the deduplicated names in about 6 s (docs/language-model.md).
const TRAIN_FLAGS: FlagTable = {
  corpus: {
    type: "string",
    default: "names",
    value: "names|FILE.txt",
    help: "training text, one example per line (repeated lines are dropped before the split)",
  },
  lowercase: { type: "boolean", help: "lower-case a FILE corpus (names are always lower-cased)" },
  tokenizer: { type: "string", default: "char", value: "char|bpe", help: "characters, or byte-pair merges" },
  vocab: {
    type: "string",
    default: "300",
    value: "N",
    help: "target vocabulary of --tokenizer bpe (>= 258)",
  },
  context: { type: "string", default: "3", value: "N", help: "tokens of context" },
  embed: { type: "string", default: "10", value: "N", help: "embedding width" },
  hidden: { type: "string", default: "200", value: "N", help: "tanh units in the hidden layer" },
  steps: { type: "string", default: "10000", value: "N", help: "number of updates" },
  batch: { type: "string", default: "32", value: "N", help: "examples per update" },
  optimizer: { type: "string", default: "adam", value: "adam|sgd", help: "optimiser" },
  lr: { type: "string", default: "0.01", value: "X", help: "learning rate (start of the schedule)" },
  schedule: { type: "string", default: "cosine", value: SCHEDULES.join("|"), help: "learning-rate schedule" },
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
    help: "validation loss every N steps (default: steps/10); the weights of the lowest are kept",
  },
  out: { type: "string", default: "lm.json", value: "FILE", help: "where to save the trained model" },
  samples: { type: "string", default: "10", value: "N", help: "samples to print after training" },
  temperature: { type: "string", default: "0.8", value: "X", help: "temperature of those samples" },
  ...CHECKPOINT_FLAGS,
  // A checkpoint holds every step's record: every 500 of 10,000 steps keeps writing cheap.
  "checkpoint-every": { ...CHECKPOINT_FLAGS["checkpoint-every"], default: "500" },
  json: { type: "boolean", help: "print one JSON object with the results on stdout" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const SAMPLE_FLAGS: FlagTable = {
  model: { type: "string", default: "lm.json", value: "FILE", help: "a model saved by lm train" },
  n: { type: "string", short: "n", default: "20", value: "N", help: "number of samples" },
  temperature: { type: "string", default: "1", value: "X", help: "below 1 safer, above 1 wilder" },
  seed: { type: "string", default: "1337", value: "N", help: "seed of the draws" },
  "max-length": { type: "string", default: "100", value: "N", help: "stop a sample after N tokens" },
  json: { type: "boolean", help: "print one JSON object with the samples on stdout" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const HELP = `Usage: micrograd lm <train|sample> [options]

A character-level language model (Bengio et al. 2003: embeddings, one tanh layer, softmax).

  micrograd lm train --corpus names --context 3 --embed 10 --hidden 200 --steps 10000
  micrograd lm sample --model lm.json -n 20 --temperature 0.8

Run "micrograd lm train --help" or "micrograd lm sample --help" for the options.
`;

/** `micrograd lm train|sample`: trains a character-level language model, or samples one. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "train") return train(rest, io);
  if (sub === "sample") return sample(rest, io);
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    if (sub === undefined) {
      io.err(HELP);
      return 2;
    }
    io.out(HELP);
    return 0;
  }
  throw new UsageError(`unknown subcommand "${sub}": expected train or sample`);
}

const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;

async function train(argv: string[], io: CliIO, resume?: FitCheckpoint): Promise<number> {
  const values = commandFlags(
    TRAIN_FLAGS,
    argv,
    io,
    "micrograd lm train [options]",
    "Train a character-level MLP language model.",
  );
  if (values === undefined) return 0;
  const resumed = await readResume(values, argv);
  if (resumed !== undefined) return train(resumed.argv, io, resumed.checkpoint);
  const c = trainConfig(values);
  const backend = (await useBackend(values)) as BackendChoice; // --backend has a default
  const out = String(values.out);
  const json = values.json === true;
  const corpus = loadCorpus(String(values.corpus), values.lowercase === true);
  // Repeats go before the split, so that no validation or test example is also a training one.
  const examples = uniqueExamples(corpus.examples);
  const split = splitCorpus(examples, { seed: c.seed });
  if (split.train.length === 0) {
    throw new UsageError(
      `--corpus ${corpus.name}: ${examples.length} example(s) is too few to split 80/10/10`,
    );
  }
  // The character set comes from the whole corpus (as in makemore); BPE merges from train only.
  const tokenizer: Tokenizer =
    c.tokenizer === "char"
      ? CharTokenizer.fromText(examples)
      : BPETokenizer.train(split.train, { vocabSize: c.vocab });
  const vocabulary = CorpusVocabulary.fromCorpus(tokenizer, examples);
  const windows = (part: readonly string[]): Windows =>
    makeWindows(part, (s) => vocabulary.toModel(tokenizer.encode(s)), 0, c.context);
  const data = { train: windows(split.train), val: windows(split.val), test: windows(split.test) };
  const bigram = BigramModel.fit(data.train, vocabulary.size);
  const bigramLoss = (w: Windows): number => (w.count === 0 ? Number.NaN : bigram.totalLoss(w) / w.chars);
  const model = languageModel(c, vocabulary.size);
  if (!json) {
    const repeats = corpus.examples.length - examples.length;
    io.out(
      `corpus ${corpus.name}: ${examples.length} examples${repeats > 0 ? ` (${repeats} repeats dropped)` : ""} (train ${split.train.length}, val ${split.val.length}, test ${split.test.length}), ` +
        `${data.train.count} training predictions\n` +
        `${c.tokenizer} tokenizer: ${vocabulary.size} tokens used of ${tokenizer.vocabSize}\n` +
        `model: ${describe(c)}: ${model.parameterCount()} parameters, ${c.dtype} on ${backend.label}\n` +
        `bigram baseline: val ${fmt(bigramLoss(data.val))}, test ${fmt(bigramLoss(data.test))} nats/char\n`,
    );
  }
  // fit measures the validation loss in nats per token; the tables show nats per character.
  const perChar = (perToken: number): number => (perToken * data.val.count) / data.val.chars;
  const progress = { lastDraw: 0, sum: 0, since: 0, start: performance.now() };
  const result = fit(model, windowTensors(data.train), {
    loss: "softmax",
    optimizer: c.optimizer,
    lr: scheduleByName(c.schedule, c.lr, c.steps),
    batch: c.batch,
    steps: c.steps,
    seed: c.seed,
    validation: windowTensors(data.val),
    evalEvery: c.evalEvery,
    ...checkpointOptions(values, argv),
    resume,
    onStep: (info) => {
      if (json) return;
      progress.sum += info.loss;
      progress.since++;
      const now = performance.now();
      if (info.valLoss === undefined) {
        if (io.isTTY && now - progress.lastDraw > 100) {
          io.err(
            `\rstep ${info.step}/${c.steps}  batch loss ${info.loss.toFixed(4)}  lr ${info.lr.toPrecision(3)}`,
          );
          progress.lastDraw = now;
        }
        return;
      }
      if (io.isTTY) io.err("\r\u001b[K");
      const seconds = (now - progress.start) / 1000;
      io.out(
        `step ${String(info.step).padStart(String(c.steps).length)}/${c.steps}  batch loss ${fmt(progress.sum / progress.since)} nats/token  val ${fmt(perChar(info.valLoss))} nats/char  ${seconds > 0 ? Math.round(info.step / seconds) : 0} steps/s\n`,
      );
      progress.sum = 0;
      progress.since = 0;
    },
  });
  // With a validation set fit keeps the weights of the evaluation with the lowest loss.
  const loss = {
    train: lossPerChar(model, data.train),
    val: lossPerChar(model, data.val),
    test: lossPerChar(model, data.test),
  };
  const rng = new Rng(c.seed);
  const info = {
    corpus: corpus.name,
    tokenizer: c.tokenizer,
    steps: c.steps,
    batch: c.batch,
    optimizer: c.optimizer,
    lr: c.lr,
    schedule: c.schedule,
    seed: c.seed,
    engine: `tensor on ${backend.label}`,
    dtype: c.dtype,
    trainLoss: loss.train,
    valLoss: loss.val,
    testLoss: loss.test,
    bigramTestLoss: bigramLoss(data.test),
  };
  const bundle: LanguageModelBundle = { tokenizer, vocabulary, model, info };
  const samples = Array.from({ length: c.samples }, () =>
    sampleText(bundle, rng, { temperature: c.temperature }),
  );
  writeFileSync(out, `${JSON.stringify(languageModelToJSON(bundle))}\n`);
  // Training time without the validation passes (a resumed run counts only its own steps).
  const ms = result.ms - (result.validationMs ?? 0);
  const stepsRun = result.steps - (resume?.step ?? 0);
  const seconds = ms / 1000;
  const summary = {
    ...info,
    bigramValLoss: bigramLoss(data.val),
    perplexity: { train: Math.exp(loss.train), val: Math.exp(loss.val), test: Math.exp(loss.test) },
    ms: Math.round(ms),
    stepsPerSecond: seconds > 0 ? stepsRun / seconds : 0,
    tokensPerSecond: seconds > 0 ? (stepsRun * c.batch) / seconds : 0,
    bestStep: result.bestStep,
    stoppedBy: result.stoppedBy,
    parameters: model.parameterCount(),
    vocabSize: vocabulary.size,
    context: c.context,
    embed: c.embed,
    hidden: c.hidden,
    examples: { train: split.train.length, val: split.val.length, test: split.test.length },
    model: out,
    samples,
  };
  if (json) {
    io.out(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const row = (name: string, l: number, bg?: number): string =>
    `${name.padEnd(6)} ${fmt(l).padStart(9)} ${(Number.isNaN(l) ? "n/a" : Math.exp(l).toFixed(2)).padStart(10)}${bg === undefined ? "" : `${fmt(bg).padStart(12)}`}\n`;
  io.out(
    `\ntrained ${stepsRun} steps in ${seconds.toFixed(1)} s (${Math.round(summary.stepsPerSecond)} steps/s, ${Math.round(summary.tokensPerSecond)} tokens/s); weights of step ${result.bestStep} (lowest validation loss)\n` +
      `split  nats/char perplexity  bigram\n${row("train", loss.train)}${row("val", loss.val, summary.bigramValLoss)}${row("test", loss.test, summary.bigramTestLoss)}` +
      `saved ${out}\n` +
      (samples.length > 0 ? `samples (temperature ${c.temperature}): ${samples.join(", ")}\n` : ""),
  );
  return 0;
}

/** The checked training flags of `lm train`. */
function trainConfig(values: FlagValues) {
  const steps = numberFlag(values, "steps", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0");
  return {
    tokenizer: choiceFlag(values, "tokenizer", ["char", "bpe"] as const),
    vocab: numberFlag(values, "vocab", (n) => Number.isInteger(n) && n >= 258, "an integer >= 258"),
    context: numberFlag(values, "context", positiveInt, "a positive integer"),
    embed: numberFlag(values, "embed", positiveInt, "a positive integer"),
    hidden: numberFlag(values, "hidden", positiveInt, "a positive integer"),
    steps,
    batch: numberFlag(values, "batch", positiveInt, "a positive integer"),
    optimizer: choiceFlag(values, "optimizer", ["adam", "sgd"] as const),
    lr: numberFlag(values, "lr", (n) => n > 0, "a number > 0"),
    schedule: choiceFlag(values, "schedule", SCHEDULES),
    seed: numberFlag(values, "seed", Number.isInteger, "an integer"),
    dtype: choiceFlag(values, "dtype", ["float32", "float64"] as const),
    evalEvery:
      values["eval-every"] === undefined
        ? Math.max(1, Math.round(steps / 10))
        : numberFlag(values, "eval-every", positiveInt, "a positive integer"),
    samples: numberFlag(values, "samples", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0"),
    temperature: numberFlag(values, "temperature", (n) => n > 0, "a number > 0"),
  };
}

type TrainConfig = ReturnType<typeof trainConfig>;

/** The model `lm train` trains: the one place that picks an architecture from the flags. */
function languageModel(c: TrainConfig, vocabSize: number): MLPLanguageModel {
  return new MLPLanguageModel(
    { vocabSize, context: c.context, embed: c.embed, hidden: c.hidden },
    { seed: c.seed, dtype: c.dtype },
  );
}

/** The model's shape in words, for the first lines `lm train` prints. */
function describe(c: TrainConfig): string {
  return `context ${c.context}, embed ${c.embed}, hidden ${c.hidden} tanh`;
}

async function sample(argv: string[], io: CliIO): Promise<number> {
  const values = commandFlags(
    SAMPLE_FLAGS,
    argv,
    io,
    "micrograd lm sample [options]",
    "Sample text from a model saved by lm train.",
  );
  if (values === undefined) return 0;
  const n = numberFlag(values, "n", (x) => Number.isInteger(x) && x >= 0, "an integer >= 0");
  const temperature = numberFlag(values, "temperature", (x) => x > 0, "a number > 0");
  const seed = numberFlag(values, "seed", Number.isInteger, "an integer");
  const maxTokens = numberFlag(values, "max-length", positiveInt, "a positive integer");
  const path = String(values.model);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(
      `--model ${path}: ${code === "ENOENT" ? "no such file (train one with micrograd lm train)" : (error as Error).message}`,
    );
  }
  let bundle: LanguageModelBundle;
  try {
    bundle = languageModelFromJSON(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--model ${path}: not a language model: ${(error as Error).message}`);
  }
  const rng = new Rng(seed);
  const samples = Array.from({ length: n }, () => sampleText(bundle, rng, { temperature, maxTokens }));
  io.out(
    values.json === true
      ? `${JSON.stringify({ model: path, temperature, seed, samples })}\n`
      : samples.map((s) => `${s}\n`).join(""),
  );
  return 0;
}

/** Four decimals, or "n/a" for a split too small to have examples. */
const fmt = (x: number): string => (Number.isNaN(x) ? "n/a" : x.toFixed(4));
