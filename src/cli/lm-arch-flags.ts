import { UsageError } from "./io.ts";

// Flags of `lm train` that only one architecture reads. Given to the other one they would be
// ignored without a word (and since the GPT became the default, an MLP command line without
// `--arch mlp` trains a GPT), so they are usage errors that say what to add.

/** Flags only the MLP reads (`--tokenizer char` is what the GPT uses anyway). */
const MLP_ONLY = ["context", "embed", "hidden", "tokenizer", "vocab", "schedule"] as const;
/** Flags only the GPT reads (`--block` also sets the MLP's scored windows on moby-dick). */
const GPT_ONLY = [
  "layers",
  "heads",
  "embd",
  "block",
  "dropout",
  "weight-decay",
  "warmup",
  "grad-clip",
] as const;

/** What the check needs of the training options. */
export interface ArchFlagsRun {
  readonly arch: "mlp" | "gpt";
  readonly corpus: string;
  readonly tokenizer: "char" | "bpe";
}

/**
 * Throws a `UsageError` for a flag given on the command line (`given`, see `givenFlags`) that the
 * chosen architecture would not read: an MLP flag without `--arch mlp`, a GPT flag with it,
 * `--vocab` without `--tokenizer bpe`, `--lowercase` where the corpus is read as it is.
 *
 * @example
 * checkArchFlags({ arch: "gpt", corpus: "names", tokenizer: "char" }, new Set(["hidden"]));
 * // throws: --hidden is a flag of --arch mlp (the default is now gpt): add --arch mlp
 */
export function checkArchFlags(run: ArchFlagsRun, given: ReadonlySet<string>): void {
  if (run.arch === "gpt") {
    for (const name of MLP_ONLY) {
      if (given.has(name) && !(name === "tokenizer" && run.tokenizer === "char"))
        throw new UsageError(`--${name} is a flag of --arch mlp (the default is now gpt): add --arch mlp`);
    }
    if (given.has("lowercase") && run.corpus !== "names")
      throw new UsageError(
        "--lowercase is a flag of --arch mlp (the GPT reads a text as it is; the default is now gpt): add --arch mlp",
      );
    return;
  }
  for (const name of GPT_ONLY) {
    if (given.has(name) && !(name === "block" && run.corpus === "moby-dick"))
      throw new UsageError(
        `--${name} is a flag of --arch gpt${name === "block" ? " (and of the MLP on --corpus moby-dick)" : ""}: drop it, or use --arch gpt`,
      );
  }
  if (given.has("vocab") && run.tokenizer !== "bpe")
    throw new UsageError("--vocab is a flag of --tokenizer bpe: add --tokenizer bpe");
  if (given.has("lowercase") && run.corpus === "moby-dick")
    throw new UsageError(
      "--lowercase: --corpus moby-dick is read as it is (--lowercase is for a FILE corpus)",
    );
}
