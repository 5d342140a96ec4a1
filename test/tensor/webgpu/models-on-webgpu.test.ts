// The library's two largest models on the webgpu backend (Dawn on SwiftShader), trained a few
// steps with `fitAsync` from the same initial weights and batches as on wasm: the MNIST CNN
// (convolutions, max pooling, batch norm, random shifts, dropout) and a tiny GPT (embeddings,
// layer norm, causal attention as batched products, GELU, AdamW with gradient clipping) give
// the same losses and parameters within float32 tolerance. Small sizes: seconds on SwiftShader.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  type AsyncFitOptions,
  type Backend,
  exampleSequences,
  fitAsync,
  GPT,
  init,
  mnistCnn,
  Rng,
  sequenceTensors,
  setBackend,
  Tensor,
  type TensorModule,
  type TensorTrainingData,
  toHost,
} from "../../../src/index.ts";
import { initWebGpu } from "../../helpers/webgpu.ts";

const wasm = await init("wasm", { threads: 1 });
const gpu = await initWebGpu();
after(() => init("js"));

/** Per-step losses and final parameters of `fitAsync` on backend `on`, from a fresh model. */
async function train(
  on: Backend,
  build: () => TensorModule,
  data: TensorTrainingData,
  options: AsyncFitOptions,
): Promise<{ losses: number[]; params: number[][] }> {
  setBackend(on);
  const model = build();
  const result = await fitAsync(model, data, { ...options, readEvery: 1 });
  await toHost(model.parameters());
  return { losses: result.history.map((h) => h.loss), params: model.parameters().map((p) => [...p.data]) };
}

/** Trains on wasm and on webgpu and compares losses and parameters. */
async function same(
  build: () => TensorModule,
  data: TensorTrainingData,
  options: AsyncFitOptions,
  tol: number,
) {
  const want = await train(wasm, build, data, options);
  const got = await train(gpu, build, data, options);
  assert.equal(got.losses.length, options.steps);
  want.losses.forEach((l, k) =>
    assert.ok(
      Math.abs(l - got.losses[k]) <= tol * Math.max(1, Math.abs(l)),
      `loss at step ${k + 1}: ${got.losses[k]} vs ${l}`,
    ),
  );
  want.params.forEach((p, j) =>
    p.forEach((v, i) =>
      assert.ok(Math.abs(v - got.params[j][i]) <= tol, `parameter ${j}[${i}]: ${got.params[j][i]} vs ${v}`),
    ),
  );
  // it trained: the last loss differs from the first
  assert.notEqual(got.losses[0], got.losses.at(-1));
}

test("the MNIST CNN trains on webgpu as on wasm (3 steps, batch 8)", async () => {
  const rng = new Rng(5);
  const n = 16;
  const x = new Tensor(
    Float32Array.from({ length: n * 784 }, () => rng.uniform(0, 1)),
    [n, 784],
  );
  const y = Array.from({ length: n }, (_, i) => i % 10);
  const build = () => mnistCnn({ channels: [2, 4], hidden: [8], dropout: 0.25, shift: 1, seed: 3 }).model;
  await same(
    build,
    { x, y },
    { loss: "softmax", optimizer: "adam", lr: 1e-2, batch: 8, steps: 3, seed: 7 },
    2e-5,
  );
});

test("a tiny GPT trains on webgpu as on wasm (3 steps of AdamW with clipping)", async () => {
  const rng = new Rng(9);
  const names = Array.from({ length: 12 }, () =>
    Array.from({ length: 3 + Math.floor(rng.uniform(0, 4)) }, () => 1 + Math.floor(rng.uniform(0, 8))),
  );
  const block = 8;
  const data = sequenceTensors(exampleSequences(names, 0, block));
  const config = { vocabSize: 9, block, layers: 1, heads: 2, embd: 8, dropout: 0.1 };
  // nanoGPT's small start: with PyTorch's (the default) a few gradients sit near float32
  // rounding, and Adam's first, sign-like steps turn their rounding into 1e-4 differences
  const build = () => new GPT(config, { seed: 4, init: "nanogpt" });
  await same(
    build,
    data,
    {
      loss: "softmax",
      optimizer: "adamw",
      lr: 1e-2,
      weightDecay: 0.1,
      gradClip: 1,
      batch: 4,
      steps: 3,
      seed: 2,
    },
    2e-5,
  );
});
