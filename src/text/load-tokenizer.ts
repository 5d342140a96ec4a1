import { BPETokenizer } from "./bpe-tokenizer.ts";
import { CharTokenizer } from "./char-tokenizer.ts";
import type { Tokenizer, TokenizerJSON } from "./tokenizer.ts";

/** A tokenizer from its saved vocabulary (what `toJSON` gave), of either kind. */
export function tokenizerFromJSON(json: unknown): Tokenizer {
  const kind = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (kind === "char") return CharTokenizer.fromJSON(json as TokenizerJSON & { kind: "char" });
  if (kind === "bpe") return BPETokenizer.fromJSON(json as TokenizerJSON & { kind: "bpe" });
  throw new Error(
    `tokenizerFromJSON: unknown tokenizer kind ${JSON.stringify(kind)} (expected "char" or "bpe")`,
  );
}
