import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

test("train --dataset mnist --json reports steps, loss, accuracy, ms and testAccuracy", async () => {
  const { code, out } = await runCli([
    "train",
    "--dataset",
    "mnist",
    "--train",
    "600",
    "--test",
    "200",
    "--hidden",
    "32",
    "--epochs",
    "3",
    "--batch",
    "50",
    "--lr",
    "0.003",
    "--json",
  ]);
  assert.equal(code, 0);
  const result = JSON.parse(out);
  for (const key of ["steps", "loss", "accuracy", "ms", "testAccuracy"])
    assert.equal(typeof result[key], "number", key);
  assert.equal(result.steps, 36);
  assert.equal(result.model, "MLP 784-32-10 (relu, dropout 0.2)");
  assert.equal(result.epochs.length, 3);
  // 600 real digits are enough for far better than chance (10%)
  assert.ok(result.testAccuracy > 0.6, `test accuracy ${result.testAccuracy}`);
});

test("train --dataset mnist prints per-epoch test accuracy and the time taken", async () => {
  const args = [
    "train",
    "--dataset=mnist",
    "--train",
    "300",
    "--test",
    "100",
    "--hidden",
    "16",
    "--epochs",
    "1",
  ];
  const { code, out } = await runCli(args);
  assert.equal(code, 0);
  assert.match(out, /MNIST: 300 training \/ 100 test digits/);
  assert.match(out, /epoch 1\/1 {2}loss \d\.\d{4} {2}test accuracy \d+\.\d\d% {2}\d+\.\d s/);
  assert.match(out, /test accuracy \d+\.\d\d% after 2 steps in \d+\.\d s/);
  // progress between epochs: elapsed time, rate and time left
  assert.match(out, /step 1\/2 \(epoch 1\/1\) {2}batch loss \d\.\d{4} {2}\d+\.\d s/);
  const stopped = await runCli([...args, "--steps", "1", "--json"]);
  assert.equal(stopped.code, 0, stopped.err);
  assert.equal(JSON.parse(stopped.out).steps, 1);
});

test("train --dataset mnist rejects bad options with exit code 2", async () => {
  const bad = await runCli(["train", "--dataset", "mnist", "--dropout", "1.5"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--dropout: expected a number in \[0, 1\), got "1.5"/);
  const tooMany = await runCli(["train", "--dataset", "mnist", "--train", "9000", "--test", "2000"]);
  assert.equal(tooMany.code, 2);
  assert.match(tooMany.err, /9000 training \+ 2000 test samples, but only 10000 digits/);
});

test("train --dataset mnist --arch cnn --json reports arch, parameters and seconds; --plots draws filters and feature maps", async () => {
  const dir = mkdtempSync(join(tmpdir(), "micrograd-mnist-cnn-"));
  const args = ["train", "--dataset", "mnist", "--arch", "cnn", "--train", "256", "--test", "100"];
  const { code, out } = await runCli([...args, "--epochs", "1", "--plots", dir, "--json"]);
  assert.equal(code, 0);
  const result = JSON.parse(out);
  assert.equal(result.arch, "cnn");
  assert.equal(result.parameters, 20610); // 8·25 + 16·8·25 + 256·64 + 64·10 + 10 + batch norms' 2·(8+16+64)
  assert.equal(typeof result.seconds, "number");
  assert.equal(result.seconds, Math.round(result.ms) / 1000);
  assert.equal(typeof result.testAccuracy, "number");
  for (const name of ["filters.svg", "filters.png", "feature-maps.svg", "feature-maps.png"])
    assert.ok(statSync(join(dir, name)).size > 1000, name);
  assert.match(readFileSync(join(dir, "feature-maps.svg"), "utf8"), /convolution 2: 16 feature maps of 8×8/);
  const mlp = await runCli(["train", "--dataset", "mnist", "--plots", dir]);
  assert.equal(mlp.code, 2);
  assert.match(mlp.err, /--plots is for --arch cnn/);
});
