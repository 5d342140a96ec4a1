// The rows `lm train --arch gpt` trains and scores on, as JSON for scripts/torch-gpt-train.py:
// the same split, tokens and padding, so a PyTorch run sees exactly our data.
// Usage: node --import tsx scripts/lm-rows.ts names|moby-dick [BLOCK] > rows.json
import process from "node:process";
import { gptData } from "../src/cli/lm-gpt-data.ts";
import { LM_TRAIN_FLAGS, type LMTrainConfig, lmTrainConfig } from "../src/cli/lm-options.ts";
import type { Sequences } from "../src/text/sequences.ts";

const [corpus = "names", block] = process.argv.slice(2);
const defaults = Object.fromEntries(
  Object.entries(LM_TRAIN_FLAGS).flatMap(([k, f]) => (f.default === undefined ? [] : [[k, f.default]])),
);
const c: LMTrainConfig = lmTrainConfig({ ...defaults, arch: "gpt", corpus, ...(block ? { block } : {}) });
const d = gptData(corpus, c);
const rows = (s: Sequences) => ({ x: Array.from(s.x), y: Array.from(s.y), count: s.count, chars: s.chars });
process.stdout.write(
  JSON.stringify({
    corpus: d.name,
    vocabSize: d.vocabulary.size,
    block: d.block,
    train: rows(d.train),
    val: rows(d.val),
    test: rows(d.test),
  }),
);
