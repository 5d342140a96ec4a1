import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

test("train --json prints one JSON object with the contract's keys", async () => {
  const { code, out } = await runCli(["train", "--steps", "20", "--json"]);
  assert.equal(code, 0);
  const result = JSON.parse(out);
  for (const key of ["steps", "loss", "accuracy", "ms"]) assert.equal(typeof result[key], "number", key);
  assert.equal(result.steps, 20);
  assert.equal(result.model, "MLP 2-16-16-1 (relu, relu, linear)");
});

test("the demo setup reaches 100% training accuracy, as micrograd does", async () => {
  const { code, out } = await runCli(["train", "--json"]);
  assert.equal(code, 0);
  const result = JSON.parse(out);
  assert.equal(result.steps, 100);
  assert.equal(result.accuracy, 1);
});

test("train prints progress lines and a summary", async () => {
  const { code, out } = await runCli(["train", "--steps", "10", "--demo"]);
  assert.equal(code, 0);
  assert.match(out, /step 10\/10 {2}loss \d\.\d{4} {2}accuracy/);
  assert.match(out, /trained 10 steps in/);
  assert.match(out, /Decision boundary/);
});

test("multi-class data uses softmax and several outputs", async () => {
  const { code, out } = await runCli([
    "train",
    "--dataset",
    "spiral",
    "--steps",
    "5",
    "--lr",
    "0.1",
    "--json",
  ]);
  assert.equal(code, 0);
  const result = JSON.parse(out);
  assert.equal(result.lossName, "softmax");
  assert.match(result.model, /-3 \(/);
});

test("help lists every flag with its default", async () => {
  const { code, out } = await runCli(["train", "--help"]);
  assert.equal(code, 0);
  for (const flag of [
    "--dataset",
    "--hidden",
    "--activation",
    "--loss",
    "--optimizer",
    "--lr",
    "--steps",
    "--batch",
    "--seed",
    "--json",
  ]) {
    assert.ok(out.includes(flag), flag);
  }
  assert.match(
    out,
    /--steps N +number of updates \(at most 10,000,000; 0 reports the untrained model\) \(default: 100\)/,
  );
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  assert.match(top.out, /train/);
});

for (const [args, message] of [
  [["train", "--bogus"], /Unknown option '--bogus'/],
  [
    ["train", "--dataset", "nope"],
    /--dataset: expected one of moons, circles, spiral, xor, blobs, iris, got "nope"/,
  ],
  [["train", "--hidden", "16,x"], /--hidden: expected comma-separated positive integers/],
  [["train", "--lr=-1"], /--lr: expected a number > 0, got "-1"/],
  [["train", "--lr", "abc"], /--lr: expected a number > 0, got "abc"/],
  [["train", "--batch", "0"], /--batch: expected full, stochastic or a positive integer, got "0"/],
  [["train", "--dataset", "spiral", "--loss", "hinge"], /--loss hinge is for two classes/],
  [["frobnicate"], /unknown command "frobnicate"/],
  [["toString"], /unknown command "toString"/],
] as const) {
  test(`bad input exits with status 2: ${args.join(" ")}`, async () => {
    const { code, err } = await runCli([...args]);
    assert.equal(code, 2);
    assert.match(err, message);
  });
}

test("a diverging run stops with an error naming the step and exits 1", async () => {
  const { code, err } = await runCli([
    "train",
    "--loss",
    "mse",
    "--lr",
    "1e6",
    "--schedule",
    "constant",
    "--steps",
    "50",
  ]);
  assert.equal(code, 1);
  assert.match(err, /loss became (NaN|Infinity) at step \d+ .*try a smaller learning rate/);
});

test("the installed bin runs and returns exit codes (built dist)", () => {
  const ok = spawnSync(process.execPath, ["bin/micrograd.js", "train", "--steps", "3", "--json"], {
    encoding: "utf8",
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).steps, 3);
  const bad = spawnSync(process.execPath, ["bin/micrograd.js", "train", "--nope"], { encoding: "utf8" });
  assert.equal(bad.status, 2);
});
