// The Language model view's GPT training, for the GPT's worker (lm-gpt-worker.ts): the names as
// GPT rows and the run of `micrograd lm train --arch gpt` (smaller, to learn within seconds), for
// the same `fit` loop as the MLP's (lm-run.ts).
import {
  exampleSequences,
  GPT,
  type GPTConfig,
  type Sequences,
  sequenceTensors,
  warmupCosine,
} from "../../src/index.ts";
import { charsOf, type NamesTraining, namesCorpus } from "./lm-setup.ts";

/** The CLI's names GPT made smaller (embedding 32, 3,000 steps, no dropout) to train in seconds. */
export const GPT_SETTINGS = {
  layers: 2,
  heads: 2,
  embd: 32,
  seed: 1337,
  steps: 3000,
  batch: 32,
  lr: 3e-3,
  warmup: 100,
  weightDecay: 0.1,
  gradClip: 1,
};

/** The GPT on the names: one row per name, AdamW, warm-up then cosine decay to a tenth. */
export function gptTraining(names: readonly string[], s = GPT_SETTINGS): NamesTraining {
  const corpus = namesCorpus(names, s.seed);
  const { encode, split } = corpus;
  // As the CLI: the context holds the longest name and its end.
  const block = Math.max(...names.map((n) => encode(n).length)) + 1;
  const rows = (part: readonly string[]): Sequences =>
    exampleSequences(
      part.map(encode),
      0,
      block,
      part.map((n) => [...n].length),
    );
  const train = rows(split.train);
  const val = rows(split.val);
  const config: GPTConfig = {
    vocabSize: corpus.vocabulary.size,
    block,
    layers: s.layers,
    heads: s.heads,
    embd: s.embd,
  };
  return {
    arch: "gpt",
    model: new GPT(config, { seed: s.seed }),
    config,
    chars: charsOf(corpus),
    data: sequenceTensors(train),
    validation: sequenceTensors(val),
    predictions: train.chars,
    // fit's validation loss is per target, and every target is a character or a name's end
    perChar: 1,
    options: {
      loss: "softmax",
      optimizer: "adamw",
      steps: s.steps,
      batch: s.batch,
      lr: warmupCosine(s.lr, s.warmup, s.steps, s.lr / 10),
      weightDecay: s.weightDecay,
      gradClip: s.gradClip,
      seed: s.seed,
      evalEvery: 250,
    },
  };
}
