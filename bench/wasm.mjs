// The wasm backend's own figures, on the built library (its comparison with the peers at the
// public API is in the tensor suite):
//   W4  f32 matrix product 256² and 1024² as a raw kernel call into a preallocated output
//       (level "raw kernel": no peer row is comparable), GFLOP/s and the fraction of the
//       128-bit SIMD peak
//   W3  MLP 784-128-64-10, ReLU, softmax cross-entropy, batch 128, SGD: mul+add against FMA
//   W2  W1's model and data as tensors (moons 100, 2-16-16-1, hinge + L2) through fit
//   memory of the wasm backend over 10,000 W3 steps (must stay flat)
// Peak assumption: one core does 215 GFLOP/s f32 with AVX-512 FMA (measured on this machine:
// 16 lanes · 2 FMA units · 2 flops · 3.36 GHz); 128-bit SIMD has 4 lanes, so its peak is a
// quarter: 53.75 GFLOP/s per thread with FMA (relaxed SIMD), and mul+add without FMA issue two
// instructions for the same two flops, so the same 53.75 is an upper bound for both.
import { enableRelaxedSimd, nodeWorkerFactory } from "../dist/cli/wasm-threads.js";
import { crossEntropy, fit, init, moons, Rng, SGD, Tensor, tensorMLP } from "../dist/index.js";
import { measure, ourVersion, report, row, stats } from "./rows.mjs";

const PEAK_PER_THREAD = 215 / 4;

/** The backends compared: js (the reference) and wasm in its variants. */
function variants(fma) {
  const list = [{ impl: "micrograd-ts js", name: "js", options: {}, threads: 1 }];
  list.push({ impl: "micrograd-ts wasm mul+add", name: "wasm", options: { fma: false }, threads: 1 });
  if (fma) list.push({ impl: "micrograd-ts wasm fma", name: "wasm", options: { fma: true }, threads: 1 });
  list.push({
    impl: `micrograd-ts wasm ${fma ? "fma" : "mul+add"}`,
    name: "wasm",
    options: { threads: 2, workerFactory: nodeWorkerFactory(), fma },
    threads: 2,
  });
  return list;
}

function randomF32(n, rng) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

const ours = (v, workload, level, m, extra = {}) =>
  row({ workload, impl: v.impl, threads: v.threads, level, version: ourVersion(), ...m, ...extra });

async function w4(json, quick, list) {
  for (const n of [256, 1024]) {
    const rng = new Rng(4);
    const a = randomF32(n * n, rng);
    const b = randomF32(n * n, rng);
    const c = new Float32Array(n * n);
    const flop = 2 * n ** 3;
    const runs = n === 1024 ? (quick ? 10 : 15) : quick ? 20 : 100;
    for (const v of list) {
      if (v.name === "js" && n === 1024 && quick) continue;
      const be = await init(v.name, v.options);
      const m = measure(() => be.matmul(a, 0, b, 0, c, 0, n, n, n, false, false, false), { runs, warmup: 3 });
      const gflops = flop / stats(m.times).median / 1e6;
      const extra = { flop, per: "product" };
      if (v.name === "wasm") extra.peakFraction = gflops / (PEAK_PER_THREAD * v.threads);
      report(ours(v, `W4 ${n}`, "raw kernel", m, extra), json);
    }
  }
}

/** W3's data: 128 synthetic samples of 784 features and their classes. */
function w3Trainer() {
  const rng = new Rng(3);
  const x = randomF32(128 * 784, rng);
  const y = Array.from({ length: 128 }, () => rng.int(10));
  const model = tensorMLP(784, [128, 64, 10], { seed: 3 });
  const optimizer = new SGD(model.parameters(), { lr: 0.01 });
  const xs = new Tensor(x, [128, 784]);
  return () => {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(xs), y);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
}

async function w3(json, quick, list) {
  for (const v of list) {
    await init(v.name, v.options);
    const m = measure(w3Trainer(), { runs: quick ? 40 : 200, warmup: 20 });
    report(ours(v, "W3", "public API", m, { per: "step" }), json);
  }
}

async function w2(json, quick, list) {
  const data = moons({ n: 100, noise: 0.1 });
  const steps = quick ? 100 : 300;
  for (const v of list.filter((x) => x.threads !== 2)) {
    await init(v.name, v.options);
    const times = [];
    const c0 = process.cpuUsage();
    for (let rep = 0; rep < 5; rep++) {
      const model = tensorMLP(2, [16, 16, 1], { seed: 2, activation: "relu" });
      const r = fit(model, data, { loss: "hinge", l2: 1e-4, lr: 0.1, steps });
      times.push(r.ms / steps);
    }
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000 / (5 * steps);
    report(ours(v, "W2", "fit", { times, cpuMs }, { per: `step (mean of ${steps})` }), json);
  }
}

async function memory(json, quick) {
  const be = await init("wasm", {});
  const step = w3Trainer();
  const total = quick ? 1000 : 10_000;
  const at = {};
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let k = 1; k <= total; k++) {
    step();
    if (k === 100 || k === 1000 || k === total) at[k] = be.memoryBytes() / 2 ** 20;
  }
  const c = process.cpuUsage(c0);
  const v = { impl: `micrograd-ts wasm, ${total} W3 steps`, threads: 1 };
  const m = { times: Object.values(at), cpuMs: (c.user + c.system) / 1000 / total };
  const extra = { unit: "MiB", stepMs: (performance.now() - t0) / total, wasmMiBAt100: at[100] };
  extra.wasmMiBAt1k = at[1000];
  extra[`wasmMiBAt${total}`] = at[total];
  report(ours(v, "W3", "memory", m, extra), json);
}

/** Runs W4, W3, W2 and the memory check; `quick` shortens every run. */
export async function run({ json = false, quick = false } = {}) {
  const fma = enableRelaxedSimd();
  if (!json) {
    console.log(
      `wasm backend: relaxed-SIMD FMA ${fma ? "on" : "unavailable"}; peak assumed ${PEAK_PER_THREAD} GFLOP/s per thread (215 AVX-512 / 4)`,
    );
  }
  const list = variants(fma);
  await w4(json, quick, list);
  await w3(json, quick, list);
  await w2(json, quick, list);
  await memory(json, quick);
  await init("js");
}
