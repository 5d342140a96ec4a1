// W1: micrograd's demo. 100 moons points (noise 0.1), MLP 2-16-16-1, hinge loss + 1e-4 L2,
// full batch, SGD with lr 1.0 -> 0.1; about 65,600 scalar nodes per step.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fit, l2, linearDecay, MLP, moons, topologicalOrder, Value } from "../dist/index.js";
import { median, memoryMiB, report, settledMemoryMiB, time } from "./harness.mjs";

const data = moons({ n: 100, noise: 0.1 });

/** One step of micrograd's demo loop, written by a user with Value, MLP and backward(). */
function userStep(model, params, k) {
  const inputs = data.x.map((row) => row.map((v) => new Value(v)));
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

export async function run({ json, quick }) {
  if (!json)
    console.log("W1: micrograd demo (moons 100, MLP 2-16-16-1, hinge + L2, full batch SGD), ms per step");
  const model = new MLP(2, [16, 16, 1]);
  const params = model.parameters();
  let k = 0;
  const nodes = topologicalOrder(userStep(model, params, k++)).length;
  const valueTimes = time(() => userStep(model, params, k++), { runs: quick ? 30 : 200, warmup: 20 });
  const valueMs = median(valueTimes);

  const fitModel = new MLP(2, [16, 16, 1]);
  const steps = quick ? 100 : 1000;
  const stepTimes = [];
  let last = 0;
  fit(fitModel, data, {
    loss: "hinge",
    l2: 1e-4,
    lr: linearDecay(1, 0.1, 100),
    steps,
    onStep: () => {
      const now = performance.now();
      if (last > 0) stepTimes.push(now - last);
      last = now;
    },
  });
  const fitMs = median(stepTimes.slice(10));

  const python = pythonMicrograd(quick);
  const peer = (ms) =>
    python
      ? {
          pythonMicrogradMs: python.gc,
          ratio: python.gc / ms,
          pythonMicrogradNoGcMs: python.noGc,
          ratioNoGc: python.noGc / ms,
        }
      : {};
  report(
    {
      workload: "W1",
      impl: "Value + backward (user loop)",
      msPerStep: valueMs,
      nodesPerSecond: (nodes / valueMs) * 1000,
      nodes,
      ...peer(valueMs),
    },
    json,
  );
  report(
    {
      workload: "W1",
      impl: "fit (compiled tape)",
      msPerStep: fitMs,
      nodesPerSecond: (nodes / fitMs) * 1000,
      nodes,
      ...peer(fitMs),
    },
    json,
  );
  if (!python && !json)
    console.log("     Python micrograd: not measured (set MICROGRAD_PY to a micrograd checkout to compare)");

  if (!quick) await memoryOverSteps(json);
  report(
    { workload: "W1", impl: "peak memory (max RSS)", peakMiB: process.resourceUsage().maxRSS / 1024 },
    json,
  );
}

/** Memory over 10,000 steps of each path: it must stay flat. Sampled after a full GC. */
async function memoryOverSteps(json) {
  const model = new MLP(2, [16, 16, 1]);
  const params = model.parameters();
  const samples = [];
  let lastLoss = 0;
  for (let k = 0; k < 10_000; k++) {
    lastLoss = userStep(model, params, k).data;
    if (k === 999 || k === 4_999 || k === 9_999) samples.push(await settledMemoryMiB());
  }
  report(
    {
      workload: "W1",
      impl: "Value loop memory, 10k steps",
      mibAt1k: samples[0],
      mibAt5k: samples[1],
      mibAt10k: samples[2],
      lastLoss,
    },
    json,
  );
  const fitModel = new MLP(2, [16, 16, 1]);
  const fitSamples = [];
  fit(fitModel, data, {
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
  report(
    { workload: "W1", impl: "fit memory, 10k steps", mibAt1k: fitSamples[0], mibAt10k: fitSamples[1] },
    json,
  );
}

/**
 * ms per step of Python micrograd on the same work, if a checkout is named by MICROGRAD_PY: with
 * its cycle collector on (as it runs by default) and off.
 */
function pythonMicrograd(quick) {
  const dir = process.env.MICROGRAD_PY;
  if (!dir || !existsSync(`${dir}/micrograd/engine.py`)) return null;
  const script = new URL("./w1_micrograd.py", import.meta.url).pathname;
  const run = (...extra) => {
    const out = spawnSync("python3", [script, dir, quick ? "3" : "10", ...extra], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`bench: python micrograd failed: ${out.stderr}`);
    return Number(out.stdout.trim());
  };
  return { gc: run(), noGc: run("nogc") };
}
