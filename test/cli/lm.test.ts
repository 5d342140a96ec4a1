// micrograd lm train / sample: short runs on the names and on a file, and every error path.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-lm-"));
const modelPath = join(dir, "names.json");
const MLP = ["lm", "train", "--arch", "mlp"];

test("lm train --arch mlp --json on the names: the contract's keys, the bigram baseline, a saved model", async () => {
  const args = [...MLP, "--steps", "300", "--hidden", "40", "--samples", "3", "--json", "--out", modelPath];
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
  // The names corpus has 8,849 entries but 8,422 distinct names; repeats go before the split.
  assert.deepEqual(r.examples, { train: 6737, val: 842, test: 843 });
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

test("lm train --arch mlp on a text file, with BPE, prints progress, the table and samples", async () => {
  const file = join(dir, "words.txt");
  const words = ["Anna", "Bob", "Hannah", "Otto", "Ava", "Abba", "Nan", "Noon", "Elle", "Bab"];
  writeFileSync(file, `${words.concat(words).join("\r\n")}\n\n`);
  const out = join(dir, "words.json");
  const args = [...MLP, "--corpus", file, "--lowercase", "--tokenizer", "bpe", "--vocab", "270"];
  const r = await runCli([...args, "--steps", "40", "--eval-every", "20", "--hidden", "8", "--out", out]);
  assert.equal(r.code, 0, r.err);
  // Each word stands twice in the file: the repeats go before the split.
  assert.match(r.out, /corpus .*words\.txt: 10 examples \(10 repeats dropped\) \(train 8, val 1, test 1\)/);
  assert.match(r.out, /bpe tokenizer: \d+ tokens used of 270/);
  assert.match(r.out, /step 20\/40 {2}batch loss \d\.\d{4} nats\/token {2}val \d\.\d{4} nats\/char/);
  assert.match(r.out, /test +\d\.\d{4} +\d+\.\d\d +\d\.\d{4}/);
  assert.match(r.out, /samples \(temperature 0\.8\): /);
  const s = await runCli(["lm", "sample", "--model", out, "-n", "3", "--json"]);
  assert.equal(s.code, 0, s.err);
  for (const name of JSON.parse(s.out).samples) assert.equal(name, name.toLowerCase());
});

test("lm train --arch mlp --backend js and wasm train the same model to float32 precision", async () => {
  const common = [...MLP, "--steps", "30", "--hidden", "16", "--samples", "0", "--json"];
  const wasm = JSON.parse((await runCli([...common, "--out", join(dir, "w.json")])).out);
  const r = await runCli([...common, "--backend", "js", "--out", join(dir, "j.json")]);
  assert.equal(r.code, 0, r.err);
  const js = JSON.parse(r.out);
  assert.match(wasm.engine, /^tensor on wasm/);
  assert.equal(js.engine, "tensor on js");
  for (const key of ["trainLoss", "valLoss", "testLoss"]) {
    assert.ok(Math.abs(js[key] - wasm[key]) < 1e-4, `${key}: ${js[key]} vs ${wasm[key]}`);
  }
});

/** Trains `run` whole, and again killed (-9) after a checkpoint then resumed: both give one model. */
async function killThenResume(run: readonly string[], tag: string): Promise<void> {
  const whole = join(dir, `${tag}-whole.json`);
  const uninterrupted = spawnSync(process.execPath, ["bin/micrograd.js", ...run, "--out", whole], {
    encoding: "utf8",
  });
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);
  const checkpoint = join(dir, `${tag}.ckpt`);
  const child = spawn(
    process.execPath,
    [
      "bin/micrograd.js",
      ...run,
      "--out",
      join(dir, `${tag}-killed.json`),
      "--checkpoint",
      checkpoint,
      "--checkpoint-every",
      "7",
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  while (!existsSync(checkpoint) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  child.kill("SIGKILL");
  await exited;
  const saved = JSON.parse(readFileSync(checkpoint, "utf8"));
  assert.ok(saved.fit.step >= 7 && saved.fit.step % 7 === 0, `checkpoint at step ${saved.fit.step}`);
  const resumedModel = join(dir, `${tag}-resumed.json`);
  const resumed = await runCli(["lm", "train", "--resume", checkpoint, "--out", resumedModel, "--json"]);
  assert.equal(resumed.code, 0, resumed.err);
  const a = JSON.parse(uninterrupted.stdout);
  const b = JSON.parse(resumed.out);
  for (const key of ["trainLoss", "valLoss", "testLoss", "bestStep", "samples", "examples"]) {
    assert.deepEqual(b[key], a[key], key);
  }
  assert.deepEqual(
    JSON.parse(readFileSync(resumedModel, "utf8")).model.params,
    JSON.parse(readFileSync(whole, "utf8")).model.params,
  );
}

test("lm train --arch mlp: kill -9 mid-run, then --resume gives the uninterrupted run's model", () =>
  killThenResume(
    [...MLP, "--steps", "400", "--hidden", "16", "--samples", "2", "--eval-every", "50", "--json"],
    "mlp",
  ));

const TINY_GPT = ["--arch", "gpt", "--layers", "1", "--heads", "2", "--embd", "16", "--warmup", "5"];

test("lm train --arch gpt --json on the names: the contract's keys, a GPT saved, samples", async () => {
  const gptPath = join(dir, "gpt.json");
  const args = [
    "lm",
    "train",
    ...TINY_GPT,
    "--steps",
    "60",
    "--eval-every",
    "30",
    "--samples",
    "3",
    "--json",
    "--out",
    gptPath,
  ];
  const { code, out, err } = await runCli(args);
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  for (const key of ["trainLoss", "valLoss", "testLoss", "bigramTestLoss", "parameters", "msPerStep"])
    assert.equal(typeof r[key], "number", key);
  assert.equal(r.arch, "gpt");
  assert.equal(r.patience, 3, "early stopping is part of the GPT's default");
  assert.deepEqual(r.examples, { train: 6737, val: 842, test: 843 });
  assert.equal(r.block, 16, "the longest name + 1");
  assert.ok(r.testLoss < Math.log(28), `60 steps already learn something: ${r.testLoss}`);
  assert.equal(r.samples.length, 3);
  const saved = JSON.parse(readFileSync(gptPath, "utf8"));
  assert.equal(saved.model.arch, "gpt");
  const s = await runCli([
    "lm",
    "sample",
    "--model",
    gptPath,
    "-n",
    "4",
    "--prompt",
    "ma",
    "--top-k",
    "3",
    "--json",
  ]);
  assert.equal(s.code, 0, s.err);
  for (const name of JSON.parse(s.out).samples) assert.match(name, /^ma[a-z-]*$/);
  // --out FILE.safetensors: nanoGPT's layout, with the tokenizer in the metadata; lm sample reads it
  const tensorsPath = join(dir, "gpt.safetensors");
  const t = await runCli([
    "lm",
    "train",
    ...TINY_GPT,
    "--steps",
    "5",
    "--samples",
    "0",
    "--json",
    "--out",
    tensorsPath,
  ]);
  assert.equal(t.code, 0, t.err);
  const fromTensors = await runCli(["lm", "sample", "--model", tensorsPath, "-n", "2", "--json"]);
  assert.equal(fromTensors.code, 0, fromTensors.err);
  assert.equal(JSON.parse(fromTensors.out).samples.length, 2);
  // lm attention draws every head of every layer over the prompt
  const svg = join(dir, "attn.svg");
  const a = await runCli(["lm", "attention", "--model", gptPath, "--prompt", "emma", "--out", svg]);
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, /1 layers × 2 heads over 5 positions/);
  const picture = readFileSync(svg, "utf8");
  assert.match(picture, /layer 0, head 1/);
  assert.equal(
    picture.match(/<rect x="[^"]*" y="[^"]*" width="18"/g)?.length,
    2 * 15,
    "5·6/2 cells per head",
  );
  const noAttention = await runCli([
    "lm",
    "attention",
    "--model",
    modelPath,
    "--prompt",
    "emma",
    "--out",
    svg,
  ]);
  assert.equal(noAttention.code, 2);
  assert.match(noAttention.err, /an MLP language model has no attention/);
  const bad = await runCli(["lm", "sample", "--model", gptPath, "--prompt", "Ma"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--prompt "Ma": .*does not occur in the training corpus/);
});

test("lm train --arch gpt --out FILE.onnx: the forward pass, which ONNX Runtime runs", async () => {
  const onnxPath = join(dir, "gpt.onnx");
  const t = await runCli([
    "lm",
    "train",
    ...TINY_GPT,
    "--steps",
    "5",
    "--samples",
    "0",
    "--json",
    "--out",
    onnxPath,
  ]);
  assert.equal(t.code, 0, t.err);
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(readFileSync(onnxPath));
  const ids = new ort.Tensor("int64", BigInt64Array.from([0n, 13n, 1n]), [1, 3]);
  const { logits } = await session.run({ ids });
  assert.deepEqual(logits.dims, [1, 3, JSON.parse(t.out).vocabSize]);
  const sample = await runCli(["lm", "sample", "--model", onnxPath]);
  assert.equal(sample.code, 2);
  assert.match(sample.err, /ONNX is export-only/);
  const mlp = await runCli([...MLP, "--steps", "1", "--out", onnxPath]);
  assert.equal(mlp.code, 2);
  assert.match(mlp.err, /the MLP language model is saved as \.json/);
});

test("lm train --corpus moby-dick: the MLP on the GPT's 90/10 split, scored on the same validation characters", async () => {
  const mlp = await runCli([
    ...MLP,
    "--corpus",
    "moby-dick",
    "--out",
    join(dir, "moby-mlp.json"),
    "--steps",
    "40",
    "--hidden",
    "16",
    "--samples",
    "1",
    "--json",
  ]);
  assert.equal(mlp.code, 0, mlp.err);
  const m = JSON.parse(mlp.out);
  const gpt = await runCli([
    "lm",
    "train",
    "--corpus",
    "moby-dick",
    "--out",
    join(dir, "moby-gpt.json"),
    ...TINY_GPT,
    "--steps",
    "0",
    "--samples",
    "0",
    "--json",
  ]);
  assert.equal(gpt.code, 0, gpt.err);
  const g = JSON.parse(gpt.out);
  assert.equal(m.arch, "mlp");
  assert.equal(m.text, true);
  assert.deepEqual(m.examples, { train: 1071285, val: 119032, test: 0 });
  assert.deepEqual(m.examples, g.examples);
  // the targets of 1,859 consecutive windows of 64: the same characters for both models
  assert.equal(m.valChars, 1859 * 64);
  assert.equal(g.valChars, m.valChars);
  assert.equal(m.testLoss, null, "a running text has no test part");
  assert.equal(m.bigramValLoss, g.bigramValLoss);
  assert.ok(m.valLoss < Math.log(m.vocabSize), `40 steps learn something: ${m.valLoss}`);
  assert.ok(m.samples[0].length <= 200, "a text sample stops after 200 characters");
  const human = await runCli([
    ...MLP,
    "--corpus",
    "moby-dick",
    "--out",
    join(dir, "moby-human.json"),
    "--steps",
    "1",
    "--hidden",
    "8",
    "--samples",
    "0",
  ]);
  assert.match(
    human.out,
    /corpus moby-dick: characters train 1071285, val 119032 \(118976 scored, as the GPT's windows\)/,
  );
});

test("lm train --arch mlp --patience: early stopping on the validation loss, the best weights kept", async () => {
  const args = [...MLP, "--steps", "2000", "--hidden", "16", "--lr", "0.05", "--schedule", "constant"];
  const { code, out, err } = await runCli([
    ...args,
    ...[
      "--eval-every",
      "20",
      "--patience",
      "2",
      "--samples",
      "0",
      "--json",
      "--out",
      join(dir, "patience.json"),
    ],
  ]);
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  assert.equal(r.patience, 2);
  assert.equal(r.stoppedBy, "patience", "a constant high rate stops improving long before 2,000 steps");
  assert.ok(r.bestStep > 0 && r.bestStep % 20 === 0 && r.bestStep < 1960, `best step ${r.bestStep}`);
  const mlpDefault = await runCli([
    ...MLP,
    "--steps",
    "20",
    "--hidden",
    "8",
    "--samples",
    "0",
    "--json",
    "--out",
    join(dir, "p0.json"),
  ]);
  assert.equal(JSON.parse(mlpDefault.out).patience, 0, "the MLP trains all its steps by default");
});

test("lm train --arch gpt on a text file: one running text split 90/10, no test part", async () => {
  const file = join(dir, "text.txt");
  writeFileSync(file, "the cat sat on the mat. the dog sat on the log. ".repeat(40));
  const { code, out, err } = await runCli([
    "lm",
    "train",
    ...TINY_GPT,
    "--corpus",
    file,
    "--block",
    "8",
    "--steps",
    "20",
    "--samples",
    "1",
    "--json",
    "--out",
    join(dir, "text-gpt.json"),
  ]);
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  assert.deepEqual(r.examples, { train: 1728, val: 192, test: 0 });
  assert.equal(r.testLoss, null);
  assert.equal(r.dropout, 0, "no dropout by default on a running text");
  assert.equal(r.batch, 16);
});

test("lm train --arch gpt: kill -9 mid-run, then --resume gives the uninterrupted run's model", () =>
  killThenResume(
    [
      "lm",
      "train",
      ...TINY_GPT,
      "--steps",
      "60",
      "--dropout",
      "0.2",
      "--samples",
      "2",
      "--eval-every",
      "20",
      "--json",
    ],
    "gpt",
  ));

test("lm train: the GPT is the default; a flag the chosen model would not read is a usage error", async () => {
  const gpt = await runCli([
    "lm",
    "train",
    ...["--layers", "1", "--heads", "2", "--embd", "16"],
    ...["--tokenizer", "char", "--lowercase"], // what the GPT does on the names anyway
    ...["--steps", "2", "--samples", "0", "--json", "--out", join(dir, "default.json")],
    ...["--checkpoint", join(dir, "default.ckpt"), "--checkpoint-every", "1"],
  ]);
  assert.equal(gpt.code, 0, gpt.err);
  assert.equal(JSON.parse(gpt.out).arch, "gpt");
  const saved = JSON.parse(readFileSync(join(dir, "default.ckpt"), "utf8"));
  assert.deepEqual(saved.argv.slice(0, 2), ["--arch", "gpt"], "a checkpoint names the architecture");
  // --block also sets which characters of moby-dick the MLP is scored on: 3,719 windows of 32
  const moby = await runCli([
    ...[...MLP, "--corpus", "moby-dick", "--block", "32", "--hidden", "8"],
    ...["--steps", "0", "--samples", "0", "--json", "--out", join(dir, "moby-block.json")],
  ]);
  assert.equal(moby.code, 0, moby.err);
  assert.equal(JSON.parse(moby.out).valChars, 3719 * 32);
  const file = join(dir, "lines.txt");
  writeFileSync(file, "Anna\nBob\n");
  const mlpFlag = (flag: string) =>
    new RegExp(
      `^micrograd lm: ${flag} is a flag of --arch mlp \\(the default is now gpt\\): add --arch mlp$`,
      "m",
    );
  const gptFlag = (flag: string) =>
    new RegExp(`${flag} is a flag of --arch gpt: drop it, or use --arch gpt$`, "m");
  const cases: [string[], RegExp][] = [
    [["lm", "train", "--context", "3"], mlpFlag("--context")],
    [["lm", "train", "--embed", "10"], mlpFlag("--embed")],
    [["lm", "train", "--hidden", "200", "--corpus", "moby-dick"], mlpFlag("--hidden")],
    [["lm", "train", "--tokenizer", "bpe"], mlpFlag("--tokenizer")],
    [["lm", "train", "--vocab", "300"], mlpFlag("--vocab")],
    [["lm", "train", "--schedule", "constant"], mlpFlag("--schedule")],
    [["lm", "train", "--arch", "gpt", "--hidden", "8"], mlpFlag("--hidden")],
    [
      ["lm", "train", "--corpus", file, "--lowercase"],
      /--lowercase is a flag of --arch mlp \(the GPT reads a text as it is/,
    ],
    [[...MLP, "--layers", "1"], gptFlag("--layers")],
    [[...MLP, "--heads", "2"], gptFlag("--heads")],
    [[...MLP, "--embd", "64"], gptFlag("--embd")],
    [[...MLP, "--dropout", "0.1"], gptFlag("--dropout")],
    [[...MLP, "--weight-decay", "0.1"], gptFlag("--weight-decay")],
    [[...MLP, "--warmup", "100"], gptFlag("--warmup")],
    [[...MLP, "--grad-clip", "1"], gptFlag("--grad-clip")],
    [[...MLP, "--block", "16"], /--block is a flag of --arch gpt \(and of the MLP on --corpus moby-dick\)/],
    [[...MLP, "--vocab", "300"], /--vocab is a flag of --tokenizer bpe: add --tokenizer bpe/],
    [[...MLP, "--corpus", "moby-dick", "--lowercase"], /--lowercase: --corpus moby-dick is read as it is/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await runCli(args);
    assert.equal(code, 2, `${args.join(" ")}: ${err}`);
    assert.match(err, message, args.join(" "));
  }
});

test("lm train --resume: a checkpoint without --arch, from when the MLP was the default, resumes the MLP", async () => {
  const checkpoint = join(dir, "old-mlp.ckpt");
  const run = [...MLP, "--steps", "4", "--hidden", "8", "--samples", "0", "--json"];
  const first = await runCli([...run, "--out", join(dir, "old-mlp.json"), "--checkpoint", checkpoint]);
  assert.equal(first.code, 0, first.err);
  const saved = JSON.parse(readFileSync(checkpoint, "utf8"));
  assert.deepEqual(saved.argv.slice(0, 2), ["--arch", "mlp"]);
  saved.argv = saved.argv.filter((a: string, i: number) => a !== "--arch" && saved.argv[i - 1] !== "--arch");
  writeFileSync(checkpoint, JSON.stringify(saved));
  const resumed = await runCli([
    "lm",
    "train",
    "--resume",
    checkpoint,
    "--steps",
    "6",
    "--json",
    "--out",
    join(dir, "old-mlp-6.json"),
  ]);
  assert.equal(resumed.code, 0, resumed.err);
  const r = JSON.parse(resumed.out);
  assert.equal(r.arch, "mlp");
  assert.equal(r.hidden, 8);
  assert.equal(r.steps, 6);
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
    [[...MLP, "--corpus", empty], /--corpus .*empty\.txt: no examples/],
    [[...MLP, "--corpus", binary], /looks binary \(contains NUL bytes\)/],
    [[...MLP, "--corpus", latin1], /not valid UTF-8/],
    [[...MLP, "--corpus", control], /control\.txt line 2: looks binary \(control character U\+0007\)/],
    [[...MLP, "--corpus", join(dir, "missing.txt")], /missing\.txt: no such file/],
    // the GPT (the default) reads a file as one running text, through the same checks
    [["lm", "train", "--corpus", latin1], /latin1\.txt: not valid UTF-8 \(binary\?\); expected UTF-8 text$/m],
    [
      ["lm", "train", "--corpus", binary],
      /binary\.bin: looks binary \(contains NUL bytes\); expected UTF-8 text$/m,
    ],
    [["lm", "train", "--corpus", "/dev/zero"], /--corpus \/dev\/zero: not a regular file/],
    [["lm", "train", "--steps", "abc"], /--steps: expected an integer in \[0, 10,000,000\], got "abc"/],
    [["lm", "train", "--tokenizer", "word"], /--tokenizer: expected one of char, bpe, got "word"/],
    [["lm", "train", "--backend", "gpu"], /--backend: expected one of js, wasm, got "gpu"/],
    [["lm", "train", "--dtype", "int8"], /--dtype: expected one of float32, float64, got "int8"/],
    [["lm", "train", "--vocab", "100", "--tokenizer", "bpe"], /--vocab: expected an integer >= 258/],
    [["lm", "train", "--bogus"], /Unknown option '--bogus'/],
    [["lm", "fly"], /unknown subcommand "fly": expected train, sample or attention/],
    [["lm", "train", "--arch", "rnn"], /--arch: expected one of gpt, mlp, got "rnn"/],
    [["lm", "train", "--patience", "1.5"], /--patience: expected an integer >= 0, got "1.5"/],
    [
      [...MLP, "--corpus", "moby-dick", "--tokenizer", "bpe"],
      /--tokenizer bpe: --corpus moby-dick is read in characters/,
    ],
    [
      ["lm", "train", "--arch", "gpt", "--embd", "10", "--heads", "3"],
      /GPT: embd 10 must be a multiple of heads 3/,
    ],
    [["lm", "train", "--arch", "gpt", "--block", "5"], /--block 5: the longest name needs 16/],
    [["lm", "train", "--arch", "gpt", "--dropout", "1"], /--dropout: expected a number in \[0, 1\)/],
    [["lm", "train", "--arch", "gpt", "--corpus", empty], /empty\.txt: 4 characters is too little text/],
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
  assert.match(none.err, /Usage: micrograd lm <train\|sample\|attention>/);
});

test("lm help lists the options", async () => {
  const { code, out } = await runCli(["lm", "train", "--help"]);
  assert.equal(code, 0);
  for (const flag of ["--corpus", "--context", "--embed", "--hidden", "--steps", "--json", "--out"]) {
    assert.ok(out.includes(flag), flag);
  }
  assert.match((await runCli(["lm", "sample", "--help"])).out, /--temperature X/);
});
