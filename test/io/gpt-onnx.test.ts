// The GPT's ONNX export runs in onnxruntime-web and gives our forward pass's logits.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as ort from "onnxruntime-web";
import { exportGPTOnnx, GPT, noGrad, Rng, Tensor } from "../../src/index.ts";

ort.env.wasm.numThreads = 1;

/** A small GPT with weights of a trained model's size, so every part shows in the logits. */
function trainedLooking(dropout = 0): GPT {
  const gpt = new GPT({ vocabSize: 11, block: 8, layers: 2, heads: 2, embd: 16, dropout }, { seed: 4 });
  const rng = new Rng(6);
  for (const p of gpt.parameters()) for (let i = 0; i < p.size; i++) p.data[i] += 0.3 * rng.normal();
  return gpt.eval();
}

async function compare(gpt: GPT, ids: number[][]): Promise<number> {
  const session = await ort.InferenceSession.create(exportGPTOnnx(gpt));
  const [b, t] = [ids.length, ids[0].length];
  const result = await session.run({
    ids: new ort.Tensor("int64", BigInt64Array.from(ids.flat(), BigInt), [b, t]),
  });
  assert.deepEqual(result.logits.dims, [b, t, gpt.config.vocabSize]);
  const theirs = result.logits.data as Float32Array;
  const ours = noGrad(() => gpt.forward(new Tensor(Float32Array.from(ids.flat()), [b, t]))).data;
  let worst = 0;
  for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(theirs[i] - ours[i]));
  return worst;
}

test("the exported GPT (2 layers, 2 heads, causal mask, GELU, layer norm) gives our logits in ONNX Runtime", async () => {
  const gpt = trainedLooking();
  const session = await ort.InferenceSession.create(exportGPTOnnx(gpt));
  assert.deepEqual(session.inputNames, ["ids"]);
  assert.deepEqual(session.outputNames, ["logits"]);
  const full = [
    [0, 3, 5, 7, 1, 10, 2, 2],
    [9, 8, 7, 6, 5, 4, 3, 2],
  ];
  assert.ok((await compare(gpt, full)) < 1e-4);
  // a shorter input slices the position embeddings and the mask to its length
  assert.ok((await compare(gpt, [[4, 1, 10]])) < 1e-4);
});

test("a position's logits do not depend on later tokens in the exported graph", async () => {
  const session = await ort.InferenceSession.create(exportGPTOnnx(trainedLooking()));
  const run = async (ids: number[]) =>
    (await session.run({ ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]) }))
      .logits.data as Float32Array;
  const a = await run([1, 2, 3, 4]);
  const b = await run([1, 2, 9, 0]);
  assert.deepEqual(a.slice(0, 22), b.slice(0, 22)); // positions 0 and 1 (11 logits each)
  assert.notDeepEqual(a.slice(22, 33), b.slice(22, 33));
});

test("dropout is left out: the export of a model with dropout is its evaluation forward pass", async () => {
  assert.ok((await compare(trainedLooking(0.5), [[1, 2, 3, 4, 5]])) < 1e-4);
});
