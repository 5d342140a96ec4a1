// A crash mid-training (SIGKILL of the built CLI) leaves a whole checkpoint, and --resume from it
// ends with exactly the model an uninterrupted run gives. Needs the build (npm test builds first).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-resume-"));
const args = ["train", "--dataset", "iris", "--activation", "tanh", "--optimizer", "adam", "--lr", "0.01"];
const run = [...args, "--batch", "16", "--steps", "400", "--val", "0.2", "--eval-every", "7", "--json"];

test("kill -9 mid-run, then --resume: same weights and figures as an uninterrupted run", async () => {
  const whole = join(dir, "whole.json");
  const uninterrupted = spawnSync(process.execPath, ["bin/micrograd.js", ...run, "--save", whole], {
    encoding: "utf8",
  });
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);

  const checkpoint = join(dir, "run.ckpt");
  const child = spawn(
    process.execPath,
    ["bin/micrograd.js", ...run, "--checkpoint", checkpoint, "--checkpoint-every", "3"],
    {
      stdio: "ignore",
    },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  while (!existsSync(checkpoint) && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  child.kill("SIGKILL");
  await exited;
  const saved = JSON.parse(readFileSync(checkpoint, "utf8")); // whole, never half-written
  assert.equal(saved.format, "micrograd-ts/checkpoint");
  assert.ok(saved.fit.step >= 3 && saved.fit.step % 3 === 0);

  const resumedModel = join(dir, "resumed.json");
  const resumed = await runCli(["train", "--resume", checkpoint, "--save", resumedModel, "--json"]);
  assert.equal(resumed.code, 0, resumed.err);
  const a = JSON.parse(uninterrupted.stdout);
  const b = JSON.parse(resumed.out);
  for (const key of ["steps", "loss", "accuracy", "valLoss", "valAccuracy", "bestStep", "stoppedBy"]) {
    assert.deepEqual(b[key], a[key], key);
  }
  assert.deepEqual(
    JSON.parse(readFileSync(resumedModel, "utf8")).weights,
    JSON.parse(readFileSync(whole, "utf8")).weights,
  );
  // (A kill during a write may leave a stray temporary file beside it; the checkpoint itself is whole.)
});

test("--resume errors exit 2", async () => {
  const checkpoint = join(dir, "short.ckpt");
  assert.equal((await runCli([...args, "--steps", "4", "--checkpoint", checkpoint, "--json"])).code, 0);
  const saved = JSON.parse(readFileSync(checkpoint, "utf8"));
  const badHistory = join(dir, "bad-history.ckpt");
  writeFileSync(badHistory, JSON.stringify({ ...saved, fit: { ...saved.fit, history: [1, 2, 3, 4] } }));
  const badOptimizer = join(dir, "bad-optimizer.ckpt");
  writeFileSync(
    badOptimizer,
    JSON.stringify({
      ...saved,
      fit: { ...saved.fit, optimizer: { stepCount: 4, buffers: { m: [[1]], v: [] } } },
    }),
  );
  const badValidation = join(dir, "bad-validation.ckpt");
  writeFileSync(
    badValidation,
    JSON.stringify({ ...saved, fit: { ...saved.fit, validation: { bestWeights: "x" } } }),
  );
  const cases: [string[], RegExp][] = [
    [
      ["train", "--resume", badValidation],
      /--resume ".*bad-validation.ckpt": "fit.validation.bestWeights" must be an array, got "x"/,
    ],
    [["train", "--resume", badHistory], /"fit.history\[0\]" must be an object, got 1/],
    [["train", "--resume", badOptimizer], /optimizer: "m" buffer 0 must be 0 finite numbers/],
    [["train", "--resume", checkpoint, "--lr", "0.5"], /training flags come from the checkpoint; drop --lr/],
    [["train", "--resume", join(dir, "none.ckpt")], /--resume: cannot read/],
    [["train", "--resume", join(dir, "whole.json")], /"format" must be a micrograd-ts checkpoint/],
    [
      ["train", "--dataset", "iris", "--folds", "3", "--checkpoint", checkpoint],
      /--checkpoint is for a single run/,
    ],
    [
      ["train", "--checkpoint", checkpoint, "--checkpoint-every", "0"],
      /--checkpoint-every: expected a positive integer/,
    ],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.err}`);
    assert.match(r.err, message);
  }
});
