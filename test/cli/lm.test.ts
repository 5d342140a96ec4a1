// micrograd lm train / sample: short runs on the names and on a file, and every error path.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-lm-"));
const modelPath = join(dir, "names.json");

test("lm train --json on the names: the contract's keys, the bigram baseline, a saved model", async () => {
  const args = [
    "lm",
    "train",
    "--steps",
    "300",
    "--hidden",
    "40",
    "--samples",
    "3",
    "--json",
    "--out",
    modelPath,
  ];
  const { code, out, err } = await runCli(args);
  assert.equal(code, 0, err);
  const lines = out.trim().split("\n");
  assert.equal(lines.length, 1, "--json prints only the JSON object");
  const r = JSON.parse(lines[0]);
  for (const key of [
    "trainLoss",
    "valLoss",
    "testLoss",
    "bigramTestLoss",
    "stepsPerSecond",
    "tokensPerSecond",
  ]) {
    assert.equal(typeof r[key], "number", key);
  }
  assert.deepEqual(r.examples, { train: 7079, val: 885, test: 885 });
  assert.equal(r.vocabSize, 28, "26 letters, '-' and <eos>");
  // The counted bigram on an 80/10/10 split of the lower-cased names: about 2.43-2.45 nats/char.
  assert.ok(r.bigramTestLoss > 2.4 && r.bigramTestLoss < 2.5, `bigram ${r.bigramTestLoss}`);
  assert.ok(r.testLoss < Math.log(28), `300 steps already learn something: ${r.testLoss}`);
  assert.equal(r.samples.length, 3);
  assert.ok(Math.abs(r.perplexity.test - Math.exp(r.testLoss)) < 1e-9);
  const saved = JSON.parse(readFileSync(modelPath, "utf8"));
  assert.equal(saved.format, "micrograd-ts/lm@1");
  assert.equal(saved.info.testLoss, r.testLoss);
});

test("lm sample reads the saved model; the same seed gives the same names", async () => {
  const a = await runCli(["lm", "sample", "--model", modelPath, "-n", "8", "--temperature", "0.8", "--json"]);
  assert.equal(a.code, 0, a.err);
  const { samples } = JSON.parse(a.out);
  assert.equal(samples.length, 8);
  for (const s of samples) assert.match(s, /^[a-z-]*$/);
  const b = await runCli(["lm", "sample", "--model", modelPath, "-n", "8", "--temperature", "0.8"]);
  assert.equal(b.out, `${samples.join("\n")}\n`);
  const c = await runCli(["lm", "sample", "--model", modelPath, "-n", "8", "--seed", "2"]);
  assert.notEqual(c.out, b.out);
});

test("lm train on a text file, with BPE, prints progress, the table and samples", async () => {
  const file = join(dir, "words.txt");
  const words = ["Anna", "Bob", "Hannah", "Otto", "Ava", "Abba", "Nan", "Noon", "Elle", "Bab"];
  writeFileSync(file, `${words.concat(words).join("\r\n")}\n\n`);
  const out = join(dir, "words.json");
  const args = ["lm", "train", "--corpus", file, "--lowercase", "--tokenizer", "bpe", "--vocab", "270"];
  const r = await runCli([...args, "--steps", "40", "--eval-every", "20", "--hidden", "8", "--out", out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /corpus .*words\.txt: 20 examples \(train 16, val 2, test 2\)/);
  assert.match(r.out, /bpe tokenizer: \d+ tokens used of 270/);
  assert.match(r.out, /step 20\/40 {2}batch loss \d\.\d{4} nats\/token {2}val \d\.\d{4} nats\/char/);
  assert.match(r.out, /test +\d\.\d{4} +\d+\.\d\d +\d\.\d{4}/);
  assert.match(r.out, /samples \(temperature 0\.8\): /);
  const s = await runCli(["lm", "sample", "--model", out, "-n", "3", "--json"]);
  assert.equal(s.code, 0, s.err);
  for (const name of JSON.parse(s.out).samples) assert.equal(name, name.toLowerCase());
});

test("lm train --engine tensor runs the same model through the library's tensor ops", async () => {
  const common = ["lm", "train", "--steps", "30", "--hidden", "16", "--samples", "0", "--json"];
  const fused = JSON.parse((await runCli([...common, "--out", join(dir, "f.json")])).out);
  const r = await runCli([...common, "--engine", "tensor", "--out", join(dir, "t.json")]);
  assert.equal(r.code, 0, r.err);
  const viaTensors = JSON.parse(r.out);
  assert.equal(viaTensors.engine, "tensor");
  for (const key of ["trainLoss", "valLoss", "testLoss"]) {
    assert.ok(Math.abs(viaTensors[key] - fused[key]) < 1e-9, `${key}: ${viaTensors[key]} vs ${fused[key]}`);
  }
});

test("lm errors: bad input is a clear message and exit status 2", async () => {
  const empty = join(dir, "empty.txt");
  writeFileSync(empty, "\n  \n");
  const binary = join(dir, "binary.bin");
  writeFileSync(binary, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
  const latin1 = join(dir, "latin1.txt");
  writeFileSync(latin1, Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  const control = join(dir, "control.txt");
  writeFileSync(control, "ok\nbad\u0007bell\n");
  const notModel = join(dir, "not-model.json");
  writeFileSync(notModel, '{"hello": 1}');
  const cases: [string[], RegExp][] = [
    [["lm", "train", "--corpus", empty], /--corpus .*empty\.txt: no examples/],
    [["lm", "train", "--corpus", binary], /looks binary \(contains NUL bytes\)/],
    [["lm", "train", "--corpus", latin1], /not valid UTF-8/],
    [["lm", "train", "--corpus", control], /control\.txt line 2: looks binary \(control character U\+0007\)/],
    [["lm", "train", "--corpus", join(dir, "missing.txt")], /missing\.txt: no such file/],
    [["lm", "train", "--steps", "abc"], /--steps: expected an integer >= 0, got "abc"/],
    [["lm", "train", "--tokenizer", "word"], /--tokenizer: expected one of char, bpe, got "word"/],
    [["lm", "train", "--engine", "gpu"], /--engine: expected one of fused, tensor, got "gpu"/],
    [["lm", "train", "--vocab", "100", "--tokenizer", "bpe"], /--vocab: expected an integer >= 258/],
    [["lm", "train", "--bogus"], /Unknown option '--bogus'/],
    [["lm", "fly"], /unknown subcommand "fly": expected train or sample/],
    [["lm", "sample", "--model", join(dir, "nope.json")], /nope\.json: no such file/],
    [["lm", "sample", "--model", notModel], /not a language model: language model: expected format/],
    [["lm", "sample", "--model", empty], /not a language model/],
    [["lm", "sample", "--model", modelPath, "--temperature", "0"], /--temperature: expected a number > 0/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await runCli(args);
    assert.equal(code, 2, `${args.join(" ")}: ${err}`);
    assert.match(err, message, args.join(" "));
  }
  const none = await runCli(["lm"]);
  assert.equal(none.code, 2);
  assert.match(none.err, /Usage: micrograd lm <train\|sample>/);
});

test("lm help lists the options", async () => {
  const { code, out } = await runCli(["lm", "train", "--help"]);
  assert.equal(code, 0);
  for (const flag of ["--corpus", "--context", "--embed", "--hidden", "--steps", "--json", "--out"]) {
    assert.ok(out.includes(flag), flag);
  }
  assert.match((await runCli(["lm", "sample", "--help"])).out, /--temperature X/);
});
