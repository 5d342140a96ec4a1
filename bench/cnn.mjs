// CNN: one epoch of the default `micrograd train --dataset mnist --arch cnn` network (conv 5×5 8,
// pool, batch norm, ReLU; conv 5×5 16, pool, batch norm, ReLU; linear 256-64 with batch norm;
// linear 64-10; ±1-pixel shifts; Adam 0.005 on the 12-epoch cosine schedule, weight decay 1e-4,
// batch 64: 125 updates over the 8,000 training digits) through fit on our backends, against the
// same network, initial weights, batches and shifts in PyTorch (1 and 2 threads) and TensorFlow.js
// (wasm, one thread). Each repetition is one epoch (the first a warm-up); loss and batch accuracy
// are read back every step, as fit does. Each row's `firstLoss`/`lastLoss` (mean loss of the first
// and last timed epoch) show that the implementations train the same network.

import { MNIST_CNN_DEFAULTS } from "../dist/cli/mnist.js";
import { jsBackend, mnistCnn, Rng, setBackend } from "../dist/index.js";
import { tfCnn } from "./cnn_tfjs.mjs";
import { loadTf, tfVersion } from "./peers.mjs";
import { measure, ourVersion, report, row } from "./rows.mjs";
import { ourBackends } from "./tensor.mjs";
import { torchRun } from "./torch.mjs";
import { mnistWork, oursEpochs } from "./w5.mjs";

/** The shifts RandomShift draws for each step's batch ([dy, dx] per digit), replayed from its seed. */
function shiftsOf(w) {
  const rng = new Rng(w.d.seed + 2);
  const span = 2 * w.d.shift + 1;
  return w.batches.map((b) =>
    b.flatMap(() => [Math.floor(rng.next() * span) - w.d.shift, Math.floor(rng.next() * span) - w.d.shift]),
  );
}

/** Mean loss of each epoch after the warm-up. */
function epochLosses(losses, perEpoch) {
  const out = [];
  for (let at = perEpoch; at + perEpoch <= losses.length; at += perEpoch)
    out.push(losses.slice(at, at + perEpoch).reduce((a, b) => a + b, 0) / perEpoch);
  return { firstLoss: out[0], lastLoss: out[out.length - 1] };
}

export async function run({ json, quick }) {
  const epochs = quick ? 2 : 3; // one warm-up epoch, then the timed ones
  const w = mnistWork(epochs, MNIST_CNN_DEFAULTS);
  if (!json)
    console.log(
      `CNN: MNIST, one epoch (${w.perEpoch} steps of ${w.d.batch}) of the default train --dataset mnist --arch cnn network`,
    );
  const base = { workload: "CNN", level: "public API", per: "epoch" };
  const weights = mnistCnn(w.d)
    .model.parameters()
    .map((p) => ({ shape: [...p.shape], data: [...p.data] }));
  const shifts = shiftsOf(w);
  const rows = [];
  for (const o of await ourBackends()) {
    if (o.impl.endsWith("js")) continue; // the wasm backends only: the goal is theirs, js would only lengthen the run
    setBackend(o.backend);
    const losses = [];
    const m = oursEpochs(mnistCnn(w.d).model, w, epochs, (loss) => losses.push(loss));
    const fields = { ...base, impl: o.impl, threads: o.threads, version: ourVersion(), level: "fit" };
    rows.push(row({ ...fields, ...m, ...epochLosses(losses, w.perEpoch) }));
    o.backend.dispose?.();
  }
  setBackend(jsBackend);
  const work = { x: [...w.x.data], y: w.y, batches: w.batches, lrs: w.lrs, perEpoch: w.perEpoch, shifts };
  for (const threads of [1, 2]) {
    const py = torchRun("cnn_torch.py", { ...work, threads, weights, weightDecay: w.d.weightDecay });
    if (py.missing) {
      if (!json) console.log(`         PyTorch: skipped (${py.missing})`);
      break;
    }
    const fields = { ...base, impl: "pytorch", threads, version: py.version, times: py.ms, cpuMs: py.cpuMs };
    rows.push(row({ ...fields, ...epochLosses(py.losses, w.perEpoch), blas: py.blas }));
  }
  try {
    const tf = await loadTf("wasm");
    const epoch = tfCnn(tf, w, weights, shifts);
    const losses = [];
    const m = measure((k) => losses.push(...epoch(k)), { runs: epochs - 1, warmup: 1 });
    const note = "filter gradient by tf.conv2d (wasm has no Conv2DBackpropFilter)";
    rows.push(
      row({
        ...base,
        impl: "tfjs wasm",
        threads: 1,
        version: tfVersion(),
        ...m,
        ...epochLosses(losses, w.perEpoch),
        note,
      }),
    );
  } catch (error) {
    console.error(`bench cnn: tfjs failed: ${error.stack}`);
  }
  for (const r of rows) report(r, json);
}
