// How the worker picks its engine: "js" is the scalar tape; "wasm" loads the tensor engine once
// and falls back to the scalar tape, saying why, where it cannot start; "webgpu" loads the GPU
// engine once and falls back to wasm (or further), saying why.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EngineFactory } from "../../web/src/engine.ts";
import { engineChooser } from "../../web/src/engine-choice.ts";
import { makeProblem } from "../../web/src/problem.ts";
import { ScalarEngine } from "../../web/src/scalar-engine.ts";
import { defaultSettings } from "../../web/src/settings.ts";
import { Run } from "../../web/src/trainer.ts";

const settings = defaultSettings();
const noWebGpu = async (): Promise<EngineFactory> => {
  throw new Error("this browser has no WebGPU (navigator.gpu)");
};
const message = { type: "setup" as const, settings, ...makeProblem(settings) };

test("wasm loads once; js never loads it", async () => {
  let loads = 0;
  const wasm: EngineFactory = (spec) => new ScalarEngine(spec);
  const choose = engineChooser(async () => {
    loads++;
    return wasm;
  }, noWebGpu);
  assert.deepEqual(await choose("js").then(([, note]) => note), "");
  assert.equal(loads, 0);
  const [first, note] = await choose("wasm");
  const [second] = await choose("wasm");
  assert.equal(first, wasm);
  assert.equal(second, wasm);
  assert.equal(note, "");
  assert.equal(loads, 1);
});

test("where the wasm engine cannot start, the run trains on the scalar tape and says why", async () => {
  let loads = 0;
  const choose = engineChooser(async () => {
    loads++;
    throw new Error("init: wasm backend needs WebAssembly SIMD, which this engine lacks");
  }, noWebGpu);
  const [factory, note] = await choose("wasm");
  assert.equal(note, "wasm unavailable (init: wasm backend needs WebAssembly SIMD, which this engine lacks)");
  await choose("wasm");
  assert.equal(loads, 1); // not retried at every run
  const run = new Run(message, factory, note);
  assert.ok(run.engine instanceof ScalarEngine);
  assert.equal(
    run.progress(false).message.engine,
    "js (compiled scalar tape, float64): wasm unavailable (init: wasm backend needs WebAssembly SIMD, which this engine lacks)",
  );
  run.advance();
  assert.equal(run.count, 1);
});

test("webgpu loads once; where it cannot start, the run trains on wasm and says why", async () => {
  const wasm: EngineFactory = (spec) => new ScalarEngine(spec);
  const gpu: EngineFactory = (spec) => new ScalarEngine(spec);
  let gpuLoads = 0;
  const choose = engineChooser(
    async () => wasm,
    async () => {
      gpuLoads++;
      return gpu;
    },
  );
  assert.deepEqual(await choose("webgpu"), [gpu, ""]);
  assert.deepEqual(await choose("webgpu"), [gpu, ""]);
  assert.equal(gpuLoads, 1);
  const fallback = engineChooser(async () => wasm, noWebGpu);
  assert.deepEqual(await fallback("webgpu"), [
    wasm,
    "WebGPU unavailable (this browser has no WebGPU (navigator.gpu))",
  ]);
  assert.deepEqual(await fallback("wasm"), [wasm, ""]);
  // neither: the scalar tape, with both reasons
  const neither = engineChooser(async () => {
    throw new Error("no SIMD");
  }, noWebGpu);
  const [factory, note] = await neither("webgpu");
  assert.ok(new Run(message, factory, note).engine instanceof ScalarEngine);
  assert.equal(
    note,
    "WebGPU unavailable (this browser has no WebGPU (navigator.gpu)); wasm unavailable (no SIMD)",
  );
});
