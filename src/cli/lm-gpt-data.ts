import { BigramModel } from "../text/bigram.ts";
import { CharTokenizer } from "../text/char-tokenizer.ts";
import { CorpusVocabulary } from "../text/corpus-vocabulary.ts";
import { exampleSequences, type Sequences, textSequences } from "../text/sequences.ts";
import type { Tokenizer } from "../text/tokenizer.ts";
import type { Windows } from "../text/windows.ts";
import { loadCorpus, loadText } from "./corpus-source.ts";
import { UsageError } from "./io.ts";
import { languageData } from "./lm-data.ts";
import type { LMTrainConfig } from "./lm-options.ts";

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
  const { name, text } = loadText(spec);
  const tokenizer = CharTokenizer.fromText(text);
  const vocabulary = CorpusVocabulary.fromCorpus(tokenizer, [text]);
  const ids = Int32Array.from(vocabulary.toModel(tokenizer.encode(text)));
  const block = c.block ?? 64;
  const cut = Math.floor(ids.length * 0.9);
  const trainIds = ids.subarray(0, cut);
  const valIds = ids.subarray(cut);
  if (valIds.length <= block)
    throw new UsageError(
      `--corpus ${spec}: the last 10% (${valIds.length} characters) is shorter than a block of ${block}`,
    );
  const bigram = BigramModel.fit(pairs(trainIds), vocabulary.size);
  const valPairs = pairs(valIds);
  const bigramVal = bigram.totalLoss(valPairs) / valPairs.chars;
  return {
    name,
    tokenizer,
    vocabulary,
    block,
    train: textSequences(trainIds, block, Math.max(1, Math.floor(block / 8))),
    val: textSequences(valIds, block, block),
    test: textSequences(new Int32Array(0), block, block),
    // the last stretch of training text as long as the validation text, scored the same way
    trainReport: textSequences(trainIds.subarray(Math.max(0, cut - valIds.length)), block, block),
    examples: { train: trainIds.length, val: valIds.length, test: 0 },
    bigramTestLoss: Number.NaN,
    bigramValLoss: bigramVal,
  };
}

/** Each token with the one before it, as windows of context 1 (for the bigram baseline). */
function pairs(ids: Int32Array): Windows {
  const count = Math.max(0, ids.length - 1);
  return { x: ids.slice(0, count), y: ids.slice(1), count, context: 1, chars: count };
}
