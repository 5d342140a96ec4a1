// W2-W4: the tensor engine against TensorFlow.js (cpu and wasm backends), jax-js (wasm device,
// synchronised every step) and PyTorch (Debian's python3-torch, one thread) on identical work:
// the same data and the same initial weights, handed to every implementation.
//   W2: micrograd's demo as tensors: moons 100, MLP 2-16-16-1, hinge + 1e-4 L2, full-batch SGD
//       1.0 -> 0.1, 100 steps.
//   W3: MLP 784-128-64-10, ReLU, softmax cross-entropy, batch 128, 200 SGD steps (lr 0.01) on
//       synthetic data.
//   W4: float32 matrix product, 256x256 and 1024x1024, in GFLOP/s.
// Run on the built library (npm run build): node bench/tensor.mjs [--json] [--quick]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { argv } from "node:process";
import { fileURLToPath } from "node:url";
import {
  add,
  crossEntropy,
  linearDecay,
  matmul,
  moons,
  noGrad,
  Rng,
  randn,
  SGD,
  Tensor,
  tensorL2,
  tensorLoss,
  tensorMLP,
} from "../dist/index.js";
import { median, report } from "./harness.mjs";
import { registerTfjsGradients } from "./tfjs-gradients.mjs";

const PYTHON = "/usr/bin/python3";
const OURS = "micrograd-ts (js backend)";

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
      steps: 100,
      // Steps this small are over before a JIT compiler has finished with them: measure every
      // implementation once it is warm (its first steps would time the compiler).
      warmup: 300,
    },
    w3: { x: [...w3x.data], y: w3y, weights: weights(w3Model), steps: quick ? 30 : 200, warmup: 5 },
    w4: { sizes: [256, 1024], runs: { 256: quick ? 5 : 20, 1024: quick ? 1 : 3 } },
  };
}

/**
 * A workload prepared for one implementation: `step(k)` does step k (and waits for its result).
 * Sessions are made once and stepped in rounds, so that every implementation meets the same
 * machine load (this machine is shared: rounds interleave the implementations in time).
 */
function session(step, warmup) {
  return { step, warmup };
}

const lrW2 = (k) => 1.0 - (0.9 * Math.min(k, 100)) / 100;

// ---------------------------------------------------------------- ours
async function oursW2(w) {
  const model = tensorMLP(2, [16, 16, 1], { init: "uniform", seed: 1337 });
  const params = model.parameters();
  const x = new Tensor(Float32Array.from(w.x), [100, 2]);
  const opt = new SGD(params, { lr: linearDecay(1, 0.1, 100) });
  return session(() => {
    opt.zeroGrad();
    const loss = add(tensorLoss("hinge", model.forward(x), w.labels), tensorL2(params, 1e-4));
    loss.backward();
    opt.step();
    return loss.item();
  }, w.warmup);
}

async function oursW3(w) {
  const model = tensorMLP(784, [128, 64, 10], { seed: 7 });
  const params = model.parameters();
  const x = new Tensor(Float32Array.from(w.x), [128, 784]);
  const opt = new SGD(params, { lr: 0.01 });
  return session(() => {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x), w.y);
    loss.backward();
    opt.step();
    return loss.item();
  }, w.warmup);
}

async function oursW4(n) {
  const rng = new Rng(1);
  const a = randn([n, n], { rng });
  const b = randn([n, n], { rng });
  return session(() => noGrad(() => matmul(a, b)), 1);
}

// ---------------------------------------------------------------- TensorFlow.js
async function loadTf(backend) {
  const tf = await import("@tensorflow/tfjs-core");
  await registerTfjsGradients();
  await import("@tensorflow/tfjs-backend-cpu");
  await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend(backend);
  await tf.ready();
  return tf;
}

async function tfW2(tf, w) {
  const vars = w.weights.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  const x = tf.tensor(w.x, [100, 2]);
  const y = tf.tensor(w.y, [100, 1]);
  const opt = tf.train.sgd(1.0);
  const [w1, b1, w2, b2, w3, b3] = vars;
  return session((k) => {
    opt.setLearningRate(lrW2(k));
    const cost = opt.minimize(
      () => {
        const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
        const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
        const s = tf.add(tf.matMul(h2, w3), b3);
        const data = tf.mean(tf.relu(tf.sub(1, tf.mul(y, s))));
        return tf.add(data, tf.mul(1e-4, tf.addN(vars.map((v) => tf.sum(tf.square(v))))));
      },
      true,
      vars,
    );
    cost.dataSync();
    cost.dispose();
  }, w.warmup);
}

async function tfW3(tf, w) {
  const vars = w.weights.map((p) => tf.variable(tf.tensor(p.data, p.shape)));
  const x = tf.tensor(w.x, [128, 784]);
  const y = tf.oneHot(tf.tensor1d(w.y, "int32"), 10);
  const opt = tf.train.sgd(0.01);
  const [w1, b1, w2, b2, w3, b3] = vars;
  return session(() => {
    const cost = opt.minimize(
      () => {
        const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
        const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
        const logits = tf.add(tf.matMul(h2, w3), b3);
        return tf.losses.softmaxCrossEntropy(y, logits);
      },
      true,
      vars,
    );
    cost.dataSync();
    cost.dispose();
  }, w.warmup);
}

async function tfW4(tf, n) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  return session(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, 1);
}

// ---------------------------------------------------------------- jax-js
async function loadJax() {
  const jax = await import("@jax-js/jax");
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  return jax;
}

function jaxParams(jax, weights) {
  const np = jax.numpy;
  const [w1, b1, w2, b2, w3, b3] = weights.map((p) => np.array(Float32Array.from(p.data)).reshape(p.shape));
  return { w1, b1, w2, b2, w3, b3 };
}

function jaxForward(jax, p, x) {
  const { numpy: np, nn } = jax;
  const h1 = nn.relu(np.matmul(x, p.w1.ref).add(p.b1.ref));
  const h2 = nn.relu(np.matmul(h1, p.w2.ref).add(p.b2.ref));
  return np.matmul(h2, p.w3.ref).add(p.b3.ref);
}

async function jaxTrain(jax, w, lossFn, xShape, lr) {
  const { numpy: np, tree } = jax;
  let params = jaxParams(jax, w.weights);
  const x = np.array(Float32Array.from(w.x)).reshape(xShape);
  const step = jax.jit(jax.valueAndGrad(lossFn));
  return session(async (k) => {
    const [loss, grads] = step(tree.ref(params), x.ref);
    const rate = lr(k);
    params = tree.map((p, g) => p.sub(g.mul(rate)), params, grads);
    await jax.blockUntilReady(params);
    await loss.data();
  }, w.warmup);
}

async function jaxW2(jax, w) {
  const { numpy: np, nn } = jax;
  const y = np.array(Float32Array.from(w.y)).reshape([100, 1]);
  const lossFn = (p, x) => {
    const s = jaxForward(jax, p, x);
    const data = nn.relu(s.mul(y.ref).mul(-1).add(1)).mean();
    const reg = [p.w1, p.b1, p.w2, p.b2, p.w3, p.b3]
      .map((v) => np.square(v).sum())
      .reduce((a, b) => a.add(b));
    return data.add(reg.mul(1e-4));
  };
  return jaxTrain(jax, w, lossFn, [100, 2], lrW2);
}

async function jaxW3(jax, w) {
  const { numpy: np, nn } = jax;
  const onehot = np
    .array(Float32Array.from(w.y.flatMap((t) => Array.from({ length: 10 }, (_, c) => (c === t ? 1 : 0)))))
    .reshape([128, 10]);
  const lossFn = (p, x) => {
    const logits = jaxForward(jax, p, x);
    for (const v of [p.w1, p.b1, p.w2, p.b2, p.w3, p.b3]) v.dispose();
    return nn
      .logSoftmax(logits, -1)
      .mul(onehot.ref)
      .sum()
      .mul(-1 / 128);
  };
  return jaxTrain(jax, w, lossFn, [128, 784], () => 0.01);
}

async function jaxW4(jax, n) {
  const { numpy: np } = jax;
  const rng = new Rng(1);
  const a = np.array(randn([n, n], { rng }).data).reshape([n, n]);
  const b = np.array(randn([n, n], { rng }).data).reshape([n, n]);
  return session(async () => {
    const c = np.matmul(a.ref, b.ref);
    await c.data();
  }, 1);
}

// ---------------------------------------------------------------- PyTorch
/** One round of every workload in PyTorch (a fresh process): per-step times in ms, or why not. */
function torchRound(work, round) {
  if (!existsSync(PYTHON)) return { missing: `${PYTHON} not found` };
  const script = fileURLToPath(new URL("./tensor_torch.py", import.meta.url));
  const out = spawnSync(PYTHON, [script], {
    input: JSON.stringify({ ...work, round }),
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (out.status !== 0) {
    const why = out.stderr.includes("No module named 'torch'")
      ? "python3-torch is not installed"
      : out.stderr.trim().split("\n").pop();
    return { missing: why };
  }
  return JSON.parse(out.stdout);
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

const ROUNDS = 3;

/** Runs W2-W4 for every implementation; prints a row per workload and implementation. */
export async function run({ json = false, quick = false } = {}) {
  const work = workloads(quick);
  const names = ["W2", "W3", ...work.w4.sizes.map((n) => `W4 ${n}`)];
  const steps = { W2: work.w2.steps, W3: work.w3.steps };
  for (const n of work.w4.sizes) steps[`W4 ${n}`] = work.w4.runs[n];
  if (!json)
    console.log("W2-W4: tensor engine vs TensorFlow.js, jax-js and PyTorch on identical work (medians)");

  // sessions[workload][impl]
  const sessions = Object.fromEntries(names.map((w) => [w, {}]));
  const add = async (impl, make) => {
    for (const w of names) {
      const s = await safely(`${impl} ${w}`, () => make(w));
      if (s) sessions[w][impl] = s;
    }
  };
  await add(OURS, (w) =>
    w === "W2" ? oursW2(work.w2) : w === "W3" ? oursW3(work.w3) : oursW4(Number(w.slice(3))),
  );
  for (const backend of ["wasm", "cpu"]) {
    const tf = await safely(`tfjs ${backend}`, () => loadTf(backend));
    if (!tf) continue;
    // tfjs has one active backend at a time: its sessions switch to theirs before each chunk
    await add(`tfjs ${backend}`, async (w) => {
      await tf.setBackend(backend);
      const s =
        w === "W2"
          ? await tfW2(tf, work.w2)
          : w === "W3"
            ? await tfW3(tf, work.w3)
            : await tfW4(tf, Number(w.slice(3)));
      return session(async (k) => {
        if (tf.getBackend() !== backend) await tf.setBackend(backend);
        return s.step(k);
      }, s.warmup);
    });
  }
  const jax = await safely("jax-js", loadJax);
  if (jax) {
    await add("jax-js wasm", (w) =>
      w === "W2" ? jaxW2(jax, work.w2) : w === "W3" ? jaxW3(jax, work.w3) : jaxW4(jax, Number(w.slice(3))),
    );
  }

  // per-step wall times, and CPU time of the process (all its threads), by workload and impl
  const times = Object.fromEntries(names.map((w) => [w, {}]));
  const cpu = Object.fromEntries(names.map((w) => [w, {}]));
  const record = (w, impl, ms, cpuMs) => {
    times[w][impl] = [...(times[w][impl] ?? []), ...ms];
    const total = cpu[w][impl] ?? { ms: 0, steps: 0 };
    cpu[w][impl] = { ms: total.ms + cpuMs, steps: total.steps + ms.length };
  };
  let torchMissing = null;
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of names) {
      const chunk = Math.max(1, Math.round(steps[w] / ROUNDS));
      for (const [impl, s] of Object.entries(sessions[w])) {
        // Warm up before every chunk, as each PyTorch round (a fresh process) does: the other
        // implementations have run in between, so caches and branch predictors start cold.
        for (let k = 0; k < s.warmup; k++) await s.step(k);
        const list = [];
        const c0 = process.cpuUsage();
        for (let k = 0; k < chunk; k++) {
          const step = round * chunk + k;
          const t0 = performance.now();
          await s.step(step);
          list.push(performance.now() - t0);
        }
        const c = process.cpuUsage(c0);
        record(w, impl, list, (c.user + c.system) / 1000);
      }
    }
    const py = torchRound(work, round);
    if (py.missing) torchMissing = py.missing;
    else for (const w of names) record(w, "pytorch cpu", py[w].ms, py[w].cpuMs);
  }
  if (torchMissing && !json) console.log(`     PyTorch: skipped (${torchMissing})`);

  const rows = [];
  for (const w of names) {
    const ms = Object.fromEntries(Object.entries(times[w]).map(([impl, list]) => [impl, median(list)]));
    const ours = ms[OURS];
    const isMatmul = w.startsWith("W4");
    const n = isMatmul ? Number(w.slice(3)) : 0;
    const gflops = (t) => (2 * n ** 3) / (t * 1e6);
    for (const [impl, t] of Object.entries(ms)) {
      const row = { workload: w, impl };
      if (isMatmul) row.gflops = gflops(t);
      else row.msPerStep = t;
      const c = cpu[w][impl];
      if (c) row.cpuMsPerStep = c.ms / c.steps;
      if (impl === OURS) {
        // each peer's figure, and how many times faster we are (their time / our time)
        for (const [peer, pt] of Object.entries(ms)) {
          if (peer === OURS) continue;
          const key = camel(peer);
          row[isMatmul ? `${key}Gflops` : `${key}Ms`] = isMatmul ? gflops(pt) : pt;
          row[`vs${key[0].toUpperCase()}${key.slice(1)}`] = pt / t;
        }
      } else if (ours !== undefined) row.ratioToOurs = t / ours;
      rows.push(row);
      report(row, json);
    }
  }
  if (torchMissing) report({ workload: "W2-W4", impl: "pytorch cpu", skipped: torchMissing }, json);
  return rows;
}

/** "tfjs wasm" -> "tfjsWasm". */
function camel(name) {
  return name.replace(/[^a-z0-9]+(.)/gi, (_, c) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await run({ json: argv.includes("--json"), quick: argv.includes("--quick") });
}
