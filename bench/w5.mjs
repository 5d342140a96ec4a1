// W5, MNIST: one epoch of the default `micrograd train --dataset mnist` model (MLP 784-128-10,
// ReLU, dropout 0.2, softmax cross-entropy, Adam lr 0.002 on the 20-epoch cosine schedule,
// weight decay 1e-4, batch 128: 62 updates over the 8,000 training digits, standardised)
// through fit on our backends, against the same model, initial weights and batches in PyTorch
// (1 and 2 threads) and TensorFlow.js (wasm, one thread). Each repetition is one epoch; loss and
// batch accuracy are read back every step, as fit does.
import { loadMnist, MNIST_DEFAULTS } from "../dist/cli/mnist.js";
import { splitMnist } from "../dist/cli/mnist-data.js";
import { batchOrder, cosine, fit, Rng, setBackend, tensorMLP } from "../dist/index.js";
import { loadTf, tfVersion, tfW5 } from "./peers.mjs";
import { measure, ourVersion, report, row } from "./rows.mjs";
import { ourBackends } from "./tensor.mjs";
import { torchRun } from "./torch.mjs";

const PIXELS = 784;

/**
 * The training digits as `train --dataset mnist` prepares them for options `d` (its defaults, or
 * the CNN's), and the batches and learning rates of `epochs` epochs.
 */
export function mnistWork(epochs, d = MNIST_DEFAULTS) {
  const { trainX: x, trainY: y } = splitMnist(loadMnist(), { ...d, val: 0 });
  const perEpoch = Math.floor(d.train / d.batch);
  const next = batchOrder(d.train, d.batch, new Rng(d.seed)); // fit's batches for this seed
  const batches = Array.from({ length: epochs * perEpoch }, () => next());
  const schedule = cosine(d.lr, d.epochs * perEpoch);
  const lrs = batches.map((_, k) => schedule(k));
  return { d, x, y, perEpoch, batches, lrs };
}

/** `epochs` epochs of `model` through fit as train does: per-epoch wall ms (the first is a warm-up) and CPU ms per epoch. */
export function oursEpochs(model, w, epochs, onLoss) {
  const { d } = w;
  const times = [];
  let cpu = 0;
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  fit(
    model,
    { x: w.x, y: w.y },
    {
      loss: "softmax",
      optimizer: "adam",
      lr: cosine(d.lr, d.epochs * w.perEpoch),
      weightDecay: d.weightDecay,
      batch: d.batch,
      steps: epochs * w.perEpoch,
      seed: d.seed,
      onStep: ({ step, loss }) => {
        onLoss?.(loss);
        if (step % w.perEpoch !== 0) return;
        const c = process.cpuUsage(c0);
        if (step > w.perEpoch) {
          times.push(performance.now() - t0); // the first epoch is the warm-up
          cpu += (c.user + c.system) / 1000;
        }
        t0 = performance.now();
        c0 = process.cpuUsage();
      },
    },
  );
  return { times, cpuMs: cpu / times.length };
}

export async function run({ json, quick }) {
  const epochs = quick ? 2 : 4; // one warm-up epoch, then the timed ones
  const w = mnistWork(epochs);
  if (!json)
    console.log(
      `W5: MNIST, one epoch (${w.perEpoch} steps of ${w.d.batch}) of the default train --dataset mnist model`,
    );
  const base = { workload: "W5", level: "public API", per: "epoch" };
  const model = tensorMLP(PIXELS, [...w.d.hidden, 10], { dropout: w.d.dropout, seed: w.d.seed });
  const weights = model.parameters().map((p) => ({ shape: [...p.shape], data: [...p.data] }));
  const rows = [];
  for (const o of await ourBackends()) {
    setBackend(o.backend);
    const mlp = tensorMLP(PIXELS, [...w.d.hidden, 10], { dropout: w.d.dropout, seed: w.d.seed });
    const m = oursEpochs(mlp, w, epochs);
    rows.push(row({ ...base, impl: o.impl, threads: o.threads, version: ourVersion(), level: "fit", ...m }));
    o.backend.dispose?.();
  }
  setBackend((await import("../dist/index.js")).jsBackend);
  const batchData = { x: [...w.x.data], y: w.y, batches: w.batches, lrs: w.lrs, perEpoch: w.perEpoch };
  for (const threads of [1, 2]) {
    const py = torchRun("w5_torch.py", {
      threads,
      weights,
      ...batchData,
      dropout: w.d.dropout,
      weightDecay: w.d.weightDecay,
    });
    if (py.missing) {
      if (!json) console.log(`         PyTorch: skipped (${py.missing})`);
      break;
    }
    rows.push(
      row({
        ...base,
        impl: "pytorch",
        threads,
        version: py.version,
        times: py.ms,
        cpuMs: py.cpuMs,
        blas: py.blas,
      }),
    );
  }
  try {
    const tf = await loadTf("wasm");
    const epoch = tfW5(tf, w, weights);
    const m = measure((k) => epoch(k), { runs: epochs - 1, warmup: 1 });
    rows.push(row({ ...base, impl: "tfjs wasm", threads: 1, version: tfVersion(), ...m }));
  } catch (error) {
    console.error(`bench w5: tfjs failed: ${error.stack}`);
  }
  for (const r of rows) report(r, json);
}
