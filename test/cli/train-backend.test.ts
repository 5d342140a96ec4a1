import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, test } from "node:test";
import { init } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";

after(() => init("js"));

test("train --backend wasm trains the tensor MLP on the wasm backend, as js does", async () => {
  const args = [
    "train",
    "--dataset",
    "spiral",
    "--hidden",
    "32,32",
    "--steps",
    "60",
    "--lr",
    "0.2",
    "--json",
  ];
  const wasm = await runCli([...args, "--backend", "wasm"]);
  assert.equal(wasm.code, 0, wasm.err);
  const w = JSON.parse(wasm.out);
  assert.equal(w.engine, `tensor on wasm (1 thread, ${w.engine.includes("fma") ? "fma" : "mul+add"})`);
  assert.equal(w.model, "MLP 2-32-32-3 (tensor)");
  const js = JSON.parse((await runCli([...args, "--backend", "js"])).out);
  assert.equal(js.engine, "tensor on js");
  // Same seed, same data, float32 on both: the losses agree to float32 rounding.
  assert.ok(Math.abs(w.loss - js.loss) < 1e-4 * Math.max(1, js.loss), `${w.loss} vs ${js.loss}`);
  assert.ok(w.loss < 1.0, `the loss went down (${w.loss})`);
});

test("train --backend rejects unknown backends, bad --threads and --demo with exit code 2", async () => {
  const bad = await runCli(["train", "--backend", "gpu"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--backend: expected one of js, wasm, got "gpu"/);
  const threads = await runCli(["train", "--backend", "wasm", "--threads", "0"]);
  assert.equal(threads.code, 2);
  assert.match(threads.err, /--threads: expected 1\.\.32, got "0"/);
  const demo = await runCli(["train", "--backend", "wasm", "--demo"]);
  assert.equal(demo.code, 2);
  assert.match(demo.err, /--demo is for the scalar MLP: drop --backend/);
});

test("the built CLI trains with --backend wasm --threads 2 (Node worker threads)", () => {
  const r = spawnSync(
    process.execPath,
    ["bin/micrograd.js", "train", "--backend", "wasm", "--threads", "2", "--steps", "20", "--json"],
    { encoding: "utf8", timeout: 60000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.match(result.engine, /^tensor on wasm \(2 threads, /);
  assert.equal(result.steps, 20);
});

test("train --dataset mnist --backend wasm trains the digits MLP on wasm, as js does", async () => {
  const args = ["train", "--dataset", "mnist", "--epochs", "1", "--train", "640", "--test", "200", "--json"];
  const wasm = JSON.parse((await runCli([...args, "--backend", "wasm"])).out);
  const js = JSON.parse((await runCli([...args, "--backend", "js"])).out);
  assert.match(wasm.backend, /^wasm \(1 thread, /);
  assert.equal(js.backend, "js");
  assert.equal(wasm.steps, 5);
  // float32 on both, summed in different orders: the same training to rounding.
  assert.ok(Math.abs(wasm.loss - js.loss) < 1e-3, `${wasm.loss} vs ${js.loss}`);
  assert.ok(
    Math.abs(wasm.testAccuracy - js.testAccuracy) <= 0.01,
    `${wasm.testAccuracy} vs ${js.testAccuracy}`,
  );
});
