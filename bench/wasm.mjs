// The wasm backend against the js reference backend and the peers, on the built library:
//   W4  f32 matrix product 256² and 1024² (GFLOP/s, and the fraction of the 128-bit SIMD peak)
//   W3  MLP 784-128-64-10, ReLU, softmax cross-entropy, batch 128, SGD (ms per step)
//   W2  W1's model and data as tensors (moons 100, 2-16-16-1, hinge + L2), full batch (ms per step)
//   memory of the wasm backend over 10,000 W3 steps (must stay flat)
// Peers where installed (devDependencies): TensorFlow.js wasm (XNNPACK) and jax-js (wasm).
// Peak assumption: one core does 215 GFLOP/s f32 with AVX-512 FMA (measured on this machine:
// 16 lanes · 2 FMA units · 2 flops · 3.36 GHz); 128-bit SIMD has 4 lanes, so its peak is a
// quarter: 53.75 GFLOP/s per thread with FMA (relaxed SIMD), and mul+add without FMA issue two
// instructions for the same two flops, so the same 53.75 is an upper bound for both.
import { enableRelaxedSimd, nodeWorkerFactory } from "../dist/cli/wasm-threads.js";
import { crossEntropy, fit, init, moons, Rng, SGD, Tensor, tensorMLP } from "../dist/index.js";
import { median, report } from "./harness.mjs";
import { registerTfjsGradients } from "./tfjs-gradients.mjs";

const PEAK_PER_THREAD = 215 / 4;

/** The backends compared: js (the reference) and wasm in its variants. */
function variants(fma) {
  const list = [{ impl: "js (reference)", name: "js", options: {} }];
  list.push({ impl: "wasm 1 thread mul+add", name: "wasm", options: { fma: false }, threads: 1 });
  if (fma) list.push({ impl: "wasm 1 thread fma", name: "wasm", options: { fma: true }, threads: 1 });
  list.push({
    impl: `wasm 2 threads ${fma ? "fma" : "mul+add"}`,
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

/** Median ms of `fn` (after warm-up), and the CPU ms per call (user+system, all threads). */
function timeIt(fn, runs, warmup) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms: median(times), best: Math.min(...times), cpuMs: (cpu.user + cpu.system) / 1000 / runs };
}

async function w4(json, quick, list, peers) {
  if (!json)
    console.log("W4: f32 matrix product C = A·B, GFLOP/s (median; best; fraction of 128-bit SIMD peak)");
  for (const n of [256, 1024]) {
    const rng = new Rng(4);
    const a = randomF32(n * n, rng);
    const b = randomF32(n * n, rng);
    const c = new Float32Array(n * n);
    const flop = 2 * n ** 3;
    const runs = n === 1024 ? (quick ? 5 : 15) : quick ? 20 : 100;
    for (const peer of peers) {
      const t = await peer.matmul(n, runs);
      if (t !== null) {
        const row = { workload: "W4", impl: `${peer.name} ${n}²`, gflops: flop / t.ms / 1e6 };
        if (t.cpuMs !== undefined) row.gflopsPerCpuSecond = flop / t.cpuMs / 1e6;
        report(row, json);
      }
    }
    for (const v of list) {
      const be = await init(v.name, v.options);
      const t = timeIt(() => be.matmul(a, 0, b, 0, c, 0, n, n, n, false, false, false), runs, 3);
      const gflops = flop / t.ms / 1e6;
      const row = { workload: `W4`, impl: `${v.impl} ${n}²`, gflops, bestGflops: flop / t.best / 1e6 };
      if (v.threads) {
        row.peakFraction = gflops / (PEAK_PER_THREAD * v.threads);
        row.cpuGflops = (flop / t.cpuMs / 1e6) * v.threads;
      }
      report(row, json);
    }
  }
}

/** W3's data: 128 synthetic samples of 784 features and their classes. */
function w3Data() {
  const rng = new Rng(3);
  const x = randomF32(128 * 784, rng);
  const y = Array.from({ length: 128 }, () => rng.int(10));
  return { x, y };
}

function w3Trainer() {
  const { x, y } = w3Data();
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

async function w3(json, quick, list, peers) {
  if (!json) console.log("W3: MLP 784-128-64-10, ReLU, softmax CE, batch 128, SGD lr 0.01, ms per step");
  const runs = quick ? 40 : 200;
  let jsMs = 0;
  for (const v of list) {
    await init(v.name, v.options);
    const step = w3Trainer();
    const t = timeIt(step, runs, 20);
    if (v.name === "js") jsMs = t.ms;
    report(
      {
        workload: "W3",
        impl: v.impl,
        msPerStep: t.ms,
        best: t.best,
        cpuMsPerStep: t.cpuMs,
        speedupVsJs: jsMs / t.ms,
      },
      json,
    );
  }
  for (const peer of peers) {
    const t = await peer.w3(runs);
    if (t !== null) {
      report({ workload: "W3", impl: peer.name, msPerStep: t.ms, best: t.best, cpuMsPerStep: t.cpuMs }, json);
    }
  }
}

async function w2(json, quick, list) {
  if (!json) console.log("W2: moons 100, MLP 2-16-16-1 as tensors, hinge + L2, full-batch SGD, ms per step");
  const data = moons({ n: 100, noise: 0.1 });
  const steps = quick ? 100 : 300;
  for (const v of list.filter((x) => x.threads !== 2)) {
    await init(v.name, v.options);
    const times = [];
    for (let rep = 0; rep < 5; rep++) {
      const model = tensorMLP(2, [16, 16, 1], { seed: 2, activation: "relu" });
      const r = fit(model, data, { loss: "hinge", l2: 1e-4, lr: 0.1, steps });
      times.push(r.ms / steps);
    }
    report({ workload: "W2", impl: v.impl, msPerStep: median(times) }, json);
  }
}

async function memory(json, quick) {
  const be = await init("wasm", {});
  const step = w3Trainer();
  const total = quick ? 1000 : 10_000;
  const at = {};
  for (let k = 1; k <= total; k++) {
    step();
    if (k === 100 || k === 1000 || k === total) at[k] = be.memoryBytes() / 2 ** 20;
  }
  report(
    {
      workload: "W3",
      impl: `wasm memory over ${total} steps`,
      wasmMiBAt100: at[100],
      wasmMiBAt1k: at[1000],
      [`wasmMiBAt${total}`]: at[total],
    },
    json,
  );
}

/** TensorFlow.js on its wasm backend (XNNPACK), when installed. */
async function tfjsPeer() {
  let tf;
  try {
    tf = await import("@tensorflow/tfjs-core");
    await registerTfjsGradients();
    await import("@tensorflow/tfjs-backend-wasm");
    await tf.setBackend("wasm");
    await tf.ready();
  } catch {
    return null;
  }
  return {
    name: "tfjs wasm",
    async matmul(n, runs) {
      const a = tf.randomNormal([n, n]);
      const b = tf.randomNormal([n, n]);
      // (not tf.tidy(() => ...dataSync()): tidy walks the returned array element by element)
      const t = timeIt(
        () => {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
        runs,
        3,
      );
      tf.dispose([a, b]);
      return t;
    },
    // Autograd, as a tfjs user writes it (gradients registered by ./tfjs-gradients.mjs).
    async w3(runs) {
      const { x, y } = w3Data();
      const xs = tf.tensor2d(x, [128, 784]);
      const ys = tf.oneHot(tf.tensor1d(y, "int32"), 10);
      const dims = [784, 128, 64, 10];
      const ws = [];
      for (let l = 0; l < 3; l++) {
        ws.push(tf.variable(tf.randomNormal([dims[l], dims[l + 1]], 0, Math.sqrt(2 / dims[l]))));
        ws.push(tf.variable(tf.zeros([dims[l + 1]])));
      }
      const optimizer = tf.train.sgd(0.01);
      const step = () => {
        const loss = optimizer.minimize(() => {
          let h = xs;
          for (let l = 0; l < 3; l++) {
            h = tf.add(tf.matMul(h, ws[2 * l]), ws[2 * l + 1]);
            if (l < 2) h = tf.relu(h);
          }
          return tf.losses.softmaxCrossEntropy(ys, h);
        }, true);
        loss.dataSync();
        loss.dispose();
      };
      return timeIt(step, runs, 10);
    },
  };
}

/** jax-js on its wasm device (synchronised every step), when installed. */
async function jaxPeer() {
  let jax;
  try {
    jax = await import("@jax-js/jax");
    await jax.init("wasm");
    jax.defaultDevice("wasm");
  } catch {
    return null;
  }
  const { numpy: np, nn, jit, valueAndGrad, tree } = jax;
  return {
    name: "jax-js wasm",
    async matmul(n, runs) {
      const rng = new Rng(5);
      const a = np.array(randomF32(n * n, rng)).reshape([n, n]);
      const b = np.array(randomF32(n * n, rng)).reshape([n, n]);
      for (let i = 0; i < 3; i++) await np.matmul(a.ref, b.ref).data();
      const times = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await np.matmul(a.ref, b.ref).data();
        times.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpu0);
      a.dispose();
      b.dispose();
      return { ms: median(times), best: Math.min(...times), cpuMs: (cpu.user + cpu.system) / 1000 / runs };
    },
    async w3(runs) {
      try {
        const { x, y } = w3Data();
        const onehot = new Float32Array(128 * 10);
        y.forEach((c, i) => {
          onehot[i * 10 + c] = 1;
        });
        const dims = [784, 128, 64, 10];
        const rng = new Rng(6);
        let params = [];
        for (let l = 0; l < 3; l++) {
          const w = randomF32(dims[l] * dims[l + 1], rng).map((v) => v * Math.sqrt(6 / dims[l]));
          params.push(np.array(w).reshape([dims[l], dims[l + 1]]));
          params.push(np.zeros([dims[l + 1]]));
        }
        const lossFn = (p, xs, ys) => {
          let h = xs;
          for (let l = 0; l < 3; l++) {
            h = np.matmul(h, p[2 * l]).add(p[2 * l + 1]);
            if (l < 2) h = nn.relu(h);
          }
          return nn
            .logSoftmax(h)
            .mul(ys)
            .sum()
            .mul(-1 / 128);
        };
        const step = jit((p, xs, ys) => {
          const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), xs, ys);
          return [loss, tree.map((w, g) => w.sub(g.mul(0.01)), p, grads)];
        });
        const xs = np.array(x).reshape([128, 784]);
        const ys = np.array(onehot).reshape([128, 10]);
        const one = async () => {
          const [loss, next] = step(params, xs.ref, ys.ref);
          params = next;
          await loss.data();
        };
        for (let i = 0; i < 10; i++) await one();
        const times = [];
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await one();
          times.push(performance.now() - t0);
        }
        const cpu = process.cpuUsage(cpu0);
        return { ms: median(times), best: Math.min(...times), cpuMs: (cpu.user + cpu.system) / 1000 / runs };
      } catch (e) {
        console.log(`     jax-js W3: not measured (${e.message})`);
        return null;
      }
    },
  };
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
  // Ours first, peers after: tfjs and jax-js start threads and heaps of their own that would
  // otherwise count in our CPU-time figures.
  await w4(json, quick, list, []);
  await w3(json, quick, list, []);
  await w2(json, quick, list);
  await memory(json, quick);
  const peers = [await tfjsPeer(), await jaxPeer()].filter((p) => p !== null);
  if (peers.length > 0) {
    await w4(json, quick, [], peers);
    await w3(json, quick, [], peers);
  }
  await init("js");
}
