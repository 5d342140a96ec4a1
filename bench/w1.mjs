// W1: micrograd's demo. 100 moons points (noise 0.1), MLP 2-16-16-1, hinge loss + 1e-4 L2,
// full batch, SGD with lr 1.0 -> 0.1; about 65,600 scalar nodes per step. Also the same loop on
// wider nets (2-32-32-1, 2-64-64-1): the cost per node should stay flat as the net widens.
// Python micrograd runs the same loop where MICROGRAD_PY names a micrograd checkout.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fit, l2, linearDecay, MLP, moons, topologicalOrder, Value } from "../dist/index.js";
import { memoryMiB, settledMemoryMiB } from "./harness.mjs";
import { measure, ourVersion, report, row, stats } from "./rows.mjs";

const data = moons({ n: 100, noise: 0.1 });

/** One step of micrograd's demo loop, written by a user with Value, MLP and backward(). */
function userStep(model, params, k) {
  const inputs = data.x.map((r) => r.map((v) => new Value(v)));
  const scores = inputs.map((x) => model.forward(x)[0]);
  let loss = new Value(0);
  for (let i = 0; i < scores.length; i++) {
    loss = loss.add(new Value(1).add(new Value(data.y[i] === 1 ? -1 : 1).mul(scores[i])).relu());
  }
  const total = loss.div(scores.length).add(l2(params, 1e-4));
  model.zeroGrad();
  total.backward();
  const lr = 1.0 - (0.9 * (k % 100)) / 100;
  for (const p of params) p.data -= lr * p.grad;
  return total;
}

const base = { threads: 1, version: null, per: "step" };

/** The Value loop on an MLP 2-h-h-1: its row, with the nodes per step and ns per node. */
function valueLoop(hidden, runs, warmup) {
  const model = new MLP(2, [hidden, hidden, 1]);
  const params = model.parameters();
  const nodes = topologicalOrder(userStep(model, params, 0)).length;
  const m = measure((k) => userStep(model, params, k + 1), { runs, warmup });
  const s = stats(m.times);
  return row({
    ...base,
    workload: hidden === 16 ? "W1" : `W1 2-${hidden}-${hidden}-1`,
    impl: "micrograd-ts Value",
    level: "public API",
    version: ourVersion(),
    ...m,
    nodes,
    nsPerNode: (s.mean / nodes) * 1e6,
    cpuNsPerNode: (m.cpuMs / nodes) * 1e6, // what a loaded machine leaves comparable across widths
  });
}

export async function run({ json, quick }) {
  if (!json)
    console.log("W1: micrograd demo (moons 100, MLP 2-16-16-1, hinge + L2, full batch SGD), ms per step");
  const rows = [valueLoop(16, quick ? 30 : 300, 20)];
  // Memory before the wider nets, whose larger graphs would leave the engine's storage larger.
  const memory = quick ? [] : await memoryOverSteps();
  for (const hidden of [32, 64]) rows.push(valueLoop(hidden, quick ? 5 : 40, 3));

  const fitModel = new MLP(2, [16, 16, 1]);
  const steps = quick ? 100 : 1000;
  const times = [];
  let cpu = 0;
  let last = 0;
  let c0 = process.cpuUsage();
  fit(fitModel, data, {
    loss: "hinge",
    l2: 1e-4,
    lr: linearDecay(1, 0.1, 100),
    steps,
    onStep: ({ step }) => {
      const now = performance.now();
      const c = process.cpuUsage(c0);
      if (step > 10) {
        times.push(now - last);
        cpu += (c.user + c.system) / 1000;
      }
      last = performance.now();
      c0 = process.cpuUsage();
    },
  });
  rows.push(
    row({
      ...base,
      workload: "W1",
      impl: "micrograd-ts fit",
      level: "fit",
      version: ourVersion(),
      times,
      cpuMs: cpu / times.length,
      nodes: rows[0].nodes,
    }),
  );
  rows.push(...pythonMicrograd(quick));
  for (const r of rows) report(r, json);
  if (!rows.some((r) => r.impl.startsWith("python"))) {
    // on stderr with --json, so that stdout stays rows
    (json ? console.error : console.log)(
      "         Python micrograd: not measured (set MICROGRAD_PY to a micrograd checkout to compare)",
    );
  }
  for (const r of memory) report(r, json);
}

/** Memory over 10,000 steps of each path: it must stay flat. Sampled after a full GC. */
async function memoryOverSteps() {
  const model = new MLP(2, [16, 16, 1]);
  const params = model.parameters();
  const samples = [];
  let lastLoss = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let k = 0; k < 10_000; k++) {
    lastLoss = userStep(model, params, k).data;
    if (k === 999 || k === 4_999 || k === 9_999) samples.push(await settledMemoryMiB());
  }
  const c = process.cpuUsage(c0);
  const memoryRow = (impl, mib, ms, cpuMs, extra) =>
    row({
      ...base,
      workload: "W1",
      impl,
      level: "memory",
      version: ourVersion(),
      times: mib,
      unit: "MiB",
      cpuMs,
      stepMs: ms,
      ...extra,
    });
  const valueMs = (performance.now() - t0) / 10_000;
  const rows = [];
  rows.push(
    memoryRow("micrograd-ts Value, 10k steps", samples, valueMs, (c.user + c.system) / 1000 / 10_000, {
      mibAt1k: samples[0],
      mibAt5k: samples[1],
      mibAt10k: samples[2],
      lastLoss,
    }),
  );
  const fitModel = new MLP(2, [16, 16, 1]);
  const fitSamples = [];
  const c1 = process.cpuUsage();
  const result = fit(fitModel, data, {
    loss: "hinge",
    l2: 1e-4,
    lr: 0.1,
    steps: 10_000,
    onStep: ({ step }) => {
      if (step === 1000 || step === 10_000) {
        globalThis.gc?.();
        fitSamples.push(memoryMiB());
      }
    },
  });
  const c2 = process.cpuUsage(c1);
  rows.push(
    memoryRow("micrograd-ts fit, 10k steps", fitSamples, result.ms / 10_000, (c2.user + c2.system) / 1e7, {
      mibAt1k: fitSamples[0],
      mibAt10k: fitSamples[1],
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
  return rows;
}

/**
 * Rows of Python micrograd on the same work, if a checkout is named by MICROGRAD_PY: with its
 * cycle collector on (as it runs by default) and off (collecting between steps, untimed).
 */
function pythonMicrograd(quick) {
  const dir = process.env.MICROGRAD_PY;
  if (!dir || !existsSync(`${dir}/micrograd/engine.py`)) return [];
  const script = new URL("./w1_micrograd.py", import.meta.url).pathname;
  const steps = quick ? "3" : "20";
  const one = (impl, ...extra) => {
    const out = spawnSync("python3", [script, dir, steps, "2", ...extra], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`bench: python micrograd failed: ${out.stderr}`);
    const r = JSON.parse(out.stdout);
    return row({
      ...base,
      workload: "W1",
      impl,
      level: "public API",
      version: r.version,
      times: r.ms,
      cpuMs: r.cpuMs,
    });
  };
  return [one("python micrograd"), one("python micrograd, gc off", "nogc")];
}
