// `--save` on the tensor paths of `micrograd train` (--backend, --dataset mnist): the file holds
// the trained network's scalar twin, so `eval`, `predict` and `convert` take it like any model.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fromScalarMLP, loadModel, moons, standardize, tensor } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-tensor-save-"));

test("train --backend js --save writes a model that eval reads back with the same accuracy", async () => {
  const file = join(dir, "moons.json");
  const args = ["train", "--dataset", "moons", "--backend", "js", "--steps", "150", "--test", "0.25"];
  const trained = await runCli([...args, "--save", file, "--json"]);
  assert.equal(trained.code, 0, trained.err);
  const summary = JSON.parse(trained.out);
  const saved = loadModel(readFileSync(file));
  assert.equal(saved.model.describe(), "MLP 2-16-16-1 (relu, relu, linear)");
  assert.equal(saved.loss, "hinge");
  assert.equal(saved.training?.steps, summary.steps);
  assert.equal(saved.training?.testAccuracy, summary.testAccuracy);
  // the saved weights are the trained ones: they classify the moons
  const data = moons({ n: 100, noise: 0.1, seed: 1337 });
  const csv = ["x,y,label", ...data.x.map((row, i) => `${row[0]},${row[1]},${data.y[i]}`)].join("\n");
  writeFileSync(join(dir, "moons.csv"), `${csv}\n`);
  const evaluated = await runCli(["eval", "--model", file, "--data", join(dir, "moons.csv"), "--json"]);
  assert.equal(evaluated.code, 0, evaluated.err);
  assert.ok(JSON.parse(evaluated.out).accuracy > 0.8, evaluated.out);
});

test("train --dataset mnist --save writes the digits network with its labels and pixel scaling", async () => {
  const file = join(dir, "digits.json");
  const args = ["train", "--dataset", "mnist", "--epochs", "1", "--train", "640", "--test", "200"];
  const trained = await runCli([...args, "--dropout", "0.2", "--save", file]);
  assert.equal(trained.code, 0, trained.err);
  assert.match(trained.out, new RegExp(`saved ${file}`));
  const saved = loadModel(readFileSync(file));
  assert.equal(saved.model.describe(), "MLP 784-128-10 (relu, linear)");
  assert.deepEqual(saved.labels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  assert.equal(saved.scaling?.mean.length, 784);
  assert.ok(new Set(saved.scaling?.mean).size === 1, "one mean for every pixel, as training used");
  // reloaded on tensors, the file's network gives the accuracy the run reported
  const reported = Number(/test accuracy ([\d.]+)% after/.exec(trained.out)?.[1]);
  const net = fromScalarMLP(saved.model);
  const { images, labels } = testDigits();
  const x = tensor(standardize(images, saved.scaling as NonNullable<typeof saved.scaling>));
  const out = net.forward(x).data;
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = Array.from(out.slice(i * 10, i * 10 + 10));
    if (row.indexOf(Math.max(...row)) === labels[i]) right++;
  }
  assert.ok(reported > 50, `the run learned something (${reported}%)`);
  assert.ok(right / labels.length > 0.5, `the saved network classifies digits (${right}/${labels.length})`);
});

test("convert takes a model saved from the tensor engine", async () => {
  const file = join(dir, "spiral.json");
  const trained = await runCli([
    "train",
    "--dataset",
    "spiral",
    "--backend",
    "js",
    "--steps",
    "20",
    "--save",
    file,
  ]);
  assert.equal(trained.code, 0, trained.err);
  const onnx = join(dir, "spiral.onnx");
  const converted = await runCli(["convert", "--model", file, "--out", onnx]);
  assert.equal(converted.code, 0, converted.err);
  assert.ok(readFileSync(onnx).length > 100);
});

/** 100 digits from the mnist package (not necessarily the run's test digits): pixels and labels. */
function testDigits(): { images: number[][]; labels: number[] } {
  const mnist = createRequire(import.meta.url)("mnist") as {
    set: (train: number, test: number) => { test: { input: number[]; output: number[] }[] };
  };
  const set = mnist.set(0, 100).test;
  return { images: set.map((s) => s.input), labels: set.map((s) => s.output.indexOf(1)) };
}
