import { BigramModel } from "../text/bigram.ts";
import { CharTokenizer } from "../text/char-tokenizer.ts";
import { CorpusVocabulary } from "../text/corpus-vocabulary.ts";
import type { Windows } from "../text/windows.ts";
import { loadText } from "./corpus-source.ts";
import { UsageError } from "./io.ts";

/** A running text (moby-dick, FILE.txt) as characters, cut 90/10 into contiguous parts. */
export interface TextSplit {
  readonly name: string;
  readonly tokenizer: CharTokenizer;
  readonly vocabulary: CorpusVocabulary;
  /** The first 90% of the text's model ids. */
  readonly trainIds: Int32Array;
  /** The last 10%. */
  readonly valIds: Int32Array;
  /**
   * How many characters of the validation text are scored: `valIds[1 .. 1 + valTargets)`, the
   * targets of its consecutive non-overlapping windows of `block` (the same characters for
   * every model, so their losses compare).
   */
  readonly valTargets: number;
  /** Where the last stretch of training text as long as the validation text starts (for `trainLoss`). */
  readonly trainReportFrom: number;
  /** A counted bigram's validation loss, in nats per character. */
  readonly bigramValLoss: number;
}

/**
 * Reads a running text, builds its character tokenizer and vocabulary, and cuts it: the first
 * 90% trains, the last 10% validates, contiguous; no test part.
 */
export function textSplit(spec: string, block: number): TextSplit {
  const { name, text } = loadText(spec);
  const tokenizer = CharTokenizer.fromText(text);
  const vocabulary = CorpusVocabulary.fromCorpus(tokenizer, [text]);
  const ids = Int32Array.from(vocabulary.toModel(tokenizer.encode(text)));
  const cut = Math.floor(ids.length * 0.9);
  const trainIds = ids.subarray(0, cut);
  const valIds = ids.subarray(cut);
  if (valIds.length <= block)
    throw new UsageError(
      `--corpus ${spec}: the last 10% (${valIds.length} characters) is shorter than a block of ${block}`,
    );
  const bigram = BigramModel.fit(pairs(trainIds), vocabulary.size);
  const valPairs = pairs(valIds);
  return {
    name,
    tokenizer,
    vocabulary,
    trainIds,
    valIds,
    valTargets: (Math.floor((valIds.length - 1 - block) / block) + 1) * block,
    trainReportFrom: Math.max(0, cut - valIds.length),
    bigramValLoss: bigram.totalLoss(valPairs) / valPairs.chars,
  };
}

/** Each token with the one before it, as windows of context 1 (for the bigram baseline). */
function pairs(ids: Int32Array): Windows {
  const count = Math.max(0, ids.length - 1);
  return { x: ids.slice(0, count), y: ids.slice(1), count, context: 1, chars: count };
}
