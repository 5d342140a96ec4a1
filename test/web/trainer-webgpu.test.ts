// The playground's run on WebGPU (Dawn on SwiftShader in Node): updates are queued and read
// back in groups (`Run.advanceQueued`), and the run reaches the same parameters, gradients and
// curve as the scalar tape within float32 tolerance; a diverging run stops with its message; a
// parameter typed between reads is trained from.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { backend } from "../../src/index.ts";
import { isQueued } from "../../web/src/engine.ts";
import { GpuEngine, gpuEngine } from "../../web/src/gpu-engine.ts";
import { makeProblem } from "../../web/src/problem.ts";
import { defaultSettings, type Settings } from "../../web/src/settings.ts";
import { Run } from "../../web/src/trainer.ts";
import { initWebGpu } from "../helpers/webgpu.ts";

const LABEL = "WebGPU, SwiftShader (tensors, float32)";

before(async () => {
  await initWebGpu();
});

function setup(changes: Partial<Settings> = {}) {
  const settings = { ...defaultSettings(), ...changes };
  return { type: "setup" as const, settings, ...makeProblem(settings) };
}

test("the GPU engine queues: no synchronous loss, and the run reads in groups up to each curve point", async () => {
  const run = new Run(setup({ steps: 100 }), gpuEngine(LABEL));
  assert.equal(backend().name, "webgpu");
  assert.ok(isQueued(run.engine) && run.engine instanceof GpuEngine);
  assert.throws(() => run.gradient([0]), /queueGradient, then await sync\(\)/);
  assert.equal(run.curveEvery, 2);
  await run.advanceQueued(60_000); // stops at the curve point, not at the time limit
  assert.equal(run.count, 2);
  await run.advanceQueued(0); // at least one update
  assert.equal(run.count, 3);
  const { message } = run.progress(false);
  assert.equal(message.engine, LABEL);
  assert.deepEqual(
    message.curve.map((p) => p.step),
    [2, 3],
  );
  assert.ok(message.grads.some((g) => g !== 0));
});

test("on WebGPU the run agrees with the scalar tape within float32 tolerance after 10 queued steps", async () => {
  for (const changes of [{}, { dataset: "spiral" as const, batch: "mini" as const, batchSize: 10 }]) {
    const message = setup({ ...changes, steps: 10 });
    const scalar = new Run(message);
    const gpu = new Run(message, gpuEngine(LABEL));
    for (let k = 0; k < 10; k++) scalar.advance();
    while (!gpu.done) await gpu.advanceQueued(60_000);
    const a = scalar.block;
    const b = gpu.block;
    for (let i = 0; i < a.data.length; i++) {
      assert.ok(Math.abs(a.data[i] - b.data[i]) <= 1e-4, `parameter ${i}: ${a.data[i]} vs ${b.data[i]}`);
      assert.ok(Math.abs(a.grad[i] - b.grad[i]) <= 1e-4, `gradient ${i}: ${a.grad[i]} vs ${b.grad[i]}`);
    }
    const [la] = scalar.measure(message.train);
    const [lb] = gpu.measure(message.train);
    assert.ok(Math.abs(la - lb) < 1e-4, `train loss ${la} vs ${lb}`);
  }
});

test("on WebGPU a parameter set between reads is where training continues from", async () => {
  const message = setup({ steps: 4 });
  const scalar = new Run(message);
  const gpu = new Run(message, gpuEngine(LABEL));
  scalar.advance();
  await gpu.advanceQueued(0);
  scalar.setParameter(3, 0.5);
  gpu.setParameter(3, 0.5);
  assert.equal(gpu.block.data[3], 0.5);
  scalar.advance();
  await gpu.advanceQueued(0);
  const a = scalar.block.data;
  const b = gpu.block.data;
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-4, `parameter ${i}: ${a[i]} vs ${b[i]}`);
});

test("on WebGPU a diverging run stops with the scalar tape's message, at the read", async () => {
  const run = new Run(
    setup({ optimizer: "sgd", lr: 10, loss: "mse", steps: 200, layers: [{ size: 8, activation: "linear" }] }),
    gpuEngine(LABEL),
  );
  await assert.rejects(async () => {
    while (!run.done) await run.advanceQueued(60_000);
  }, /the loss became (NaN|Infinity) by step \d+: try a smaller learning rate \(now 10\)/);
});
