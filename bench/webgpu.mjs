// The webgpu backend against the WebGPU peers, in one run, in Node (Dawn, the `webgpu` package):
//   W4  f32 matrix product n×n, each product read back to JS (level "public API"), GFLOP/s
//   W3  MLP 784-128-64-10, batch 128, SGD, softmax cross-entropy, the loss read back every step;
//       with --full also the wide 784-1024-1024-10 at batch 1024 (ours and tfjs)
//   memory of our GPU buffers (held + pooled) over many W3-sized steps of a small MLP
// Peers, each on WebGPU: TensorFlow.js (@tensorflow/tfjs-backend-webgpu), jax-js (its webgpu
// device, jit), webgpu-torch. Without a GPU, set VK_ICD_FILENAMES to SwiftShader's ICD: the
// figures then only show that the bench runs (SwiftShader runs the shaders on the CPU), so the
// default sizes are small; --full runs the sizes meant for a GPU (W4 1024² to 4096², W3 wide,
// 10,000 memory steps).
import { create, globals } from "webgpu";
import {
  crossEntropy,
  fitAsync,
  init,
  matmul,
  moons,
  Rng,
  randn,
  SGD,
  Tensor,
  tensorMLP,
} from "../dist/index.js";
import { jaxVersion, jaxW3, jaxW4, tfVersion } from "./peers.mjs";
import { measureAsync, ourVersion, packageVersion, report, row } from "./rows.mjs";

/** Dawn as the peers expect to find WebGPU: `navigator.gpu` and the GPU* globals. */
function exposeWebGpu() {
  Object.assign(globalThis, globals);
  const gpu = create([]);
  Object.defineProperty(globalThis, "navigator", {
    value: { gpu, userAgent: "Node.js" },
    configurable: true,
  });
}

const ours = (adapter, workload, level, m, extra = {}) =>
  row({
    workload,
    impl: `micrograd-ts webgpu`,
    threads: 1,
    level,
    version: ourVersion(),
    adapter,
    ...m,
    ...extra,
  });

function peerRow(impl, version, workload, level, m, extra) {
  return row({ workload, impl, threads: 1, level, version, ...m, ...extra });
}

/** Runs a peer's rows; a peer that cannot start on this WebGPU is reported on stderr, and skipped. */
async function peer(name, run) {
  try {
    await run();
  } catch (e) {
    console.error(`webgpu bench: ${name} failed: ${e.message}`);
  }
}

async function w4(json, full, adapter) {
  const sizes = full ? [1024, 2048, 4096] : [128, 256];
  for (const n of sizes) {
    const flop = 2 * n ** 3;
    const runs = full ? 10 : 3;
    const extra = { flop, per: "product", adapter };
    await init("webgpu");
    const rng = new Rng(1);
    const a = randn([n, n], { rng });
    const b = randn([n, n], { rng });
    const m = await measureAsync(() => matmul(a, b).read(), { runs, warmup: 1 });
    report(ours(adapter, `W4 ${n}`, "public API", m, { flop, per: "product" }), json);
    await peer("tfjs-webgpu", async () => {
      const tf = await loadTfWebGpu();
      const step = tfW4Async(tf, n);
      const t = await measureAsync(step, { runs, warmup: 1 });
      report(peerRow("tfjs webgpu", tfVersion(), `W4 ${n}`, "public API", t, extra), json);
    });
    await peer("jax-js webgpu", async () => {
      const jax = await loadJaxWebGpu();
      const t = await measureAsync(jaxW4(jax, n), { runs, warmup: 1 });
      report(peerRow("jax-js webgpu", jaxVersion(), `W4 ${n}`, "public API", t, extra), json);
    });
    await peer("webgpu-torch", async () => {
      const torch = await loadTorch();
      // its factories take no data with a shape: ones (a product's speed does not depend on the values)
      const ta = torch.ones([n, n], "float32", "webgpu");
      const tb = torch.ones([n, n], "float32", "webgpu");
      const t = await measureAsync(() => ta.mm(tb).toArrayAsync(), { runs, warmup: 1 });
      report(
        peerRow("webgpu-torch", packageVersion("webgpu-torch"), `W4 ${n}`, "public API", t, extra),
        json,
      );
    });
  }
}

/** W3's work as plain arrays: weights, 128 samples and their classes (as the tensor suite's). */
function w3Work(sizes, batch) {
  const rng = new Rng(42);
  const model = tensorMLP(784, sizes, { seed: 7 });
  const x = randn([batch, 784], { rng });
  return {
    sizes,
    batch,
    x: [...x.data],
    y: Array.from({ length: batch }, () => rng.int(10)),
    weights: model.parameters().map((p) => ({ shape: [...p.shape], data: [...p.data] })),
  };
}

function oursW3(w) {
  const model = tensorMLP(784, w.sizes, { seed: 7 });
  const x = new Tensor(Float32Array.from(w.x), [w.batch, 784]);
  const opt = new SGD(model.parameters(), { lr: 0.01 });
  return async () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), w.y);
    loss.backward();
    opt.step();
    return (await loss.read())[0];
  };
}

async function w3(json, full, adapter) {
  const cases = [{ name: "W3", sizes: [128, 64, 10], batch: 128 }];
  if (full) cases.push({ name: "W3 wide", sizes: [1024, 1024, 10], batch: 1024 });
  const runs = full ? 50 : 4;
  for (const c of cases) {
    const w = w3Work(c.sizes, c.batch);
    const extra = { per: "step", batch: c.batch, model: `784-${c.sizes.join("-")}` };
    await init("webgpu");
    const m = await measureAsync(oursW3(w), { runs, warmup: 1 });
    report(ours(adapter, c.name, "public API", m, extra), json);
    if (c.name !== "W3") continue; // the peers' W3 is written for the 784-128-64-10 net
    await peer("tfjs-webgpu", async () => {
      const tf = await loadTfWebGpu();
      const t = await measureAsync(tfW3Async(tf, w), { runs, warmup: 1 });
      report(peerRow("tfjs webgpu", tfVersion(), c.name, "public API", t, extra), json);
    });
    await peer("jax-js webgpu", async () => {
      const jax = await loadJaxWebGpu();
      const t = await measureAsync(jaxW3(jax, w), { runs, warmup: 1 });
      report(peerRow("jax-js webgpu", jaxVersion(), c.name, "public API", t, extra), json);
    });
  }
}

/** GPU memory (buffers held by tensors + free in the pool) over many steps: it must stay flat. */
async function memory(json, full, adapter) {
  const gpu = await init("webgpu");
  const data = moons({ n: 128, noise: 0.1 });
  const total = full ? 10_000 : 1000;
  const at = {};
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fitAsync(tensorMLP(2, [16, 16, 2], { seed: 2 }), data, {
    loss: "softmax",
    batch: 32,
    steps: total,
    readEvery: 100,
    onStep: ({ step }) => {
      const mem = gpu.memory();
      if (step === 100 || step === 1000 || step === total) at[step] = (mem.live + mem.pooled) / 2 ** 20;
    },
  });
  const c = process.cpuUsage(c0);
  const m = { times: Object.values(at), cpuMs: (c.user + c.system) / 1000 / total };
  const extra = { unit: "MiB", stepMs: (performance.now() - t0) / total, gpuMiBAt100: at[100] };
  extra.gpuMiBAt1k = at[1000];
  extra[`gpuMiBAt${total}`] = at[total];
  report(
    row({
      workload: "memory",
      impl: `micrograd-ts webgpu, ${total} fitAsync steps`,
      threads: 1,
      level: "memory",
      version: ourVersion(),
      adapter,
      ...m,
      ...extra,
    }),
    json,
  );
}

let tfPromise = null;
function loadTfWebGpu() {
  tfPromise ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-webgpu");
    const { registerTfjsGradients } = await import("./tfjs-gradients.mjs");
    await registerTfjsGradients();
    await tf.setBackend("webgpu");
    await tf.ready();
    return tf;
  })();
  return tfPromise;
}

/** tfW4 with an asynchronous read, as WebGPU needs (dataSync blocks the GPU backend). */
function tfW4Async(tf, n) {
  const rng = new Rng(1);
  const a = tf.tensor(randn([n, n], { rng }).data, [n, n]);
  const b = tf.tensor(randn([n, n], { rng }).data, [n, n]);
  return async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
}

/** The tensor suite's tfjs W3 step, with the loss read asynchronously (WebGPU has no dataSync in Node). */
function tfW3Async(tf, w) {
  const [w1, b1, w2, b2, w3, b3] = w.weights.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  const x = tf.tensor(w.x, [w.batch, 784]);
  const y = tf.oneHot(tf.tensor1d(w.y, "int32"), 10);
  const opt = tf.train.sgd(0.01);
  const forward = () => {
    const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
    return tf.add(tf.matMul(h2, w3), b3);
  };
  return async () => {
    const cost = tf.tidy(() => opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward()), true));
    const v = (await cost.data())[0];
    cost.dispose();
    return v;
  };
}

let jaxPromise = null;
function loadJaxWebGpu() {
  jaxPromise ??= (async () => {
    const jax = await import("@jax-js/jax");
    await jax.init("webgpu");
    jax.defaultDevice("webgpu");
    return jax;
  })();
  return jaxPromise;
}

let torchPromise = null;
function loadTorch() {
  torchPromise ??= (async () => {
    const torch = await import("webgpu-torch");
    if (!(await torch.initWebGPUAsync())) throw new Error("webgpu-torch found no WebGPU device");
    return torch;
  })();
  return torchPromise;
}

/** Runs W4, W3 and the memory check on WebGPU; `--full` for the sizes meant for a GPU. */
export async function run({ json = false, full = false } = {}) {
  exposeWebGpu();
  const gpu = await init("webgpu");
  const adapter = gpu.adapter;
  if (!json) console.log(`webgpu bench on ${adapter}${full ? "" : " (small sizes; --full for a GPU's)"}`);
  await w4(json, full, adapter);
  await w3(json, full, adapter);
  await memory(json, full, adapter);
  await init("js");
}
