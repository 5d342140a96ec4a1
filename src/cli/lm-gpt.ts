import { Rng } from "../engine/random.ts";
import { exportGPTOnnx } from "../io/gpt-onnx.ts";
import { GPT } from "../nn/gpt.ts";
import { warmupCosine } from "../nn/optim/schedule.ts";
import { type LanguageModelBundle, languageModelToJSON, sampleText } from "../text/language-model-file.ts";
import { sequenceLossPerChar, sequenceTensors } from "../text/sequences.ts";
import { type FitCheckpoint, fit } from "../train/fit.ts";
import { writeFileAtomic } from "./files.ts";
import type { FlagValues } from "./flags.ts";
import type { CliIO } from "./io.ts";
import { gptData } from "./lm-gpt-data.ts";
import { describeModel, type LMTrainConfig, runOptions } from "./lm-options.ts";
import { fmt, resultText } from "./lm-print.ts";
import { saveLanguageModelSafetensors } from "./lm-safetensors.ts";

/**
 * `lm train --arch gpt`: a GPT trained through `fit` with AdamW, a warm-up then a cosine decay
 * to a tenth of the rate, gradient clipping, dropout, and the weights of the evaluation with
 * the lowest validation loss kept.
 */
export async function trainGPT(
  values: FlagValues,
  argv: readonly string[],
  io: CliIO,
  c: LMTrainConfig,
  backendLabel: string,
  resume: FitCheckpoint | undefined,
): Promise<number> {
  const d = gptData(c.corpus, c);
  const shape = { layers: c.layers, heads: c.heads, embd: c.embd, dropout: c.dropout };
  const model = new GPT(
    { vocabSize: d.vocabulary.size, block: d.block, ...shape },
    { seed: c.seed, dtype: c.dtype },
  );
  const json = values.json === true;
  const out = String(values.out);
  if (!json) {
    const what = c.text ? "characters" : "examples";
    io.out(
      `corpus ${d.name}: ${what} train ${d.examples.train}, val ${d.examples.val}${c.text ? "" : `, test ${d.examples.test}`}; ${d.train.count} training rows of ${d.block}\n` +
        `char tokenizer: ${d.vocabulary.size} tokens\n` +
        `model: ${describeModel(c)}, block ${d.block}: ${model.parameterCount()} parameters, ${c.dtype} on ${backendLabel}\n` +
        `bigram baseline: val ${fmt(d.bigramValLoss)}${c.text ? "" : `, test ${fmt(d.bigramTestLoss)}`} nats/char\n`,
    );
  }
  const val = sequenceTensors(d.val);
  // fit's validation loss is per target; for a character tokenizer that is per character
  const perChar = (perToken: number): number => perToken;
  const result = fit(model, sequenceTensors(d.train), {
    loss: "softmax",
    optimizer: c.optimizer,
    lr: warmupCosine(c.lr, c.warmup, c.steps, c.lr / 10),
    weightDecay: c.weightDecay,
    gradClip: c.gradClip,
    validation: val,
    ...runOptions(c, values, argv, io, perChar, resume),
  });
  const loss = {
    train: sequenceLossPerChar(model, d.trainReport),
    val: sequenceLossPerChar(model, d.val),
    test: sequenceLossPerChar(model, d.test),
  };
  const info = {
    corpus: d.name,
    text: c.text,
    arch: "gpt",
    tokenizer: "char",
    steps: c.steps,
    batch: c.batch,
    optimizer: c.optimizer,
    lr: c.lr,
    schedule: `warm-up ${c.warmup} steps, cosine to ${c.lr / 10}`,
    seed: c.seed,
    engine: `tensor on ${backendLabel}`,
    dtype: c.dtype,
    trainLoss: loss.train,
    valLoss: loss.val,
    testLoss: loss.test,
    bigramTestLoss: d.bigramTestLoss,
  };
  const bundle: LanguageModelBundle = { tokenizer: d.tokenizer, vocabulary: d.vocabulary, model, info };
  const rng = new Rng(c.seed);
  const samples = Array.from({ length: c.samples }, () =>
    sampleText(bundle, rng, { temperature: c.temperature, ...(c.text ? { maxTokens: 200 } : {}) }),
  );
  const bytes = out.endsWith(".safetensors")
    ? saveLanguageModelSafetensors(bundle)
    : out.endsWith(".onnx")
      ? exportGPTOnnx(model)
      : `${JSON.stringify(languageModelToJSON(bundle))}\n`;
  await writeFileAtomic(out, bytes, "--out");
  const ms = result.ms - (result.validationMs ?? 0);
  const stepsRun = result.steps - (resume?.step ?? 0);
  const seconds = ms / 1000;
  const summary = {
    ...info,
    bigramValLoss: d.bigramValLoss,
    ms: Math.round(ms),
    msPerStep: stepsRun > 0 ? ms / stepsRun : 0,
    stepsPerSecond: seconds > 0 ? stepsRun / seconds : 0,
    tokensPerSecond: seconds > 0 ? (stepsRun * c.batch * d.block) / seconds : 0,
    bestStep: result.bestStep,
    stoppedBy: result.stoppedBy,
    patience: c.patience,
    parameters: model.parameterCount(),
    vocabSize: d.vocabulary.size,
    block: d.block,
    ...shape,
    examples: d.examples,
    valChars: d.val.chars,
    model: out,
    samples,
  };
  io.out(json ? `${JSON.stringify(summary)}\n` : resultText(summary, seconds, stepsRun, c.temperature));
  return 0;
}
