import { readFileSync, writeFileSync } from "node:fs";
import { Rng } from "../../engine/random.ts";
import { SCHEDULES, scheduleByName } from "../../nn/optim/schedule.ts";
import { BigramModel } from "../../text/bigram.ts";
import { BPETokenizer } from "../../text/bpe-tokenizer.ts";
import { CharTokenizer } from "../../text/char-tokenizer.ts";
import { splitCorpus } from "../../text/corpus.ts";
import { CorpusVocabulary } from "../../text/corpus-vocabulary.ts";
import {
  type LanguageModelBundle,
  languageModelFromJSON,
  languageModelToJSON,
  sampleText,
} from "../../text/language-model-file.ts";
import { MLPLanguageModel } from "../../text/mlp-language-model.ts";
import type { Tokenizer } from "../../text/tokenizer.ts";
import { type LMEvalInfo, lossPerChar, trainLanguageModel } from "../../text/train-language-model.ts";
import { makeWindows, type Windows } from "../../text/windows.ts";
import { loadCorpus } from "../corpus-source.ts";
import { choiceFlag, commandFlags, type FlagTable, numberFlag } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";

// Defaults reach a test loss of about 2.08 nats/char on the names in well under a minute (README).
const TRAIN_FLAGS: FlagTable = {
  corpus: {
    type: "string",
    default: "names",
    value: "names|FILE.txt",
    help: "training text, one example per line",
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
  engine: {
    type: "string",
    default: "fused",
    value: "fused|tensor",
    help: "hand-written kernels, or the library's tensor ops (same numbers, slower)",
  },
  "eval-every": { type: "string", value: "N", help: "validation loss every N steps (default: steps/10)" },
  out: { type: "string", default: "lm.json", value: "FILE", help: "where to save the trained model" },
  samples: { type: "string", default: "10", value: "N", help: "samples to print after training" },
  temperature: { type: "string", default: "0.8", value: "X", help: "temperature of those samples" },
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

async function train(argv: string[], io: CliIO): Promise<number> {
  const values = commandFlags(
    TRAIN_FLAGS,
    argv,
    io,
    "micrograd lm train [options]",
    "Train a character-level MLP language model.",
  );
  if (values === undefined) return 0;
  const steps = numberFlag(values, "steps", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0");
  const c = {
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
    engine: choiceFlag(values, "engine", ["fused", "tensor"] as const),
    evalEvery:
      values["eval-every"] === undefined
        ? Math.max(1, Math.round(steps / 10))
        : numberFlag(values, "eval-every", positiveInt, "a positive integer"),
    samples: numberFlag(values, "samples", (n) => Number.isInteger(n) && n >= 0, "an integer >= 0"),
    temperature: numberFlag(values, "temperature", (n) => n > 0, "a number > 0"),
  };
  const out = String(values.out);
  const json = values.json === true;
  const corpus = loadCorpus(String(values.corpus), values.lowercase === true);
  const split = splitCorpus(corpus.examples, { seed: c.seed });
  if (split.train.length === 0) {
    throw new UsageError(
      `--corpus ${corpus.name}: ${corpus.examples.length} example(s) is too few to split 80/10/10`,
    );
  }
  // The character set comes from the whole corpus (as in makemore); BPE merges from train only.
  const tokenizer: Tokenizer =
    c.tokenizer === "char"
      ? CharTokenizer.fromText(corpus.examples)
      : BPETokenizer.train(split.train, { vocabSize: c.vocab });
  const vocabulary = CorpusVocabulary.fromCorpus(tokenizer, corpus.examples);
  const windows = (examples: readonly string[]): Windows =>
    makeWindows(examples, (s) => vocabulary.toModel(tokenizer.encode(s)), 0, c.context);
  const data = { train: windows(split.train), val: windows(split.val), test: windows(split.test) };
  const bigram = BigramModel.fit(data.train, vocabulary.size);
  const bigramLoss = (w: Windows): number => (w.count === 0 ? Number.NaN : bigram.totalLoss(w) / w.chars);
  const model = new MLPLanguageModel(
    { vocabSize: vocabulary.size, context: c.context, embed: c.embed, hidden: c.hidden },
    { seed: c.seed, engine: c.engine },
  );
  if (!json) {
    io.out(
      `corpus ${corpus.name}: ${corpus.examples.length} examples (train ${split.train.length}, val ${split.val.length}, test ${split.test.length}), ` +
        `${data.train.count} training predictions\n` +
        `${c.tokenizer} tokenizer: ${vocabulary.size} tokens used of ${tokenizer.vocabSize}\n` +
        `model: context ${c.context}, embed ${c.embed}, hidden ${c.hidden} tanh: ${model.size} parameters\n` +
        `bigram baseline: val ${fmt(bigramLoss(data.val))}, test ${fmt(bigramLoss(data.test))} nats/char\n`,
    );
  }
  let lastDraw = 0;
  const result = trainLanguageModel(
    model,
    data.train,
    {
      steps: c.steps,
      batch: c.batch,
      optimizer: c.optimizer,
      lr: scheduleByName(c.schedule, c.lr, c.steps),
      seed: c.seed,
      evalEvery: c.evalEvery,
      onStep: (info) => {
        if (json || !io.isTTY) return;
        const now = Date.now();
        if (now - lastDraw > 100) {
          io.err(
            `\rstep ${info.step}/${c.steps}  batch loss ${info.loss.toFixed(4)}  lr ${info.lr.toPrecision(3)}`,
          );
          lastDraw = now;
        }
      },
      onEval: (info: LMEvalInfo) => {
        if (json) return;
        if (io.isTTY) io.err("\r\u001b[K");
        const rate = info.ms > 0 ? Math.round((info.step / info.ms) * 1000) : 0;
        io.out(
          `step ${String(info.step).padStart(String(c.steps).length)}/${c.steps}  batch loss ${fmt(info.batchLoss)} nats/token  val ${fmt(info.valLoss)} nats/char  ${rate} steps/s\n`,
        );
      },
    },
    data.val,
  );
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
    engine: c.engine,
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
  const seconds = result.ms / 1000;
  const summary = {
    ...info,
    bigramValLoss: bigramLoss(data.val),
    perplexity: { train: Math.exp(loss.train), val: Math.exp(loss.val), test: Math.exp(loss.test) },
    ms: Math.round(result.ms),
    stepsPerSecond: seconds > 0 ? c.steps / seconds : 0,
    tokensPerSecond: seconds > 0 ? (c.steps * c.batch) / seconds : 0,
    parameters: model.size,
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
    `\ntrained ${c.steps} steps in ${seconds.toFixed(1)} s (${Math.round(summary.stepsPerSecond)} steps/s, ${Math.round(summary.tokensPerSecond)} tokens/s)\n` +
      `split  nats/char perplexity  bigram\n${row("train", loss.train)}${row("val", loss.val, summary.bigramValLoss)}${row("test", loss.test, summary.bigramTestLoss)}` +
      `saved ${out}\n` +
      (samples.length > 0 ? `samples (temperature ${c.temperature}): ${samples.join(", ")}\n` : ""),
  );
  return 0;
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
