// The GPT and its parts: shapes, causality, gradients against finite differences (float64),
// nanoGPT's parameter names, AdamW, gradient clipping, the warm-up schedule, sampling.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AdamW,
  CausalSelfAttention,
  clipGradNorm,
  crossEntropy,
  type Data,
  GPT,
  LayerNorm,
  Rng,
  sampleTokens,
  Tensor,
  tensor,
  warmupCosine,
} from "../../src/index.ts";

const tiny = { vocabSize: 5, block: 4, layers: 2, heads: 2, embd: 4 };

test("GPT gives [batch, time, vocab] logits, and a position never sees a later one", () => {
  const gpt = new GPT(tiny, { seed: 3, dtype: "float64" });
  const a = gpt.forward(tensor([[1, 2, 3, 4]]));
  assert.deepEqual(a.shape, [1, 4, 5]);
  // changing the last token changes only the last position's logits
  const b = gpt.forward(tensor([[1, 2, 3, 0]]));
  assert.deepEqual(Array.from(a.data.subarray(0, 15)), Array.from(b.data.subarray(0, 15)));
  assert.notDeepEqual(Array.from(a.data.subarray(15)), Array.from(b.data.subarray(15)));
  assert.throws(() => gpt.forward(tensor([[1, 2, 3, 4, 0]])), /1 <= time <= 4, got \[1,5\]/);
});

test("GPT's parameters have nanoGPT's names", () => {
  const gpt = new GPT({ ...tiny, layers: 1 });
  assert.deepEqual(
    gpt.namedParameters().map(([n, p]) => `${n} ${p.shape.join("x")}`),
    [
      "transformer.wte.weight 5x4",
      "transformer.wpe.weight 4x4",
      "transformer.h.0.ln_1.weight 4",
      "transformer.h.0.ln_1.bias 4",
      "transformer.h.0.attn.c_attn.weight 4x12",
      "transformer.h.0.attn.c_attn.bias 12",
      "transformer.h.0.attn.c_proj.weight 4x4",
      "transformer.h.0.attn.c_proj.bias 4",
      "transformer.h.0.ln_2.weight 4",
      "transformer.h.0.ln_2.bias 4",
      "transformer.h.0.mlp.c_fc.weight 4x16",
      "transformer.h.0.mlp.c_fc.bias 16",
      "transformer.h.0.mlp.c_proj.weight 16x4",
      "transformer.h.0.mlp.c_proj.bias 4",
      "transformer.ln_f.weight 4",
      "transformer.ln_f.bias 4",
      "lm_head.weight 4x5",
    ],
  );
  // 2 layers, 2 heads, embd 64, 27 characters + <eos>... as in the issue: 105k parameters
  assert.equal(new GPT({ vocabSize: 27, block: 16, layers: 2, heads: 2, embd: 64 }).parameterCount(), 104576);
});

test("every GPT parameter's gradient matches central finite differences (float64)", () => {
  const gpt = new GPT(tiny, { seed: 5, dtype: "float64" });
  // bigger weights than the initial 0.02 so every path matters
  const rng = new Rng(9);
  for (const p of gpt.parameters()) for (let i = 0; i < p.size; i++) p.data[i] += 0.3 * rng.normal();
  const ids = tensor([
    [0, 3, 1, 2],
    [4, 4, 0, 1],
  ]);
  const targets = [3, 1, 2, -1, 4, 0, -1, -1];
  const lossOf = (): number => crossEntropy(gpt.forward(ids), targets, { ignoreIndex: -1 }).item();
  gpt.zeroGrad();
  crossEntropy(gpt.forward(ids), targets, { ignoreIndex: -1 }).backward();
  for (const [name, p] of gpt.namedParameters()) {
    const grad = p.grad?.data ?? new Float64Array(p.size);
    for (let i = 0; i < p.size; i += Math.max(1, Math.floor(p.size / 7))) {
      const keep = p.data[i];
      p.data[i] = keep + 1e-6;
      const plus = lossOf();
      p.data[i] = keep - 1e-6;
      const minus = lossOf();
      p.data[i] = keep;
      const numeric = (plus - minus) / 2e-6;
      assert.ok(
        Math.abs(grad[i] - numeric) <= 1e-6 * Math.max(1, Math.abs(numeric)),
        `${name}[${i}]: ${grad[i]} vs ${numeric}`,
      );
    }
  }
});

test("dropout is on while training and off in evaluation mode, in every block", () => {
  const gpt = new GPT({ ...tiny, dropout: 0.5 }, { seed: 1 });
  const x = tensor([[1, 2, 3]]);
  assert.notDeepEqual(Array.from(gpt.forward(x).data), Array.from(gpt.forward(x).data));
  gpt.eval();
  assert.deepEqual(Array.from(gpt.forward(x).data), Array.from(gpt.forward(x).data));
  assert.equal(gpt.rngs().length, 1);
});

test("attention weights are causal and sum to 1; heads must divide the width", () => {
  const attn = new CausalSelfAttention({ embd: 4, heads: 2, rng: new Rng(2) });
  attn.keepAttention = true;
  attn.forward(
    new Tensor(
      Float64Array.from({ length: 12 }, (_, i) => Math.sin(i)),
      [1, 3, 4],
    ),
  );
  const w = attn.lastAttention?.toArray() as number[][][][];
  for (const head of w[0]) {
    head.forEach((row, t) => {
      assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-6);
      row.forEach((v, s) => {
        if (s > t) assert.equal(v, 0);
      });
    });
  }
  assert.throws(() => new CausalSelfAttention({ embd: 6, heads: 4 }), /embd 6 must be a multiple of heads 4/);
});

test("LayerNorm starts as the identity scale and shift", () => {
  const ln = new LayerNorm(3);
  const y = ln.forward(tensor([[1, 2, 3]])).toArray() as number[][];
  assert.ok(Math.abs(y[0][0] + Math.sqrt(1.5)) < 1e-3 && Math.abs(y[0][1]) < 1e-6);
});

test("AdamW decays matrices apart from the gradient, never biases or norms", () => {
  const w = tensor([[1, 2]], { requiresGrad: true, dtype: "float64" });
  const b = tensor([1, 2], { requiresGrad: true, dtype: "float64" });
  w.gradData();
  b.gradData(); // zero gradients: only the decay moves anything
  new AdamW([w, b], { lr: 0.1, weightDecay: 0.5 }).step();
  assert.deepEqual(Array.from(w.data), [0.95, 1.9]);
  assert.deepEqual(Array.from(b.data), [1, 2]);
});

test("clipGradNorm scales all gradients together down to the norm", () => {
  const a = tensor([0, 0], { requiresGrad: true });
  const b = tensor([0], { requiresGrad: true });
  (a.gradData() as Data).set([3, 0]);
  (b.gradData() as Data).set([4]);
  assert.equal(clipGradNorm([a, b], 1), 5);
  assert.ok(Math.abs(Math.hypot(...(a.gradData() as Data), ...(b.gradData() as Data)) - 1) < 1e-5);
  assert.equal(clipGradNorm([a, b], 10) < 1.001, true); // under the limit: unchanged
  assert.throws(() => clipGradNorm([a], 0), /maxNorm must be > 0/);
});

test("warmupCosine rises linearly, then decays along half a cosine to its floor", () => {
  const lr = warmupCosine(1, 9, 109, 0.1);
  assert.equal(lr(0), 0.1);
  assert.equal(lr(8), 0.9);
  assert.equal(lr(9), 1);
  assert.ok(Math.abs(lr(59) - 0.55) < 1e-12);
  assert.ok(Math.abs(lr(109) - 0.1) < 1e-12);
});

test("sampling from a GPT: prompts, top-k 1 is greedy, the context slides past the block", () => {
  const gpt = new GPT(tiny, { seed: 7 });
  const greedy = sampleTokens(gpt, 0, new Rng(1), { topK: 1, prompt: [1, 2], maxTokens: 10 });
  const again = sampleTokens(gpt, 0, new Rng(99), { topK: 1, prompt: [1, 2], maxTokens: 10 });
  assert.deepEqual(greedy, again); // the rng does not matter when only one token may be drawn
  assert.ok(greedy.length <= 10);
  const long = sampleTokens(gpt, 99, new Rng(1), { prompt: [1, 2, 3, 4, 1, 2], maxTokens: 12 });
  assert.equal(long.length, 12); // no <eos> id 99 in a vocabulary of 5: runs to maxTokens past block 4
  assert.throws(() => sampleTokens(gpt, 0, new Rng(1), { topK: 0 }), /topK must be an integer >= 1/);
});

test("GPT's first weights: PyTorch's module defaults by default, nanoGPT's on request", () => {
  const config = { vocabSize: 30, block: 16, layers: 2, heads: 2, embd: 64 };
  const stats = (gpt: GPT) => {
    const out = new Map<string, { std: number; maxAbs: number }>();
    for (const [name, p] of gpt.namedParameters()) {
      const v = Array.from(p.data);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
      out.set(name, { std, maxAbs: Math.max(...v.map(Math.abs)) });
    }
    return out;
  };
  const torchLike = stats(new GPT(config));
  assert.ok(
    Math.abs((torchLike.get("transformer.wte.weight")?.std ?? 0) - 1) < 0.05,
    "token embeddings N(0, 1)",
  );
  // c_fc: 64 inputs, so U(±1/8): every weight and bias inside the bound, std bound/√3
  const fc = torchLike.get("transformer.h.0.mlp.c_fc.weight");
  assert.ok(fc !== undefined && fc.maxAbs <= 1 / 8 && Math.abs(fc.std - 1 / 8 / Math.sqrt(3)) < 0.005);
  const fcBias = torchLike.get("transformer.h.0.mlp.c_fc.bias");
  assert.ok(fcBias !== undefined && fcBias.maxAbs <= 1 / 8 && fcBias.std > 0.05, "biases drawn too");
  // c_proj of the MLP: 256 inputs, so U(±1/16)
  assert.ok((torchLike.get("transformer.h.1.mlp.c_proj.weight")?.maxAbs ?? 1) <= 1 / 16);
  assert.equal(torchLike.get("transformer.ln_f.weight")?.std, 0, "layer norms start at ones");

  const nano = stats(new GPT(config, { init: "nanogpt" }));
  assert.ok(Math.abs((nano.get("transformer.wte.weight")?.std ?? 0) - 0.02) < 0.002);
  assert.ok(
    Math.abs((nano.get("transformer.h.0.attn.c_proj.weight")?.std ?? 0) - 0.01) < 0.001,
    "0.02/√(2·2)",
  );
  assert.equal(nano.get("transformer.h.0.mlp.c_fc.bias")?.maxAbs, 0, "biases 0");
});
