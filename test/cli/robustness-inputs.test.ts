// Issue 18, command level: hostile and huge inputs are refused early with the flag and the limit;
// wrong values are refused where they are wrong; progress, help and exit statuses.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-robust-inputs-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const csv = file("d.csv", "a,b,label\n1,2,x\n2,3,y\n3,4,x\n5,6,y\n");

test("--data /dev/urandom, a binary file and a file over the size limit are refused before reading them", async () => {
  const started = Date.now();
  const urandom = await runCli(["train", "--data", "/dev/urandom", "--steps", "1"]);
  assert.equal(urandom.code, 2);
  assert.match(urandom.err, /--data: cannot read "\/dev\/urandom" \(binary data/);
  assert.ok(Date.now() - started < 5000, "refused at once, not after reading gigabytes");
  const binary = join(dir, "bin.dat");
  writeFileSync(binary, new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0, 1, 2, 3]));
  assert.match((await runCli(["train", "--data", binary])).err, /binary data/);
  const huge = join(dir, "huge.csv");
  writeFileSync(huge, "");
  truncateSync(huge, 300 * 1024 * 1024); // sparse: 300 MiB that takes no disk
  const r = await runCli(["train", "--data", huge]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--data: cannot read ".*huge.csv" \(300 MiB, more than the 256 MiB micrograd reads\)/);
});

test("sizes past the limits are refused with the estimate and the limit, before allocating", async () => {
  for (const [args, message] of [
    [
      ["--hidden", "100000"],
      /MLP 2-100000-1 \(400,001 parameters\).* needs about 8\.80 GB of memory, more than the 2\.00 GB limit/,
    ],
    [["--hidden", "1000000000"], /needs about .* TB of memory, more than the 2\.00 GB limit/],
    [["--hidden", "100000,100000", "--backend", "js"], /needs about .* GB of memory/],
    [["--n", "1000000000"], /--n: expected an integer in \[2, 1,000,000\], got "1000000000"/],
    [["--steps", "1e20"], /--steps: expected an integer in \[0, 10,000,000\], got "1e20"/],
  ] as const) {
    const r = await runCli([
      "train",
      ...args,
      "--steps",
      (args as readonly string[]).includes("--steps") ? args[1] : "1",
    ]);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, message);
  }
  const mnist = await runCli(["train", "--dataset", "mnist", "--hidden", "100000"]);
  assert.equal(mnist.code, 2);
  assert.match(mnist.err, /MLP 784-100000-10 .* needs about .* GB of memory, more than the 2\.00 GB limit/);
});

test("graph --mlp of a big network draws a summary by layer at once; one too big to build is refused", async () => {
  for (const sizes of ["2,1000000000,1", "784,4096,4096,10", "784,1000,10"]) {
    const started = Date.now();
    const r = await runCli(["graph", "--mlp", sizes]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /micrograd-ts toDot: summary of MLP .* by layer/);
    assert.match(r.out, /layer 1: [\d,]+ neurons/);
    assert.ok(Date.now() - started < 2000, `${sizes} summarised in ${Date.now() - started} ms`);
  }
  const refused = await runCli(["graph", "--mlp", "784,4096,4096,10", "--max-nodes", "100000"]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /its graph has about [\d,]+ values, more than the 2,000,000 graph draws/);
});

test("--expr nested 5,000 brackets or 20,000 tanh( deep: an error about nesting depth, exit 2", async () => {
  for (const expr of [
    `${"(".repeat(5000)}x${")".repeat(5000)}`,
    `${"tanh(".repeat(20000)}x${")".repeat(20000)}`,
  ]) {
    const r = await runCli(["graph", "--expr", expr, "--set", "x=1"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /nested more than 500 levels deep/);
    assert.doesNotMatch(r.err, /call stack/);
  }
});

test("convert of a model whose training value is nested 100,000 deep: a clear error, exit 2", async () => {
  const model = join(dir, "m.json");
  assert.equal((await runCli(["train", "--data", csv, "--steps", "1", "--save", model])).code, 0);
  const text = readFileSync(model, "utf8");
  const deep = text.replace(/"training":\{[^}]*\}/, `"training":${"[".repeat(100000)}${"]".repeat(100000)}`);
  const r = await runCli([
    "convert",
    "--model",
    file("deep.json", deep),
    "--out",
    join(dir, "deep.safetensors"),
  ]);
  assert.equal(r.code, 2);
  assert.match(r.err, /"training" is nested more than \d+ levels deep/);
});

test("CSV: 1e309 is refused at its cell; values near 1e308 standardise without overflow", async () => {
  const inf = await runCli([
    "train",
    "--data",
    file("inf.csv", "a,b,label\n1,2,x\n1e309,3,y\n3,4,x\n"),
    "--steps",
    "1",
  ]);
  assert.equal(inf.code, 2);
  assert.match(inf.err, /csv line 3, column "a": 1e309 is beyond the largest number/);
  const big = file("big.csv", "a,b,label\n1e308,2,x\n-1e308,3,y\n1.5e308,4,x\n5,6,y\n");
  const r = await runCli(["train", "--data", big, "--steps", "1", "--json"]);
  assert.equal(r.code, 0, r.err);
  assert.ok(Number.isFinite(JSON.parse(r.out).loss));
});

test("predict --label ignores that column's values, unknown classes included", async () => {
  const data = file("new.csv", "a,b,label\n1,2,never-seen\n");
  const r = await runCli(["predict", "--model", join(dir, "m.json"), "--data", data, "--label", "label"]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^prediction(,p_x,p_y)?\n[xy]/);
});

test("a headerless CSV gets a warning and --no-header; a semicolon file a hint and --delimiter", async () => {
  const headless = file("headless.csv", "1,2,0\n1,2,1\n3,4,0\n5,6,1\n");
  const warned = await runCli(["train", "--data", headless, "--steps", "1", "--json"]);
  assert.equal(warned.code, 0);
  assert.match(
    warned.err,
    /the first row \(1, 2, 0\) is all numbers, read as column names; .* add --no-header/,
  );
  const fixed = await runCli(["train", "--data", headless, "--no-header", "--steps", "1", "--json"]);
  assert.equal(fixed.code, 0, fixed.err);
  assert.equal(fixed.err, "");
  assert.equal(JSON.parse(fixed.out).samples, 4);
  const semi = file("semi.csv", "a;b;label\n1;2;x\n3;4;y\n5;6;x\n");
  const hint = await runCli(["train", "--data", semi, "--steps", "1"]);
  assert.equal(hint.code, 2);
  assert.match(hint.err, /is the file separated by ";"\? Set the delimiter \(--delimiter ";"\)/);
  const read = await runCli(["train", "--data", semi, "--delimiter", ";", "--steps", "1", "--json"]);
  assert.equal(read.code, 0, read.err);
  assert.equal(JSON.parse(read.out).samples, 3);
});

test("train --steps 0 evaluates the untrained model (scalar and tensor engine)", async () => {
  for (const extra of [[], ["--backend", "js"]]) {
    const r = await runCli(["train", "--steps", "0", "--json", ...extra]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.steps, 0);
    assert.ok(Number.isFinite(s.loss) && s.accuracy > 0 && s.accuracy < 1, r.out);
  }
});

test("progress in a log: elapsed time (then rate and ETA), at most a line a second besides the first and last", () => {
  // The lines' rate and ETA are checked on a fake clock in progress.test.ts; this run is short.
  const r = spawnSync(process.execPath, ["bin/micrograd.js", "train", "--steps", "300"], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split("\n").filter((l) => l.startsWith("step"));
  for (const line of lines)
    assert.match(line, /^step +\d+\/300 {2}loss .* \d+\.\d s(, [\d.]+ steps\/s, ETA .+)?$/);
  assert.match(lines[0], /^step +1\/300 /);
  assert.match(lines[lines.length - 1], /^step 300\/300 .* \d+\.\d s$/);
  const seconds = Number(/trained 300 steps in ([\d.]+) ms/.exec(r.stdout)?.[1]) / 1000;
  assert.ok(lines.length <= Math.ceil(seconds) + 2, `${lines.length} lines in ${seconds} s`);
  const json = spawnSync(process.execPath, ["bin/micrograd.js", "train", "--steps", "50", "--json"], {
    encoding: "utf8",
  });
  assert.equal(json.stdout.trim().split("\n").length, 1);
  JSON.parse(json.stdout);
});

test("exit statuses are documented in --help and README", async () => {
  const help = await runCli(["--help"]);
  for (const [status, meaning] of [
    ["0", "done"],
    ["1", "failed"],
    ["2", "usage error"],
    ["70", "internal error"],
  ]) {
    assert.match(help.out, new RegExp(`^ {2}${status} +${meaning}`, "m"));
  }
  const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
  assert.match(readme, /\| 70 \| internal error: a bug in micrograd-ts/);
  assert.match(readme, /\| 2 \| usage error/);
});

test("train --help is one page for every dataset; mnist takes --steps", async () => {
  const plain = await runCli(["train", "--help"]);
  const mnist = await runCli(["train", "--dataset", "mnist", "--help"]);
  assert.equal(plain.out, mnist.out);
  assert.match(plain.out, /--dataset moons\|circles\|spiral\|xor\|blobs\|iris\|mnist/);
  assert.match(
    plain.out,
    /MNIST options \(with --dataset mnist, only these\):[\s\S]*--arch mlp\|cnn[\s\S]*--steps N/,
  );
  // aligned: every help text starts in the same column, or on its own line under it
  const lines = plain.out.split("\n");
  lines.forEach((line, i) => {
    if (!/^ {2}(-\w, | {4})--/.test(line)) return;
    const helpInColumn = /^ {2}.{30} \S/.test(line) && line[31] === " ";
    const helpBelow = /^ {2}(-\w, | {4})--\S+( \S+)?$/.test(line) && /^ {33}\S/.test(lines[i + 1]);
    assert.ok(helpInColumn || helpBelow, line);
  });
  const arch = await runCli(["train", "--arch", "cnn"]);
  assert.match(arch.err, /--arch is an option of --dataset mnist \(see "MNIST options" in train --help\)/);
  const noise = await runCli(["train", "--dataset", "mnist", "--noise", "0.1"]);
  assert.match(noise.err, /--noise is not an option of --dataset mnist/);
  const steps = await runCli(["train", "--dataset", "mnist", "--steps", "0"]);
  assert.match(steps.err, /--steps: expected an integer in \[1, 10,000,000\]/);
});
