import { writeFileSync } from "node:fs";
import { GPT } from "../nn/gpt.ts";
import type { LanguageModelBundle } from "../text/language-model-file.ts";
import { attentionSvg } from "../viz/attention-picture.ts";
import { commandFlags, type FlagTable } from "./flags.ts";
import { type CliIO, UsageError } from "./io.ts";

const ATTENTION_FLAGS: FlagTable = {
  model: { type: "string", default: "lm.json", value: "FILE", help: "a GPT saved by lm train --arch gpt" },
  prompt: { type: "string", value: "TEXT", help: "the text whose attention to draw (required)" },
  out: { type: "string", default: "attention.svg", value: "FILE.svg", help: "where to write the picture" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** `micrograd lm attention`: each head's attention weights over a prompt, as heatmaps in an SVG. */
export function attention(argv: string[], io: CliIO, read: (path: string) => LanguageModelBundle): number {
  const values = commandFlags(
    ATTENTION_FLAGS,
    argv,
    io,
    "micrograd lm attention [options]",
    "Draw each attention head's weights over a prompt (a GPT's).",
  );
  if (values === undefined) return 0;
  if (typeof values.prompt !== "string" || values.prompt.length === 0)
    throw new UsageError("--prompt TEXT is required");
  const out = String(values.out);
  if (!out.endsWith(".svg")) throw new UsageError(`--out ${out}: the picture is an SVG (FILE.svg)`);
  const bundle = read(String(values.model));
  const model = bundle.model;
  if (!(model instanceof GPT))
    throw new UsageError(
      `--model ${values.model}: an MLP language model has no attention; train one with --arch gpt`,
    );
  const prompt = values.prompt;
  let ids: number[];
  try {
    ids = bundle.vocabulary.toModel(bundle.tokenizer.encode(prompt));
  } catch (error) {
    throw new UsageError(`--prompt ${JSON.stringify(prompt)}: ${(error as Error).message}`);
  }
  const chars = [...prompt];
  let labels = ids.map((_, i) => (chars.length === ids.length ? chars[i] : String(i)).replace(" ", "␣"));
  // a names model reads a name from its start token
  if (bundle.info?.text !== true) {
    ids = [0, ...ids];
    labels = ["⏎", ...labels];
  }
  if (ids.length > model.config.block)
    throw new UsageError(`--prompt: ${ids.length} tokens, the model sees at most ${model.config.block}`);
  writeFileSync(out, attentionSvg(model, ids, labels, { title: `attention over "${prompt}"` }));
  io.out(
    `wrote ${out}: ${model.config.layers} layers × ${model.config.heads} heads over ${ids.length} positions\n`,
  );
  return 0;
}
