import { readFileSync } from "node:fs";
import { Rng } from "../../engine/random.ts";
import { scheduleByName } from "../../nn/optim/schedule.ts";
import {
  type LanguageModelBundle,
  languageModelFromJSON,
  languageModelToJSON,
  sampleText,
} from "../../text/language-model-file.ts";
import { lossPerChar } from "../../text/loss-per-char.ts";
import { windowTensors } from "../../text/windows.ts";
import { type FitCheckpoint, fit } from "../../train/fit.ts";
import { type BackendChoice, useBackend } from "../backend-option.ts";
import { readResume } from "../checkpoint.ts";
import { writeFileAtomic } from "../files.ts";
import { commandFlags, type FlagTable, givenFlags, numberFlag } from "../flags.ts";
import { type CliIO, UsageError } from "../io.ts";
import { checkArchFlags } from "../lm-arch-flags.ts";
import { attention } from "../lm-attention.ts";
import { trainGPT } from "../lm-gpt.ts";
import { mlpData } from "../lm-mlp-data.ts";
import {
  describeModel,
  LM_TRAIN_FLAGS,
  languageModel,
  lmTrainConfig,
  positiveInt,
  runOptions,
} from "../lm-options.ts";
import { fmt, resultText } from "../lm-print.ts";
import { loadLanguageModelSafetensors } from "../lm-safetensors.ts";
import { checkTrainingOutputs } from "../save-options.ts";

const SAMPLE_FLAGS: FlagTable = {
  model: { type: "string", default: "lm.json", value: "FILE", help: "a model saved by lm train" },
  n: { type: "string", short: "n", default: "20", value: "N", help: "number of samples" },
  temperature: { type: "string", default: "1", value: "X", help: "below 1 safer, above 1 wilder" },
  seed: { type: "string", default: "1337", value: "N", help: "seed of the draws" },
  "max-length": { type: "string", default: "100", value: "N", help: "stop a sample after N tokens" },
  prompt: { type: "string", value: "TEXT", help: "text each sample continues (and starts with)" },
  "top-k": { type: "string", value: "K", help: "draw only among the K likeliest tokens" },
  json: { type: "boolean", help: "print one JSON object with the samples on stdout" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const HELP = `Usage: micrograd lm <train|sample|attention> [options]

A character-level language model: a GPT (token and position embeddings, causal self-attention
blocks; the default), or Bengio et al. 2003 (embeddings, one tanh layer, softmax; --arch mlp).

  micrograd lm train --corpus moby-dick --layers 2 --heads 2 --embd 64 --block 64
  micrograd lm train --arch mlp --corpus names --context 3 --embed 10 --hidden 200 --steps 10000
  micrograd lm sample --model lm.json -n 20 --temperature 0.8 --prompt "Call me " --top-k 10
  micrograd lm attention --model gpt.json --prompt "emma" --out attn.svg

Run "micrograd lm train --help" (or sample, attention) for the options.
`;

/** `micrograd lm train|sample`: trains a character-level language model, or samples one. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "train") return train(rest, io);
  if (sub === "sample") return sample(rest, io);
  if (sub === "attention") return attention(rest, io, readLanguageModel);
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    if (sub === undefined) {
      io.err(HELP);
      return 2;
    }
    io.out(HELP);
    return 0;
  }
  throw new UsageError(`unknown subcommand "${sub}": expected train, sample or attention`);
}

async function train(argv: string[], io: CliIO, resume?: FitCheckpoint): Promise<number> {
  const resumed = await readResume(argv);
  // Checkpoints name their --arch since the GPT became the default: one without it is an MLP run's.
  if (resumed !== undefined) return train(withArch(resumed.argv, "mlp"), io, resumed.checkpoint);
  const values = commandFlags(
    LM_TRAIN_FLAGS,
    argv,
    io,
    "micrograd lm train [options]",
    "Train a character-level language model: a GPT (the default; minutes), or Bengio's MLP (--arch mlp; seconds).",
  );
  if (values === undefined) return 0;
  const c = lmTrainConfig(values);
  checkArchFlags(c, givenFlags(LM_TRAIN_FLAGS, argv));
  const settings = withArch(argv, c.arch); // what a checkpoint keeps, whatever the default becomes
  checkTrainingOutputs(values, [String(values.corpus)]);
  const out = String(values.out);
  if (c.arch !== "gpt" && /\.(safetensors|onnx)$/.test(out))
    throw new UsageError(
      `--out ${out}: the MLP language model is saved as .json; .safetensors and .onnx are for --arch gpt`,
    );
  const backend = (await useBackend(values)) as BackendChoice; // --backend has a default
  if (c.arch === "gpt") return trainGPT(values, settings, io, c, backend.label, resume);
  const json = values.json === true;
  const d = mlpData(String(values.corpus), c, values.lowercase === true);
  const { tokenizer, vocabulary, data } = d;
  const model = languageModel(c, vocabulary.size);
  if (!json) {
    io.out(
      `${d.description}\n` +
        `${c.tokenizer} tokenizer: ${vocabulary.size} tokens used of ${tokenizer.vocabSize}\n` +
        `model: ${describeModel(c)}: ${model.parameterCount()} parameters, ${c.dtype} on ${backend.label}\n` +
        `bigram baseline: val ${fmt(d.bigramValLoss)}${d.text ? "" : `, test ${fmt(d.bigramTestLoss)}`} nats/char\n`,
    );
  }
  // fit measures the validation loss in nats per token; the tables show nats per character.
  const perChar = (perToken: number): number => (perToken * data.val.count) / data.val.chars;
  const result = fit(model, windowTensors(data.train), {
    loss: "softmax",
    optimizer: c.optimizer,
    lr: scheduleByName(c.schedule, c.lr, c.steps),
    validation: windowTensors(data.val),
    ...runOptions(c, values, settings, io, perChar, resume),
  });
  // With a validation set fit keeps the weights of the evaluation with the lowest loss.
  const loss = {
    train: lossPerChar(model, d.trainReport),
    val: lossPerChar(model, data.val),
    test: lossPerChar(model, data.test),
  };
  const rng = new Rng(c.seed);
  const info = {
    corpus: d.name,
    text: d.text,
    tokenizer: c.tokenizer,
    steps: c.steps,
    batch: c.batch,
    optimizer: c.optimizer,
    lr: c.lr,
    schedule: c.schedule,
    seed: c.seed,
    arch: "mlp",
    engine: `tensor on ${backend.label}`,
    dtype: c.dtype,
    trainLoss: loss.train,
    valLoss: loss.val,
    testLoss: loss.test,
    bigramTestLoss: d.bigramTestLoss,
  };
  const bundle: LanguageModelBundle = { tokenizer, vocabulary, model, info };
  const samples = Array.from({ length: c.samples }, () =>
    sampleText(bundle, rng, { temperature: c.temperature, ...(d.text ? { maxTokens: 200 } : {}) }),
  );
  await writeFileAtomic(out, `${JSON.stringify(languageModelToJSON(bundle))}\n`, "--out");
  // Training time without the validation passes (a resumed run counts only its own steps).
  const ms = result.ms - (result.validationMs ?? 0);
  const stepsRun = result.steps - (resume?.step ?? 0);
  const seconds = ms / 1000;
  const summary = {
    ...info,
    bigramValLoss: d.bigramValLoss,
    perplexity: { train: Math.exp(loss.train), val: Math.exp(loss.val), test: Math.exp(loss.test) },
    ms: Math.round(ms),
    stepsPerSecond: seconds > 0 ? stepsRun / seconds : 0,
    msPerStep: stepsRun > 0 ? ms / stepsRun : 0,
    tokensPerSecond: seconds > 0 ? (stepsRun * c.batch) / seconds : 0,
    bestStep: result.bestStep,
    stoppedBy: result.stoppedBy,
    patience: c.patience,
    parameters: model.parameterCount(),
    vocabSize: vocabulary.size,
    context: c.context,
    embed: c.embed,
    hidden: c.hidden,
    examples: d.examples,
    valChars: data.val.chars,
    model: out,
    samples,
  };
  io.out(json ? `${JSON.stringify(summary)}\n` : resultText(summary, seconds, stepsRun, c.temperature));
  return 0;
}

/** `argv` with `--arch arch` in front unless it names an architecture itself. */
function withArch(argv: string[], arch: string): string[] {
  return givenFlags(LM_TRAIN_FLAGS, argv).has("arch") ? argv : ["--arch", arch, ...argv];
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
  const topK =
    values["top-k"] === undefined
      ? undefined
      : numberFlag(values, "top-k", positiveInt, "a positive integer");
  const prompt = values.prompt === undefined ? "" : String(values.prompt);
  const path = String(values.model);
  const bundle = readLanguageModel(path);
  const rng = new Rng(seed);
  try {
    bundle.vocabulary.toModel(bundle.tokenizer.encode(prompt));
  } catch (error) {
    throw new UsageError(`--prompt ${JSON.stringify(prompt)}: ${(error as Error).message}`);
  }
  const samples = Array.from({ length: n }, () =>
    sampleText(bundle, rng, { temperature, maxTokens, topK, prompt }),
  );
  io.out(
    values.json === true
      ? `${JSON.stringify({ model: path, temperature, seed, samples })}\n`
      : samples.map((s) => `${s}\n`).join(""),
  );
  return 0;
}

/** A model file of lm train: JSON (any model) or safetensors (a GPT); problems are usage errors. */
function readLanguageModel(path: string): LanguageModelBundle {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(
      `--model ${path}: ${code === "ENOENT" ? "no such file (train one with micrograd lm train)" : (error as Error).message}`,
    );
  }
  if (path.endsWith(".onnx"))
    throw new UsageError(
      `--model ${path}: ONNX is export-only; give the .json or .safetensors file of the model`,
    );
  try {
    if (path.endsWith(".safetensors")) return loadLanguageModelSafetensors(bytes);
    return languageModelFromJSON(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    throw new UsageError(`--model ${path}: not a language model: ${(error as Error).message}`);
  }
}
