// The tensor paths of `micrograd train` (--backend, --dataset mnist) take the held-out flags
// of the scalar path (--val, --test, --patience, --eval-every, --checkpoint/--resume) and
// report the same --json keys.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-tensor-val-"));

test("train --backend js --val --test --patience: the scalar path's figures and --json keys", async () => {
  const args = ["train", "--dataset", "iris", "--activation", "tanh", "--steps", "300"];
  const heldOut = ["--val", "0.2", "--test", "0.2", "--patience", "10", "--json"];
  const t = await runCli([...args, ...heldOut, "--backend", "js"]);
  assert.equal(t.code, 0, t.err);
  const s = await runCli([...args, ...heldOut]);
  const tensorRun = JSON.parse(t.out);
  const scalarRun = JSON.parse(s.out);
  for (const key of ["valLoss", "valAccuracy", "bestStep", "testLoss", "testAccuracy", "stoppedBy", "steps"])
    assert.ok(key in tensorRun, key);
  assert.deepEqual(Object.keys(tensorRun).sort(), Object.keys(scalarRun).sort());
  assert.equal(tensorRun.stoppedBy, "patience");
  // float32 tensors against float64 Values: the same run, to float32 rounding
  assert.equal(tensorRun.bestStep, scalarRun.bestStep);
  assert.equal(tensorRun.steps, scalarRun.steps);
  assert.ok(
    Math.abs(tensorRun.valLoss - scalarRun.valLoss) < 1e-4,
    `${tensorRun.valLoss} vs ${scalarRun.valLoss}`,
  );
  assert.equal(tensorRun.testAccuracy, scalarRun.testAccuracy);
  const text = await runCli([...args, "--val", "0.2", "--patience", "10", "--backend", "js"]);
  assert.match(
    text.out,
    /validation \(30 samples\): loss \d\.\d{4}, accuracy \d+\.\d% \(best weights from step \d+, stopped early\)/,
  );
});

test("train --backend: kill -9 mid-run, then --resume gives the uninterrupted run", async () => {
  const run = ["train", "--dataset", "spiral", "--backend", "js", "--optimizer", "adam", "--lr", "0.02"];
  run.push("--batch", "16", "--steps", "600", "--val", "0.2", "--eval-every", "7", "--json");
  const whole = spawnSync(process.execPath, ["bin/micrograd.js", ...run], { encoding: "utf8" });
  assert.equal(whole.status, 0, whole.stderr);
  const checkpoint = join(dir, "tensor.ckpt");
  const saved = await killAfterFirstCheckpoint(run, checkpoint);
  assert.ok(saved.fit.step >= 3 && saved.fit.step % 3 === 0);
  const resumed = await runCli(["train", "--resume", checkpoint, "--json"]);
  assert.equal(resumed.code, 0, resumed.err);
  const a = JSON.parse(whole.stdout);
  const b = JSON.parse(resumed.out);
  for (const key of ["steps", "loss", "accuracy", "valLoss", "valAccuracy", "bestStep", "stoppedBy"])
    assert.deepEqual(b[key], a[key], key);
  assert.ok(saved.fit.step < a.steps, `the run was cut short (at step ${saved.fit.step} of ${a.steps})`);
});

test("train --dataset mnist: kill -9 mid-run, then --resume gives the uninterrupted run", async () => {
  const run = ["train", "--dataset", "mnist", "--epochs", "2", "--train", "1280", "--test", "200"];
  run.push("--hidden", "32", "--dropout", "0.2", "--val", "0.1", "--json");
  const whole = spawnSync(process.execPath, ["bin/micrograd.js", ...run], { encoding: "utf8" });
  assert.equal(whole.status, 0, whole.stderr);
  const checkpoint = join(dir, "mnist.ckpt");
  const saved = await killAfterFirstCheckpoint(run, checkpoint);
  const resumed = await runCli(["train", "--resume", checkpoint, "--json"]);
  assert.equal(resumed.code, 0, resumed.err);
  const a = JSON.parse(whole.stdout);
  const b = JSON.parse(resumed.out);
  // dropout draws from the checkpointed generator: the same units drop after the resumption
  for (const key of ["steps", "loss", "accuracy", "testAccuracy", "valLoss", "valAccuracy", "bestStep"])
    assert.deepEqual(b[key], a[key], key);
  assert.ok(saved.fit.step < a.steps, `the run was cut short (at step ${saved.fit.step} of ${a.steps})`);
  const extra = await runCli(["train", "--dataset", "mnist", "--resume", checkpoint]);
  assert.equal(extra.code, 2);
  assert.match(extra.err, /with --resume the training flags come from the checkpoint; drop --dataset/);
});

test("train --dataset mnist --val --patience: validation figures, best weights, --json keys", async () => {
  const args = ["train", "--dataset", "mnist", "--train", "600", "--test", "200", "--hidden", "32"];
  args.push("--epochs", "6", "--batch", "50", "--lr", "0.003", "--val", "0.2", "--patience", "1", "--json");
  const { code, out, err } = await runCli(args);
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  for (const key of ["steps", "loss", "accuracy", "ms", "testAccuracy", "valLoss", "valAccuracy", "bestStep"])
    assert.equal(typeof r[key], "number", key);
  assert.ok(["steps", "patience"].includes(r.stoppedBy));
  const perEpoch = 9; // 480 training digits (600 less 20% for validation), batches of 50
  assert.equal(r.bestStep % perEpoch, 0);
  assert.equal(r.epochs.length, r.steps / perEpoch);
  assert.ok(r.epochs.every((e: { valLoss?: number }) => typeof e.valLoss === "number"));
  const best = r.epochs.find((e: { epoch: number }) => e.epoch * perEpoch === r.bestStep);
  assert.equal(best.valLoss, r.valLoss);
  assert.equal(Math.min(...r.epochs.map((e: { valLoss: number }) => e.valLoss)), r.valLoss);
  // the reported test accuracy is that of the restored best weights
  assert.equal(best.testAccuracy, r.testAccuracy);
  assert.ok(r.valAccuracy > 0.5, `validation accuracy ${r.valAccuracy}`);
});

test("held-out flags on the tensor paths: bad values exit 2 with the scalar path's messages", async () => {
  const cases: [string[], RegExp][] = [
    [["train", "--backend", "js", "--patience", "3"], /--patience needs a validation set: add --val 0.2/],
    [["train", "--backend", "js", "--folds", "3"], /--folds is for the scalar MLP: drop --backend/],
    [["train", "--dataset", "mnist", "--patience", "2"], /--patience needs a validation set: add --val 0.1/],
    [["train", "--dataset", "mnist", "--val", "1.5"], /--val: expected a fraction in \[0, 1\), got "1.5"/],
    [
      ["train", "--dataset", "mnist", "--val", "0.1", "--eval-every", "0"],
      /--eval-every: expected a positive integer/,
    ],
  ];
  const checkpoint = join(dir, "short.ckpt");
  const short = await runCli([
    "train",
    "--backend",
    "js",
    "--steps",
    "2",
    "--checkpoint",
    checkpoint,
    "--json",
  ]);
  assert.equal(short.code, 0, short.err);
  const saved = JSON.parse(readFileSync(checkpoint, "utf8"));
  for (const [name, random] of [
    ["bad-random.ckpt", "x"],
    ["extra-random.ckpt", [[1, 2, 3, 4]]],
  ] as const) {
    writeFileSync(join(dir, name), JSON.stringify({ ...saved, fit: { ...saved.fit, random } }));
  }
  cases.push(
    [["train", "--resume", join(dir, "bad-random.ckpt")], /"fit.random" must be an array, got "x"/],
    [
      ["train", "--resume", join(dir, "extra-random.ckpt")],
      /the checkpoint holds 1 random generator states, the model draws from 0/,
    ],
  );
  for (const [argv, message] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.match(r.err, message);
  }
});

/**
 * Runs the built CLI with `run` and a checkpoint every 3 updates, and kills it with SIGKILL once
 * the first checkpoint is written: returns that checkpoint.
 */
async function killAfterFirstCheckpoint(
  run: string[],
  checkpoint: string,
): Promise<{ fit: { step: number } }> {
  const child = spawn(
    process.execPath,
    ["bin/micrograd.js", ...run, "--checkpoint", checkpoint, "--checkpoint-every", "3"],
    { stdio: "ignore" },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  while (!existsSync(checkpoint) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  child.kill("SIGKILL");
  await exited;
  return JSON.parse(readFileSync(checkpoint, "utf8"));
}
