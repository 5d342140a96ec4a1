// MNIST on the webgpu backend (Dawn on SwiftShader, which runs the WGSL kernels on the CPU):
// the same digits, seed and steps as on wasm give the same test accuracy, and the JSON names
// the adapter. Small sizes: SwiftShader on a shared machine is slow.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { init } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";
import { initWebGpu } from "../helpers/webgpu.ts";

after(() => init("js"));

test("train --dataset mnist --backend webgpu reaches wasm's test accuracy; other commands refuse webgpu", async () => {
  await initWebGpu(); // names the SwiftShader driver for Dawn (and fails, saying why, without it)
  const args = ["train", "--dataset", "mnist", "--train", "1000", "--test", "300", "--epochs", "2", "--json"];
  const gpu = await runCli([...args, "--backend", "webgpu"]);
  assert.equal(gpu.code, 0, gpu.err);
  const g = JSON.parse(gpu.out);
  assert.match(g.backend, /^webgpu \(/);
  const wasm = JSON.parse((await runCli([...args, "--backend", "wasm"])).out);
  assert.ok(
    Math.abs(g.testAccuracy - wasm.testAccuracy) <= 0.01,
    `${g.testAccuracy} vs ${wasm.testAccuracy}`,
  );
  assert.ok(g.testAccuracy > 0.6, `it learned (${g.testAccuracy})`);
  // each epoch's loss is the mean over its steps, summed on the GPU: wasm's numbers to float32 rounding
  g.epochs.forEach((e: { loss: number }, i: number) => {
    assert.ok(
      Math.abs(e.loss - wasm.epochs[i].loss) < 1e-3,
      `epoch ${i + 1}: ${e.loss} vs ${wasm.epochs[i].loss}`,
    );
  });
  const spiral = await runCli(["train", "--dataset", "spiral", "--backend", "webgpu"]);
  assert.equal(spiral.code, 2);
  assert.match(spiral.err, /--backend webgpu: only `train --dataset mnist` trains on the GPU so far/);
});
