// W2-W4: the tensor engine (js backend, wasm backend at 1 and 2 threads) against TensorFlow.js
// (wasm and cpu backends), jax-js (wasm) and PyTorch (Debian's python3-torch on OpenBLAS, 1 and
// 2 threads) on identical work: the same data and initial weights, handed to every
// implementation, each driven through its public tensor API with the result read back.
//   W2: micrograd's demo as tensors: moons 100, MLP 2-16-16-1, hinge + 1e-4 L2, full-batch SGD
//       1.0 -> 0.1, 100 steps.
//   W3: MLP 784-128-64-10, ReLU, softmax cross-entropy, batch 128, 200 SGD steps (lr 0.01) on
//       synthetic data.
//   W4: float32 matrix product C = A·B (a new tensor, read back), 256² and 1024², in GFLOP/s.
// The implementations run interleaved in rounds, so each meets the same machine load.
// Run on the built library (npm run build): node bench/tensor.mjs [--json] [--quick]
import { argv } from "node:process";
import { fileURLToPath } from "node:url";
import { enableRelaxedSimd, nodeWorkerFactory } from "../dist/cli/wasm-threads.js";
import {
  add,
  crossEntropy,
  init,
  jsBackend,
  linearDecay,
  matmul,
  moons,
  noGrad,
  Rng,
  randn,
  SGD,
  setBackend,
  Tensor,
  tensorL2,
  tensorLoss,
  tensorMLP,
} from "../dist/index.js";
import { jaxVersion, jaxW2, jaxW3, jaxW4, loadJax, loadTf, tfVersion, tfW2, tfW3, tfW4 } from "./peers.mjs";
import { measure, measureAsync, ourVersion, report, row } from "./rows.mjs";
import { torchRound } from "./torch.mjs";

const ROUNDS = 3;

/** The work every implementation does, as plain arrays. */
function workloads(quick) {
  const data = moons({ n: 100, noise: 0.1 });
  const w2Model = tensorMLP(2, [16, 16, 1], { init: "uniform", seed: 1337 });
  const rng = new Rng(42);
  const w3Model = tensorMLP(784, [128, 64, 10], { seed: 7 });
  const w3x = randn([128, 784], { rng });
  const w3y = Array.from({ length: 128 }, () => rng.int(10));
  const weights = (model) => model.parameters().map((p) => ({ shape: [...p.shape], data: [...p.data] }));
  return {
    w2: {
      x: data.x.flat(),
      y: data.y.map((t) => (t > 0 ? 1 : -1)),
      labels: data.y,
      weights: weights(w2Model),
      steps: quick ? 60 : 300,
      // Steps this small are over before a JIT compiler has finished with them: measure every
      // implementation once it is warm (its first steps would time the compiler).
      warmup: 300,
    },
    w3: { x: [...w3x.data], y: w3y, weights: weights(w3Model), steps: quick ? 30 : 200, warmup: 5 },
    w4: { sizes: [256, 1024], runs: { 256: quick ? 12 : 30, 1024: 12 }, warmup: 1 },
  };
}

// ---------------------------------------------------------------- ours
function oursW2(w) {
  const model = tensorMLP(2, [16, 16, 1], { init: "uniform", seed: 1337 });
  const params = model.parameters();
  const x = new Tensor(Float32Array.from(w.x), [100, 2]);
  const opt = new SGD(params, { lr: linearDecay(1, 0.1, 100) });
  return () => {
    opt.zeroGrad();
    const loss = add(tensorLoss("hinge", model.forward(x), w.labels), tensorL2(params, 1e-4));
    loss.backward();
    opt.step();
    return loss.item();
  };
}

function oursW3(w) {
  const model = tensorMLP(784, [128, 64, 10], { seed: 7 });
  const params = model.parameters();
  const x = new Tensor(Float32Array.from(w.x), [128, 784]);
  const opt = new SGD(params, { lr: 0.01 });
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), w.y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

function oursW4(n) {
  const rng = new Rng(1);
  const a = randn([n, n], { rng });
  const b = randn([n, n], { rng });
  return () => noGrad(() => matmul(a, b)).data[0];
}

/**
 * Our backends, made once and switched with setBackend (init would stop the workers of the
 * backend it replaces): js, and wasm (with relaxed-SIMD FMA where the engine has it) at 1 and 2
 * threads.
 */
export async function ourBackends() {
  const fma = enableRelaxedSimd();
  const wasm1 = await init("wasm", { fma });
  setBackend(jsBackend);
  const wasm2 = await init("wasm", { threads: 2, workerFactory: nodeWorkerFactory(), fma });
  setBackend(jsBackend);
  return [
    { impl: "micrograd-ts js", threads: 1, backend: jsBackend },
    { impl: "micrograd-ts wasm", threads: 1, backend: wasm1, fma },
    { impl: "micrograd-ts wasm", threads: 2, backend: wasm2, fma },
  ];
}

// ---------------------------------------------------------------- the run
async function safely(what, fn) {
  try {
    return await fn();
  } catch (error) {
    console.error(`bench tensor: ${what} failed: ${error.message}`);
    return null;
  }
}

/** The sessions of one workload: every implementation's step, and how to make it current. */
async function sessionsFor(name, work, ours, tf, jax) {
  const n = Number(name.slice(3));
  const pick = (w2, w3, w4) => (name === "W2" ? w2() : name === "W3" ? w3() : w4());
  const list = [];
  const version = ourVersion();
  for (const o of ours) {
    setBackend(o.backend);
    const step = pick(
      () => oursW2(work.w2),
      () => oursW3(work.w3),
      () => oursW4(n),
    );
    list.push({ impl: o.impl, threads: o.threads, version, setup: () => setBackend(o.backend), step });
  }
  setBackend(jsBackend);
  for (const backend of tf ? ["wasm", "cpu"] : []) {
    if (backend === "cpu" && n === 1024) continue; // 0.7 GFLOP/s: 12 products would take a minute
    await tf.setBackend(backend);
    const step = pick(
      () => tfW2(tf, work.w2),
      () => tfW3(tf, work.w3),
      () => tfW4(tf, n),
    );
    const setup = async () => {
      if (tf.getBackend() !== backend) await tf.setBackend(backend);
    };
    list.push({ impl: `tfjs ${backend}`, threads: 1, version: tfVersion(), setup, step });
  }
  if (jax) {
    const step = pick(
      () => jaxW2(jax, work.w2),
      () => jaxW3(jax, work.w3),
      () => jaxW4(jax, n),
    );
    list.push({ impl: "jax-js wasm", threads: 1, version: jaxVersion(), step, async: true });
  }
  return list;
}

/** Runs W2-W4 for every implementation; prints a row per workload, implementation and thread count. */
export async function run({ json = false, quick = false } = {}) {
  const work = workloads(quick);
  const names = ["W2", "W3", ...work.w4.sizes.map((n) => `W4 ${n}`)];
  const steps = { W2: work.w2.steps, W3: work.w3.steps };
  const warmups = { W2: work.w2.warmup, W3: work.w3.warmup };
  for (const n of work.w4.sizes) {
    steps[`W4 ${n}`] = work.w4.runs[n];
    warmups[`W4 ${n}`] = work.w4.warmup;
  }
  if (!json) console.log("W2-W4: tensor engine vs TensorFlow.js, jax-js and PyTorch on identical work");

  const ours = await ourBackends();
  const tf = await safely("tfjs", () => loadTf("wasm"));
  const jax = await safely("jax-js", loadJax);
  const sessions = {};
  for (const w of names) sessions[w] = await sessionsFor(w, work, ours, tf, jax);

  // per (workload, impl, threads): wall ms of every timed step, and CPU ms per step by chunk
  const results = new Map();
  const record = (w, meta, times, cpuMs) => {
    const key = `${w}|${meta.impl}|${meta.threads}`;
    const r = results.get(key) ?? { w, meta, times: [], cpu: 0 };
    r.cpu += cpuMs * times.length;
    r.times.push(...times);
    results.set(key, r);
  };
  let torchMissing = null;
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of names) {
      const chunk = Math.max(1, Math.round(steps[w] / ROUNDS));
      for (const s of sessions[w]) {
        // Warm up before every chunk, as each PyTorch round (a fresh process) does: the other
        // implementations have run in between, so caches and branch predictors start cold.
        await s.setup?.();
        const offset = round * chunk;
        const options = { runs: chunk, warmup: warmups[w] };
        const m = s.async
          ? await measureAsync((k) => s.step(k < options.warmup ? k : offset + k - options.warmup), options)
          : measure((k) => s.step(k < options.warmup ? k : offset + k - options.warmup), options);
        record(w, s, m.times, m.cpuMs);
      }
    }
    setBackend(jsBackend);
    for (const threads of [1, 2]) {
      const py = torchRound({ ...work, round, rounds: ROUNDS, threads });
      if (py.missing) {
        torchMissing = py.missing;
        continue;
      }
      const meta = { impl: "pytorch", threads, version: py.version, blas: py.blas };
      for (const w of names) record(w, meta, py[w].ms, py[w].cpuMs);
    }
  }
  for (const o of ours) o.backend.dispose?.();

  const rows = [];
  for (const { w, meta, times, cpu } of results.values()) {
    const n = w.startsWith("W4") ? Number(w.slice(3)) : 0;
    const r = row({
      workload: w,
      impl: meta.impl,
      threads: meta.threads,
      level: "public API",
      times,
      cpuMs: cpu / times.length,
      version: meta.version,
      ...(n > 0 ? { flop: 2 * n ** 3, per: "product" } : { per: "step" }),
      ...(meta.blas && { blas: meta.blas }),
    });
    rows.push(r);
    report(r, json);
  }
  if (torchMissing && !json) console.log(`         PyTorch: skipped (${torchMissing})`);
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run({ json: argv.includes("--json"), quick: argv.includes("--quick") });
}
