import type { CorpusVocabulary } from "../text/corpus-vocabulary.ts";
import { exampleSequences, type Sequences, textSequences } from "../text/sequences.ts";
import type { Tokenizer } from "../text/tokenizer.ts";
import { loadCorpus } from "./corpus-source.ts";
import { UsageError } from "./io.ts";
import { languageData } from "./lm-data.ts";
import type { LMTrainConfig } from "./lm-options.ts";
import { textSplit } from "./lm-text-split.ts";

/** What `lm train --arch gpt` trains and scores on. */
export interface GPTData {
  readonly name: string;
  readonly tokenizer: Tokenizer;
  readonly vocabulary: CorpusVocabulary;
  readonly block: number;
  /** Training rows, validation rows, test rows (none for a running text), and rows to report the training loss on. */
  readonly train: Sequences;
  readonly val: Sequences;
  readonly test: Sequences;
  readonly trainReport: Sequences;
  /** Examples (names) or characters (a text) in each part. */
  readonly examples: { readonly train: number; readonly val: number; readonly test: number };
  /** A counted bigram's test loss (validation loss for a text), in nats per character. */
  readonly bigramTestLoss: number;
  readonly bigramValLoss: number;
}

/**
 * The names as GPT rows (the same deduplicated 80/10/10 split as the MLP's), or a running text
 * (moby-dick, FILE.txt) cut 90/10 into contiguous training and validation text: training rows
 * start every block/8 characters, validation rows are consecutive and do not overlap.
 */
export function gptData(spec: string, c: LMTrainConfig): GPTData {
  if (!c.text) {
    const d = languageData(loadCorpus(spec, false), c);
    const encode = (s: string): number[] => d.vocabulary.toModel(d.tokenizer.encode(s));
    const longest = Math.max(...d.examples.map((e) => encode(e).length));
    const block = c.block ?? longest + 1;
    if (block < longest + 1) throw new UsageError(`--block ${block}: the longest name needs ${longest + 1}`);
    const rows = (part: readonly string[]): Sequences =>
      exampleSequences(
        part.map(encode),
        0,
        block,
        part.map((s) => [...s].length),
      );
    const train = rows(d.split.train);
    return {
      name: d.corpus.name,
      tokenizer: d.tokenizer,
      vocabulary: d.vocabulary,
      block,
      train,
      val: rows(d.split.val),
      test: rows(d.split.test),
      trainReport: train,
      examples: { train: d.split.train.length, val: d.split.val.length, test: d.split.test.length },
      bigramTestLoss: d.bigramLoss(d.data.test),
      bigramValLoss: d.bigramLoss(d.data.val),
    };
  }
  const block = c.block ?? 64;
  const t = textSplit(spec, block);
  return {
    name: t.name,
    tokenizer: t.tokenizer,
    vocabulary: t.vocabulary,
    block,
    train: textSequences(t.trainIds, block, Math.max(1, Math.floor(block / 8))),
    val: textSequences(t.valIds, block, block),
    test: textSequences(new Int32Array(0), block, block),
    // the last stretch of training text as long as the validation text, scored the same way
    trainReport: textSequences(t.trainIds.subarray(t.trainReportFrom), block, block),
    examples: { train: t.trainIds.length, val: t.valIds.length, test: 0 },
    bigramTestLoss: Number.NaN,
    bigramValLoss: t.bigramValLoss,
  };
}
