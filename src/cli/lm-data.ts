import { BigramModel } from "../text/bigram.ts";
import { BPETokenizer } from "../text/bpe-tokenizer.ts";
import { CharTokenizer } from "../text/char-tokenizer.ts";
import { type CorpusSplit, splitCorpus, uniqueExamples } from "../text/corpus.ts";
import { CorpusVocabulary } from "../text/corpus-vocabulary.ts";
import type { Tokenizer } from "../text/tokenizer.ts";
import { makeWindows, type Windows } from "../text/windows.ts";
import type { LoadedCorpus } from "./corpus-source.ts";
import { UsageError } from "./io.ts";
import type { LMTrainConfig } from "./lm-options.ts";

/** What `lm train` trains and scores on, made from a corpus. */
export interface LanguageData {
  readonly corpus: LoadedCorpus;
  /** The corpus's examples without repeats, in first-seen order. */
  readonly examples: readonly string[];
  readonly split: CorpusSplit<string>;
  readonly tokenizer: Tokenizer;
  readonly vocabulary: CorpusVocabulary;
  /** The windows of each split. */
  readonly data: { readonly train: Windows; readonly val: Windows; readonly test: Windows };
  /** A counted bigram's loss on some windows, in nats per character (fit on the training split). */
  readonly bigramLoss: (w: Windows) => number;
}

/**
 * Drops repeated examples, then splits 80/10/10 with the seed (so that no validation or test
 * example is also a training one), builds the tokenizer (characters from the whole corpus, as in
 * makemore; BPE merges from the training split only), the model's vocabulary, the windows of
 * each split and a counted bigram baseline.
 */
export function languageData(corpus: LoadedCorpus, c: LMTrainConfig): LanguageData {
  const examples = uniqueExamples(corpus.examples);
  const split = splitCorpus(examples, { seed: c.seed });
  if (split.train.length === 0) {
    throw new UsageError(
      `--corpus ${corpus.name}: ${examples.length} example(s) is too few to split 80/10/10`,
    );
  }
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
  return { corpus, examples, split, tokenizer, vocabulary, data, bigramLoss };
}
