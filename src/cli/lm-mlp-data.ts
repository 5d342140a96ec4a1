import type { CorpusVocabulary } from "../text/corpus-vocabulary.ts";
import type { Tokenizer } from "../text/tokenizer.ts";
import { textWindows, type Windows } from "../text/windows.ts";
import { loadCorpus } from "./corpus-source.ts";
import { UsageError } from "./io.ts";
import { languageData } from "./lm-data.ts";
import type { LMTrainConfig } from "./lm-options.ts";
import { textSplit } from "./lm-text-split.ts";

/** What the MLP language model of `lm train` trains and scores on. */
export interface MLPData {
  readonly name: string;
  /** Whether the corpus is one running text (moby-dick) rather than examples. */
  readonly text: boolean;
  readonly tokenizer: Tokenizer;
  readonly vocabulary: CorpusVocabulary;
  /** Windows of each part (test is empty for a running text), and those `trainLoss` is measured on. */
  readonly data: { readonly train: Windows; readonly val: Windows; readonly test: Windows };
  readonly trainReport: Windows;
  /** Examples (names, lines) or characters (a running text) in each part. */
  readonly examples: { readonly train: number; readonly val: number; readonly test: number };
  /** The first line `lm train` prints: the corpus and its parts. */
  readonly description: string;
  /** A counted bigram's validation and test loss, in nats per character (NaN: no such part). */
  readonly bigramValLoss: number;
  readonly bigramTestLoss: number;
}

/**
 * The MLP's data: examples (names, FILE.txt lines) deduplicated and split 80/10/10; or
 * moby-dick as the GPT reads it, one running text cut 90/10 (see `textSplit`), every training
 * character a target, and the validation loss over exactly the characters the GPT is scored on
 * (the targets of its windows of `--block`, default 64), so the two models' figures compare.
 */
export function mlpData(spec: string, c: LMTrainConfig, lowercase: boolean): MLPData {
  if (spec === "moby-dick") return mlpTextData(spec, c);
  const d = languageData(loadCorpus(spec, lowercase), c);
  const repeats = d.corpus.examples.length - d.examples.length;
  const { split } = d;
  return {
    name: d.corpus.name,
    text: false,
    tokenizer: d.tokenizer,
    vocabulary: d.vocabulary,
    data: d.data,
    trainReport: d.data.train,
    examples: { train: split.train.length, val: split.val.length, test: split.test.length },
    description: `corpus ${d.corpus.name}: ${d.examples.length} examples${repeats > 0 ? ` (${repeats} repeats dropped)` : ""} (train ${split.train.length}, val ${split.val.length}, test ${split.test.length}), ${d.data.train.count} training predictions`,
    bigramValLoss: d.bigramLoss(d.data.val),
    bigramTestLoss: d.bigramLoss(d.data.test),
  };
}

function mlpTextData(spec: string, c: LMTrainConfig): MLPData {
  if (c.tokenizer !== "char")
    throw new UsageError(`--tokenizer ${c.tokenizer}: --corpus ${spec} is read in characters`);
  const t = textSplit(spec, c.block ?? 64);
  const eos = 0; // model id 0; never a target in a running text, it pads the context before its start
  const windows = (ids: Int32Array, from: number, count: number): Windows =>
    textWindows(ids, c.context, eos, from, from + count);
  const train = windows(t.trainIds, 1, t.trainIds.length - 1);
  return {
    name: t.name,
    text: true,
    tokenizer: t.tokenizer,
    vocabulary: t.vocabulary,
    data: { train, val: windows(t.valIds, 1, t.valTargets), test: windows(t.valIds, 0, 0) },
    trainReport: windows(t.trainIds, t.trainReportFrom + 1, t.valTargets),
    examples: { train: t.trainIds.length, val: t.valIds.length, test: 0 },
    description: `corpus ${t.name}: characters train ${t.trainIds.length}, val ${t.valIds.length} (${t.valTargets} scored, as the GPT's windows); ${train.count} training predictions`,
    bigramValLoss: t.bigramValLoss,
    bigramTestLoss: Number.NaN,
  };
}
