// Every `npx micrograd ...` command line in README.md and docs/**/*.md names a real command,
// and each of its --flags appears in that command's --help, so renaming a command or a flag
// cannot leave the docs behind; an `lm train` line's flags also fit its architecture (an MLP
// line without `--arch mlp` would now be refused). (The commands themselves are not run here: the CLI tests do.)
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { markdownFiles, ROOT } from "../../scripts/doc-snippets.ts";
import { givenFlags, parseFlags } from "../../src/cli/flags.ts";
import { checkArchFlags } from "../../src/cli/lm-arch-flags.ts";
import { LM_TRAIN_FLAGS, lmTrainConfig } from "../../src/cli/lm-options.ts";

interface CommandLine {
  readonly where: string;
  readonly words: string[];
}

/** The `npx micrograd` lines of the ```sh blocks, continuation lines joined. */
function commandLines(): CommandLine[] {
  const out: CommandLine[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
    let inSh = false;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("```")) inSh = !inSh && lines[i].trim() === "```sh";
      if (!inSh || !lines[i].startsWith("npx micrograd ")) continue;
      let text = lines[i];
      const start = i;
      while (text.endsWith("\\") && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i].trim()}`;
      const command = text.replace(/\s#.*$/, "").trim();
      out.push({ where: `${file}:${start + 1}`, words: command.split(/\s+/).slice(2) });
    }
  }
  return out;
}

const run = promisify(execFile);
const helpCache = new Map<string, Promise<string>>();

function help(command: readonly string[]): Promise<string> {
  const key = command.join(" ");
  let text = helpCache.get(key);
  if (text === undefined) {
    text = run(process.execPath, [join(ROOT, "bin", "micrograd.js"), ...command, "--help"]).then(
      (r) => r.stdout,
    );
    helpCache.set(key, text);
  }
  return text;
}

test("the command lines in the docs use commands and flags the CLI has", async () => {
  const lines = commandLines();
  assert.ok(lines.length >= 5, `${lines.length} command lines found`);
  for (const { where, words } of lines) {
    // A command, and for `lm` its subcommand; `train --dataset mnist` has flags of its own.
    const mnist = words[0] === "train" && /--dataset[= ]mnist\b/.test(words.join(" "));
    const command =
      words[0] === "lm" ? words.slice(0, 2) : mnist ? ["train", "--dataset", "mnist"] : words.slice(0, 1);
    const text = await help(command).catch((e: Error) => assert.fail(`${where}: ${command.join(" ")}: ${e}`));
    for (const flag of words.filter((w) => /^--?[a-z]/.test(w))) {
      const name = flag.split("=")[0];
      assert.ok(
        new RegExp(`(^|[\\s,])${name}\\b`, "m").test(text),
        `${where}: ${command.join(" ")} has no ${name}`,
      );
    }
  }
});

test("the lm train lines in the docs give only flags their architecture reads", () => {
  const lines = commandLines().filter(({ words }) => words[0] === "lm" && words[1] === "train");
  assert.ok(lines.length >= 5, `${lines.length} lm train lines found`);
  for (const { where, words } of lines) {
    const argv = words.slice(2);
    assert.doesNotThrow(
      () =>
        checkArchFlags(
          lmTrainConfig(parseFlags(LM_TRAIN_FLAGS, argv).values),
          givenFlags(LM_TRAIN_FLAGS, argv),
        ),
      `${where}: lm train ${argv.join(" ")}`,
    );
  }
});
