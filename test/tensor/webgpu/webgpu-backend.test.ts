// The webgpu backend's own behaviour (Dawn on SwiftShader in Node): where the numbers are, the
// errors that name the asynchronous read, training that matches the js backend, a pool that keeps
// GPU memory flat, and init's errors when there is no adapter.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  add,
  avgPool2d,
  conv2d,
  fit,
  fitAsync,
  init,
  jsBackend,
  matmul,
  maxPool2d,
  Rng,
  randn,
  relu,
  setBackend,
  spiral,
  sum,
  Tensor,
  tensor,
  tensorMLP,
  toHost,
  type WebGpuBackend,
} from "../../../src/index.ts";
import { initWebGpu } from "../../helpers/webgpu.ts";

const gpu = (await initWebGpu()) as WebGpuBackend;
after(() => init("js"));

test("float32 results stay on the GPU: .data and item() name await t.read(), which gives the numbers", async () => {
  setBackend(gpu);
  const y = relu(matmul(tensor([[1, -2]]), tensor([[3], [4]])));
  assert.throws(() => y.data, /on the GPU \(webgpu backend\).*use `await t\.read\(\)`/);
  assert.throws(() => y.item(), /^Error: item: .*use `await t\.read\(\)`/);
  assert.throws(() => y.toArray(), /^Error: toArray: .*use `await t\.read\(\)`/);
  assert.match(String(y), /backend=webgpu, data on the GPU: await t\.read\(\)/);
  assert.deepEqual([...(await y.read())], [0]); // relu(1·3 − 2·4)
  // float64 stays on the host (WGSL has no float64), on the js kernels
  const d = matmul(tensor([[1, 2]], { dtype: "float64" }), tensor([[3], [4]], { dtype: "float64" }));
  assert.deepEqual([...d.data], [11]);
  assert.match(gpu.adapter, /\S/);
});

test("fitAsync trains as fit does on js; fit on webgpu names fitAsync; toHost brings weights back", async () => {
  const data = spiral({ n: 40, noise: 0.1, seed: 1 });
  const options = { loss: "softmax", optimizer: "adam", lr: 0.01, batch: 32, steps: 40 } as const;
  setBackend(jsBackend);
  const cpuNet = tensorMLP(2, [16, 3], { seed: 3 });
  const cpu = fit(cpuNet, data, options);
  setBackend(gpu);
  const gpuNet = tensorMLP(2, [16, 3], { seed: 3 });
  const seen: number[] = [];
  const r = await fitAsync(gpuNet, data, {
    ...options,
    readEvery: 20,
    onStep: (i) => void seen.push(i.step),
  });
  assert.deepEqual(seen, [20, 40]);
  const meanLast = cpu.history.slice(20).reduce((s, h) => s + h.loss, 0) / 20;
  assert.ok(Math.abs(r.loss - meanLast) < 1e-4, `${r.loss} vs ${meanLast}`);
  assert.throws(() => gpuNet.parameters()[0].data, /await t\.read\(\)/);
  await toHost(gpuNet.parameters());
  const w = gpuNet.parameters()[0].data;
  cpuNet.parameters()[0].data.forEach((v, i) => assert.ok(Math.abs(v - w[i]) < 1e-4, `weight ${i}`));
  assert.throws(() => fit(gpuNet, data, options), /use `await fitAsync\(model, data, options\)`/);
  await assert.rejects(
    fitAsync(gpuNet, data, { ...options, targetLoss: 0.1 }),
    /"targetLoss" option is not supported/,
  );
});

test("fitAsync's validation on webgpu: fit's evaluated steps, figures and best weights (js), within float32", async () => {
  const data = spiral({ n: 40, noise: 0.1, seed: 1 });
  const validation = spiral({ n: 20, noise: 0.1, seed: 5 });
  const options = {
    loss: "softmax",
    optimizer: "adam",
    lr: 0.05,
    batch: 32,
    steps: 24,
    validation,
    evalEvery: 6,
  } as const;
  setBackend(jsBackend);
  const cpuNet = tensorMLP(2, [16, 3], { seed: 3 });
  const cpu = fit(cpuNet, data, options);
  setBackend(gpu);
  const gpuNet = tensorMLP(2, [16, 3], { seed: 3 });
  const r = await fitAsync(gpuNet, data, { ...options, readEvery: 8 });
  const evaluated = (h: typeof r.history) => h.filter((i) => i.valLoss !== undefined);
  assert.deepEqual(
    evaluated(r.history).map((i) => i.step),
    evaluated(cpu.history).map((i) => i.step),
  );
  evaluated(cpu.history).forEach((c, k) => {
    const g = evaluated(r.history)[k];
    assert.ok(
      Math.abs((c.valLoss ?? 0) - (g.valLoss ?? 0)) < 1e-4,
      `valLoss at ${c.step}: ${g.valLoss} vs ${c.valLoss}`,
    );
    assert.equal(g.valAccuracy, c.valAccuracy);
  });
  assert.equal(r.bestStep, cpu.bestStep);
  // the best weights are back, on the host
  const w = gpuNet.parameters()[0].data;
  cpuNet.parameters()[0].data.forEach((v, i) => assert.ok(Math.abs(v - w[i]) < 1e-4, `weight ${i}`));
});

test("GPU buffers come from a pool keyed by size: memory stays flat over many steps", async () => {
  setBackend(gpu);
  const data = spiral({ n: 40, noise: 0.1, seed: 2 });
  const totals: number[] = [];
  await fitAsync(tensorMLP(2, [16, 3], { seed: 4 }), data, {
    loss: "softmax",
    batch: 16,
    steps: 600,
    readEvery: 100,
    onStep: () => {
      const m = gpu.memory();
      totals.push(m.live + m.pooled);
    },
  });
  // buffers freed by the collector come back later than the explicit ones, hence the margin
  assert.ok(Math.max(...totals) <= 5 * totals[0], `GPU bytes at each read: ${totals.join(", ")}`);
});

test("convolution and pooling (im2col, col2im, max and mean over windows) match the js backend, values and gradients", async () => {
  const run = async (b: typeof gpu | typeof jsBackend): Promise<number[][]> => {
    setBackend(b);
    const x = new Tensor(randn([2, 3, 7, 6], { rng: new Rng(1) }).data, [2, 3, 7, 6], { requiresGrad: true });
    const w = new Tensor(randn([4, 3, 3, 2], { rng: new Rng(2) }).data, [4, 3, 3, 2], { requiresGrad: true });
    const y = conv2d(x, w, null, { stride: [2, 1], padding: 1 });
    const z = add(sum(maxPool2d(y, 2, { stride: 1 })), sum(avgPool2d(y, [3, 2], { padding: [1, 0] })));
    z.backward();
    return Promise.all([z, x.grad as Tensor, w.grad as Tensor].map(async (t) => [...(await t.read())]));
  };
  const want = await run(jsBackend);
  const got = await run(gpu);
  want.forEach((a, k) =>
    a.forEach((v, i) =>
      assert.ok(
        Math.abs(v - got[k][i]) <= 1e-4 * Math.max(1, Math.abs(v)),
        `${k}[${i}]: ${got[k][i]} vs ${v}`,
      ),
    ),
  );
});

test("init('webgpu') without an adapter says why", async () => {
  const noAdapter = { requestAdapter: async () => null };
  await assert.rejects(
    init("webgpu", { gpu: noAdapter }),
    /WebGPU found no adapter \(no GPU, or no driver it accepts\)/,
  );
  setBackend(gpu);
  assert.ok(new Tensor(new Float32Array(1), []).size === 1);
});
