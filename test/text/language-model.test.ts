// The MLP language model: a TensorModule of Embedding and Linear layers trained through fit.
// Forward against a plain re-implementation, backward against central finite differences
// (float64), the js and wasm backends agree, training beats the counted bigram, sampling,
// save/load.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BigramModel,
  CharTokenizer,
  crossEntropy,
  fit,
  init,
  lossPerChar,
  MLPLanguageModel,
  makeWindows,
  noGrad,
  Rng,
  sampleTokens,
  Tensor,
  textWindows,
  windowTensors,
} from "../../src/index.ts";

const config = { vocabSize: 7, context: 3, embed: 4, hidden: 5 };

function randomBatch(rows: number, seed: number): { x: Int32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = Int32Array.from({ length: rows * config.context }, () => rng.int(config.vocabSize));
  const y = Int32Array.from({ length: rows }, () => rng.int(config.vocabSize));
  return { x, y };
}

/** Every parameter's numbers, one tensor after another. */
function flat(model: MLPLanguageModel): Float64Array {
  return Float64Array.from(model.parameters().flatMap((p) => Array.from(p.data)));
}

/** Fills every parameter with N(0, 0.7) draws, so the test is not dominated by the near-zero init. */
function randomize(model: MLPLanguageModel, seed: number): void {
  const rng = new Rng(seed);
  for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i] = rng.normal(0, 0.7);
}

/** The mean cross-entropy of the batch, as fit computes it. */
function batchLoss(model: MLPLanguageModel, x: Int32Array, y: Int32Array): Tensor {
  const ids = new Tensor(Float64Array.from(x), [y.length, config.context]);
  return crossEntropy(model.forward(ids), y);
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
  const model = new MLPLanguageModel(config, { seed: 3, dtype: "float64" });
  assert.equal(model.parameterCount(), 7 * 4 + 12 * 5 + 5 + 5 * 7 + 7);
  assert.deepEqual(
    model.namedParameters().map(([name, p]) => [name, p.shape]),
    [
      ["embedding.weight", [7, 4]],
      ["hidden.weight", [12, 5]],
      ["hidden.bias", [5]],
      ["output.weight", [5, 7]],
      ["output.bias", [7]],
    ],
  );
  randomize(model, 9);
  const { x, y } = randomBatch(6, 1);
  const loss = noGrad(() => batchLoss(model, x, y)).item();
  assert.ok(Math.abs(loss - referenceLoss(flat(model), x, y)) < 1e-12);
});

test("MLPLanguageModel: gradient matches central finite differences (float64)", () => {
  const model = new MLPLanguageModel(config, { seed: 4, dtype: "float64" });
  randomize(model, 10);
  // Repeated context tokens make the embedding gradient add up several rows.
  const { x, y } = randomBatch(7, 2);
  x[0] = x[1] = x[2];
  model.zeroGrad();
  batchLoss(model, x, y).backward();
  const h = 1e-5;
  let worst = 0;
  for (const p of model.parameters()) {
    const grad = p.grad?.data ?? new Float64Array(p.size);
    for (let i = 0; i < p.size; i++) {
      const keep = p.data[i];
      p.data[i] = keep + h;
      const up = noGrad(() => batchLoss(model, x, y)).item();
      p.data[i] = keep - h;
      const down = noGrad(() => batchLoss(model, x, y)).item();
      p.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grad[i]) / Math.max(1, Math.abs(numeric)));
    }
  }
  assert.ok(worst < 1e-7, `worst relative gradient error ${worst}`);
});

test("the js and wasm backends train the same model to the same numbers (float32)", async () => {
  const words = makeWindows(
    ["abc", "bcd", "cab", "dab"],
    (s) => [...s].map((c) => c.charCodeAt(0) - 96),
    0,
    3,
  );
  const data = windowTensors(words);
  const trained = async (backend: "js" | "wasm"): Promise<Float64Array> => {
    await init(backend);
    const model = new MLPLanguageModel({ ...config, vocabSize: 5 }, { seed: 2 });
    fit(model, data, { loss: "softmax", optimizer: "adam", lr: 0.01, batch: 4, steps: 20 });
    return flat(model);
  };
  try {
    const js = await trained("js");
    const wasm = await trained("wasm");
    for (let i = 0; i < js.length; i++) assert.ok(Math.abs(js[i] - wasm[i]) < 1e-4, `param ${i}`);
  } finally {
    await init("js");
  }
});

test("MLPLanguageModel: a fresh model predicts about uniformly; probabilities sum to 1", () => {
  const model = new MLPLanguageModel({ vocabSize: 28, context: 3, embed: 10, hidden: 200 });
  const rng = new Rng(5);
  const x = Float64Array.from({ length: 30 }, () => rng.int(28));
  const y = Array.from({ length: 10 }, () => rng.int(28));
  const loss = noGrad(() => crossEntropy(model.forward(new Tensor(x, [10, 3])), y)).item();
  assert.ok(Math.abs(loss - Math.log(28)) < 0.05);
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
  const data = windowTensors(windows);
  const result = fit(model, data, {
    loss: "softmax",
    optimizer: "adam",
    lr: 0.02,
    batch: 16,
    steps: 400,
    validation: data,
    evalEvery: 100,
  });
  assert.deepEqual(
    result.history.filter((s) => s.valLoss !== undefined).map((s) => s.step),
    [100, 200, 300, 400],
  );
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
  assert.deepEqual(flat(b), flat(a));
  assert.deepEqual(flat(new MLPLanguageModel(config, { seed: 5 })), flat(a));
  const wide = new MLPLanguageModel(config, { seed: 5, dtype: "float64" });
  const back = MLPLanguageModel.fromJSON(JSON.parse(JSON.stringify(wide.toJSON())));
  assert.equal(back.dtype, "float64", "a float64 model loads as float64");
  assert.deepEqual(flat(back), flat(wide));
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
  assert.throws(() => fit(a, windowTensors(w), { loss: "softmax" }), /7.*\[0, 7\)|out of range/);
  assert.throws(
    () =>
      lossPerChar(
        a,
        makeWindows(["a"], () => [1], 0, 2),
      ),
    /MLPLanguageModel: expected \[rows, 3\] token ids, got \[2,2\]/,
  );
});

test("textWindows: each target with the ids before it, <eos> before the text's start", () => {
  const w = textWindows([5, 6, 7, 8], 2, 0, 1, 4);
  assert.deepEqual([...w.x], [0, 5, 5, 6, 6, 7]);
  assert.deepEqual([...w.y], [6, 7, 8]);
  assert.equal(w.count, 3);
  assert.equal(w.chars, 3, "every target is one character");
  assert.equal(textWindows([5, 6, 7], 3, 0, 2, 2).count, 0);
  assert.throws(() => textWindows([5, 6], 2, 0, 1, 3), /targets \[1, 3\) are not within the 2 ids/);
  assert.throws(() => textWindows([5, 6], 0, 0, 0, 1), /context must be an integer >= 1, got 0/);
});
