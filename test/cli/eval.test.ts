import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadIris } from "../../src/cli/iris.ts";
import { loadModel, loadSafetensors } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-eval-"));
const irisCsv = join(dir, "iris.csv");
{
  const iris = loadIris();
  const rows = iris.x.map((r, i) => `${r.join(",")},${iris.labels[iris.y[i]]}`);
  writeFileSync(irisCsv, `${[...iris.featureNames, "species"].join(",")}\n${rows.join("\n")}\n`);
}

test("train --dataset iris --folds 5 --json reports cvAccuracy >= 0.95 and every fold", async () => {
  const { code, out } = await runCli(["train", "--dataset", "iris", "--folds", "5", "--json"]);
  assert.equal(code, 0);
  const r = JSON.parse(out);
  assert.equal(r.folds.length, 5);
  assert.ok(r.cvAccuracy >= 0.95, `cvAccuracy ${r.cvAccuracy}`);
  const mean = r.folds.reduce((s: number, f: { testAccuracy: number }) => s + f.testAccuracy, 0) / 5;
  assert.ok(Math.abs(mean - r.cvAccuracy) < 1e-12);
  for (const f of r.folds) {
    assert.equal(f.testSamples, 30);
    assert.equal(f.trainSamples, 120);
  }
});

test("train --val --test --patience prints and returns train/validation/test figures", async () => {
  const args = ["train", "--dataset", "iris", "--activation", "tanh", "--steps", "100"];
  const json = await runCli([...args, "--val", "0.2", "--test", "0.2", "--patience", "10", "--json"]);
  assert.equal(json.code, 0);
  const r = JSON.parse(json.out);
  for (const key of ["accuracy", "valAccuracy", "testAccuracy", "valLoss", "testLoss", "bestStep"]) {
    assert.equal(typeof r[key], "number", key);
  }
  assert.ok(r.testAccuracy >= 0.85, `testAccuracy ${r.testAccuracy}`);
  const text = await runCli([...args, "--val", "0.2", "--test", "0.2", "--patience", "10"]);
  assert.match(text.out, /validation \(30 samples\): loss \d\.\d{4}, accuracy \d+\.\d%/);
  assert.match(text.out, /test \(30 samples\): loss \d\.\d{4}, accuracy \d+\.\d%/);
});

test("train --data CSV --save, then eval and predict with the saved model", async () => {
  const model = join(dir, "iris.json");
  const trained = await runCli([
    "train",
    "--data",
    irisCsv,
    "--label",
    "species",
    "--activation",
    "tanh",
    "--test",
    "0.2",
    "--save",
    model,
    "--json",
  ]);
  assert.equal(trained.code, 0, trained.err);
  const saved = loadModel(readFileSync(model));
  assert.deepEqual(saved.labels, ["setosa", "versicolor", "virginica"]);
  assert.deepEqual(saved.features, ["sepal_length", "sepal_width", "petal_length", "petal_width"]);
  assert.equal(saved.scaling?.mean.length, 4);
  assert.equal(saved.training?.dataset, irisCsv);
  assert.equal(saved.training?.testAccuracy, JSON.parse(trained.out).testAccuracy);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith(".tmp")),
    [],
  );

  const report = await runCli(["eval", "--model", model, "--data", irisCsv]);
  assert.equal(report.code, 0, report.err);
  assert.match(report.out, /precision\s+recall\s+f1\s+support/);
  assert.match(report.out, /confusion matrix \(rows: actual, columns: predicted\)/);
  assert.match(report.out, /setosa\s+50\s+0\s+0/);
  const figures = JSON.parse((await runCli(["eval", "--model", model, "--data", irisCsv, "--json"])).out);
  assert.ok(figures.accuracy > 0.9);
  assert.equal(figures.samples, 150);
  assert.equal(
    figures.confusion.flat().reduce((a: number, b: number) => a + b, 0),
    150,
  );

  const predicted = await runCli(["predict", "--model", model, "--data", irisCsv]);
  assert.equal(predicted.code, 0);
  const lines = predicted.out.trim().split("\n");
  assert.equal(lines[0], "prediction,p_setosa,p_versicolor,p_virginica");
  assert.equal(lines.length, 151);
  assert.match(lines[1], /^setosa,0\.9/);
  // Columns may come in any order and without labels: the model picks its features by name.
  const unlabelled = join(dir, "new.csv");
  writeFileSync(
    unlabelled,
    "petal_width,petal_length,sepal_width,sepal_length\n0.2,1.4,3.5,5.1\n2.5,6.0,3.3,6.3\n",
  );
  const out = join(dir, "predictions.csv");
  const fresh = await runCli(["predict", "--model", model, "--data", unlabelled, "--out", out]);
  assert.equal(fresh.code, 0, fresh.err);
  const rows = readFileSync(out, "utf8").trim().split("\n");
  assert.deepEqual(
    rows.slice(1).map((r) => r.split(",")[0]),
    ["setosa", "virginica"],
  );
});

test("--save FILE.safetensors and FILE.onnx", async () => {
  const st = join(dir, "m.safetensors");
  const onnx = join(dir, "m.onnx");
  for (const file of [st, onnx]) {
    const r = await runCli(["train", "--dataset", "iris", "--steps", "20", "--save", file]);
    assert.equal(r.code, 0, r.err);
  }
  const saved = loadSafetensors(new Uint8Array(readFileSync(st)));
  assert.deepEqual(saved.labels, ["setosa", "versicolor", "virginica"]);
  const e = await runCli(["eval", "--model", st, "--data", irisCsv, "--json"]);
  assert.equal(e.code, 0, e.err);
  assert.ok(readFileSync(onnx).length > 1000);
  const refused = await runCli(["eval", "--model", onnx, "--data", irisCsv]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /is ONNX, which micrograd exports but does not read/);
});

test("bad input exits with status 2 and a message naming the problem", async () => {
  const model = join(dir, "small.json");
  assert.equal((await runCli(["train", "--dataset", "iris", "--steps", "5", "--save", model])).code, 0);
  const bad = join(dir, "bad.csv");
  writeFileSync(
    bad,
    "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n5.1,abc,1.4,0.2,setosa\n",
  );
  const unknown = join(dir, "unknown.csv");
  writeFileSync(unknown, "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,rose\n");
  const missingColumn = join(dir, "missing.csv");
  writeFileSync(missingColumn, "sepal_length,sepal_width,species\n5.1,3.5,setosa\n");
  const corrupt = join(dir, "corrupt.json");
  writeFileSync(corrupt, readFileSync(model, "utf8").slice(0, 100));
  const cases: [string[], RegExp][] = [
    [["eval", "--data", irisCsv], /--model FILE is required/],
    [["eval", "--model", model], /--data FILE.csv is required/],
    [
      ["eval", "--model", join(dir, "nope.json"), "--data", irisCsv],
      /--model: cannot read ".*nope.json" \(ENOENT\)/,
    ],
    [
      ["eval", "--model", model, "--data", bad],
      /csv line 3, column "sepal_width": expected a number, got "abc"/,
    ],
    [["eval", "--model", model, "--data", unknown], /csv line 2, column "species": unknown class "rose"/],
    [["predict", "--model", model, "--data", missingColumn], /missing feature column "petal_length"/],
    [
      ["eval", "--model", corrupt, "--data", irisCsv],
      /--model ".*corrupt.json": loadModel: the file is not valid JSON/,
    ],
    [["train", "--data", bad], /--data ".*bad.csv": csv line 3, column "sepal_width"/],
    [["train", "--data", join(dir, "nope.csv")], /--data: cannot read/],
    [["train", "--patience", "5"], /--patience needs a validation set/],
    [["train", "--val", "0.6", "--test", "0.5"], /leave nothing to train on/],
    [["train", "--val", "1.5"], /--val: expected a fraction in \[0, 1\), got "1.5"/],
    [["train", "--folds", "1"], /--folds: expected an integer >= 2, got "1"/],
    [["train", "--folds", "5", "--test", "0.2"], /--folds and --test do not mix/],
    [["train", "--label", "y"], /--label needs --data/],
    [["train", "--standardize", "maybe"], /--standardize: expected one of auto, yes, no/],
    [["train", "--dataset", "iris", "--val", "0.001"], /--val is too small/],
    [["predict", "--model", model, "--data", irisCsv, "--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}, ${r.err}`);
    assert.match(r.err, message, args.join(" "));
  }
});

test("a model without feature names (generated data) predicts and evaluates plain CSV", async () => {
  const model = join(dir, "moons.json");
  assert.equal((await runCli(["train", "--steps", "50", "--save", model])).code, 0);
  const points = join(dir, "points.csv");
  writeFileSync(points, "x,y\n0,1\n1,-0.5\n");
  const p = await runCli(["predict", "--model", model, "--data", points]);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /^prediction\n[01]\n[01]\n$/);
  const labelled = join(dir, "labelled.csv");
  writeFileSync(labelled, "x,y,class\n0,1,0\n1,-0.5,1\n");
  const e = await runCli(["eval", "--model", model, "--data", labelled, "--json"]);
  assert.equal(e.code, 0, e.err);
  assert.equal(JSON.parse(e.out).samples, 2);
  const noLabels = await runCli(["eval", "--model", model, "--data", points]);
  assert.equal(noLabels.code, 2);
  assert.match(noLabels.err, /no label column besides the model's 2 features/);
});

test("convert: JSON to safetensors to JSON keeps the model; ONNX export; errors exit 2", async () => {
  const json = join(dir, "c.json");
  assert.equal((await runCli(["train", "--dataset", "iris", "--steps", "5", "--save", json])).code, 0);
  const st = join(dir, "c.safetensors");
  const back = join(dir, "c2.json");
  const onnx = join(dir, "c.onnx");
  const r = await runCli(["convert", "--model", json, "--out", st]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /wrote .*c\.safetensors \(safetensors, MLP 4-16-16-3/);
  assert.equal((await runCli(["convert", "--model", st, "--out", back])).code, 0);
  assert.equal((await runCli(["convert", "--model", json, "--out", onnx])).code, 0);
  const a = loadModel(readFileSync(json));
  const b = loadModel(readFileSync(back));
  assert.deepEqual(b.labels, a.labels);
  assert.deepEqual(b.scaling, a.scaling);
  // Through float32 safetensors: each weight rounded to float32.
  const wa = a.model.layers[0].neurons[0].w[0].data;
  assert.equal(b.model.layers[0].neurons[0].w[0].data, Math.fround(wa));
  assert.equal((await runCli(["convert", "--model", json])).code, 2);
  const refused = await runCli(["convert", "--model", onnx, "--out", back]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /exports but does not read/);
});

test("regression from CSV: --task regression trains with mse; eval reports MSE, MAE and R²", async () => {
  const csv = join(dir, "regression.csv");
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const rows = Array.from({ length: 120 }, () => {
    const a = rnd() * 4 - 2;
    const b = rnd() * 4 - 2;
    return `${a},${b},${Math.sin(a) + 0.5 * b}`;
  });
  writeFileSync(csv, `a,b,target\n${rows.join("\n")}\n`);
  const model = join(dir, "regression.json");
  const args = [
    "--data",
    csv,
    "--task",
    "regression",
    "--activation",
    "tanh",
    "--optimizer",
    "adam",
    "--lr",
    "0.02",
  ];
  const trained = await runCli(["train", ...args, "--steps", "300", "--save", model, "--json"]);
  assert.equal(trained.code, 0, trained.err);
  assert.equal(JSON.parse(trained.out).lossName, "mse");
  const e = JSON.parse((await runCli(["eval", "--model", model, "--data", csv, "--json"])).out);
  assert.ok(e.r2 > 0.95, `R² ${e.r2}`);
  assert.ok(Math.abs(e.mse - e.loss) < 1e-12);
  const p = await runCli(["predict", "--model", model, "--data", csv]);
  assert.match(p.out, /^prediction\n-?\d/);
  const wrong = await runCli(["train", ...args, "--loss", "hinge"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--task regression trains with --loss mse, not hinge/);
  assert.equal((await runCli(["train", "--task", "regression"])).code, 2);
  assert.equal((await runCli(["train", "--data", csv, "--task", "ranking"])).code, 2);
});
