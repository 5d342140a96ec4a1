// The MLP language model: forward against a plain re-implementation, backward against central
// finite differences (float64), training beats the counted bigram, sampling, save/load.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BigramModel,
  CharTokenizer,
  lossPerChar,
  MLPLanguageModel,
  makeWindows,
  Rng,
  sampleTokens,
  trainLanguageModel,
} from "../../src/index.ts";

const config = { vocabSize: 7, context: 3, embed: 4, hidden: 5 };

function randomBatch(rows: number, seed: number): { x: Int32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = Int32Array.from({ length: rows * config.context }, () => rng.int(config.vocabSize));
  const y = Int32Array.from({ length: rows }, () => rng.int(config.vocabSize));
  return { x, y };
}

/** The model's mean loss, written the slow and obvious way over nested arrays. */
function referenceLoss(p: Float64Array, x: Int32Array, y: Int32Array): number {
  const { vocabSize: V, context: n, embed: E, hidden: H } = config;
  const C = (t: number, e: number): number => p[t * E + e];
  const o1 = V * E;
  const W1 = (d: number, k: number): number => p[o1 + d * H + k];
  const b1 = (k: number): number => p[o1 + n * E * H + k];
  const o2 = o1 + n * E * H + H;
  const W2 = (k: number, v: number): number => p[o2 + k * V + v];
  const b2 = (v: number): number => p[o2 + H * V + v];
  let total = 0;
  for (let r = 0; r < y.length; r++) {
    const emb: number[] = [];
    for (let j = 0; j < n; j++) for (let e = 0; e < E; e++) emb.push(C(x[r * n + j], e));
    const h = Array.from({ length: H }, (_, k) =>
      Math.tanh(b1(k) + emb.reduce((s, a, d) => s + a * W1(d, k), 0)),
    );
    const logits = Array.from({ length: V }, (_, v) => b2(v) + h.reduce((s, a, k) => s + a * W2(k, v), 0));
    const lse = Math.log(logits.reduce((s, l) => s + Math.exp(l), 0));
    total += lse - logits[y[r]];
  }
  return total / y.length;
}

test("MLPLanguageModel: forward matches a plain re-implementation", () => {
  const model = new MLPLanguageModel(config, { seed: 3 });
  assert.equal(model.size, 7 * 4 + 12 * 5 + 5 + 5 * 7 + 7);
  // Give the output layer real weights, so the test is not dominated by the near-zero init.
  const rng = new Rng(9);
  for (let i = 0; i < model.size; i++) model.params[i] = rng.normal(0, 0.7);
  const { x, y } = randomBatch(6, 1);
  const loss = model.lossAndGrad(x, y, 6);
  assert.ok(Math.abs(loss - referenceLoss(model.params, x, y)) < 1e-12);
  assert.ok(Math.abs(model.totalLoss(x, y) / 6 - loss) < 1e-12);
});

test("MLPLanguageModel: gradient matches central finite differences (float64)", () => {
  const model = new MLPLanguageModel(config, { seed: 4 });
  const rng = new Rng(10);
  for (let i = 0; i < model.size; i++) model.params[i] = rng.normal(0, 0.7);
  // Repeated context tokens make the embedding scatter add up several rows.
  const { x, y } = randomBatch(7, 2); // not a multiple of 4: the padded rows must add nothing
  x[0] = x[1] = x[2];
  // A larger batch first leaves other numbers in the reused buffers' padding rows.
  const big = randomBatch(37, 3);
  model.totalLoss(big.x, big.y);
  model.lossAndGrad(x, y, 7);
  const h = 1e-5;
  let worst = 0;
  for (let i = 0; i < model.size; i++) {
    const keep = model.params[i];
    model.params[i] = keep + h;
    const up = model.totalLoss(x, y) / 7;
    model.params[i] = keep - h;
    const down = model.totalLoss(x, y) / 7;
    model.params[i] = keep;
    const numeric = (up - down) / (2 * h);
    const err = Math.abs(numeric - model.grads[i]) / Math.max(1, Math.abs(numeric));
    worst = Math.max(worst, err);
  }
  assert.ok(worst < 1e-7, `worst relative gradient error ${worst}`);
});

test("the tensor engine (library tensor ops + backward) gives the fused kernels' loss and gradient", () => {
  const fused = new MLPLanguageModel(config, { seed: 6 });
  const viaTensors = new MLPLanguageModel(config, { seed: 6, engine: "tensor" });
  const rng = new Rng(11);
  for (let i = 0; i < fused.size; i++) fused.params[i] = viaTensors.params[i] = rng.normal(0, 0.7);
  const { x, y } = randomBatch(9, 4);
  const a = fused.lossAndGrad(x, y, 9);
  const b = viaTensors.lossAndGrad(x, y, 9);
  assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  for (let i = 0; i < fused.size; i++)
    assert.ok(Math.abs(fused.grads[i] - viaTensors.grads[i]) < 1e-12, `grad ${i}`);
  assert.ok(Math.abs(fused.totalLoss(x, y) - viaTensors.totalLoss(x, y)) < 1e-12);
  // A second step reuses the gradient block: it must be overwritten, not added to.
  viaTensors.lossAndGrad(x, y, 9);
  for (let i = 0; i < fused.size; i++)
    assert.ok(Math.abs(fused.grads[i] - viaTensors.grads[i]) < 1e-12, `grad ${i}`);
  // Trained side by side, they stay together.
  const words = makeWindows(["abc", "bcd", "cab"], (s) => [...s].map((c) => c.charCodeAt(0) - 96), 0, 3);
  const m1 = new MLPLanguageModel({ ...config, vocabSize: 5 }, { seed: 2 });
  const m2 = new MLPLanguageModel({ ...config, vocabSize: 5 }, { seed: 2, engine: "tensor" });
  trainLanguageModel(m1, words, { steps: 20, batch: 4 });
  trainLanguageModel(m2, words, { steps: 20, batch: 4 });
  for (let i = 0; i < m1.size; i++) assert.ok(Math.abs(m1.params[i] - m2.params[i]) < 1e-9, `param ${i}`);
});

test("MLPLanguageModel: a fresh model predicts about uniformly; probabilities sum to 1", () => {
  const model = new MLPLanguageModel({ vocabSize: 28, context: 3, embed: 10, hidden: 200 });
  const { x, y } = randomBatch(10, 5);
  assert.ok(Math.abs(model.totalLoss(x, y) / 10 - Math.log(28)) < 0.05);
  const p = model.probabilities([0, 0, 0], 0.5);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-12);
});

const words = ["anna", "bob", "hannah", "otto", "ava", "bab", "abba", "nan", "noon", "elle"];

test("training on a tiny corpus beats the counted bigram and samples its words", () => {
  const tok = CharTokenizer.fromText(words);
  const windows = makeWindows(words, (s) => tok.encode(s), tok.eos, 3);
  assert.equal(windows.count, words.join("").length + words.length);
  assert.equal(windows.chars, windows.count);
  const model = new MLPLanguageModel(
    { vocabSize: tok.vocabSize, context: 3, embed: 6, hidden: 32 },
    { seed: 1 },
  );
  const before = lossPerChar(model, windows);
  const result = trainLanguageModel(
    model,
    windows,
    { steps: 400, batch: 16, lr: 0.02, evalEvery: 100 },
    windows,
  );
  assert.equal(result.history.length, 4);
  const after = lossPerChar(model, windows);
  const bigram = BigramModel.fit(windows, tok.vocabSize);
  const bigramLoss = bigram.totalLoss(windows) / windows.chars;
  assert.ok(
    after < bigramLoss && bigramLoss < before,
    `mlp ${after}, bigram ${bigramLoss}, untrained ${before}`,
  );
  const rng = new Rng(7);
  const samples = Array.from({ length: 20 }, () =>
    tok.decode(sampleTokens(model, tok.eos, rng, { temperature: 0.5 })),
  );
  const known = samples.filter((s) => words.includes(s)).length;
  assert.ok(known >= 10, `most low-temperature samples are training words: ${samples.join(" ")}`);
});

test("the bigram model counts pairs with add-one smoothing", () => {
  const tok = CharTokenizer.fromText(["ab"]);
  const w = makeWindows(["ab", "ab", "b"], (s) => tok.encode(s), tok.eos, 1);
  const bigram = BigramModel.fit(w, tok.vocabSize);
  const V = tok.vocabSize;
  // <eos> -> a twice and -> b once, so P(a | <eos>) = (2 + 1) / (3 + V).
  assert.equal(bigram.counts[0 * V + 1], 2);
  const one = makeWindows(["a"], (s) => tok.encode(s), tok.eos, 1);
  // a -> <eos> was never seen; row a has 2 counts (a -> b), so P(<eos> | a) = (0 + 1) / (2 + V).
  const expected = -Math.log(3 / (3 + V)) - Math.log(1 / (2 + V));
  assert.ok(Math.abs(bigram.totalLoss(one) - expected) < 1e-12);
});

test("models save and load through JSON, and the same seed gives the same model", () => {
  const a = new MLPLanguageModel(config, { seed: 5 });
  const b = MLPLanguageModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.deepEqual(b.params, a.params);
  assert.deepEqual(new MLPLanguageModel(config, { seed: 5 }).params, a.params);
  assert.throws(
    () => MLPLanguageModel.fromJSON({ config, params: [1, 2] }),
    /expected 135 parameters, got 2/,
  );
  assert.throws(
    () => new MLPLanguageModel({ ...config, hidden: 0 }),
    /hidden must be an integer >= 1, got 0/,
  );
  assert.throws(() => a.probabilities([0, 1]), /expected 3 context ids, got 2/);
  assert.throws(() => a.probabilities([0, 1, 9]), /token id 9 is not in \[0, 7\)/);
  const w = makeWindows(["ab"], (s) => [...s].map((c) => c.charCodeAt(0) - 90), 0, 3);
  assert.throws(
    () => trainLanguageModel(a, w),
    /trainLanguageModel: token id 7 is not in the model's vocabulary \[0, 7\)/,
  );
  assert.throws(
    () =>
      lossPerChar(
        a,
        makeWindows(["a"], () => [1], 0, 2),
      ),
    /lossPerChar: windows have context 2, the model 3/,
  );
});
