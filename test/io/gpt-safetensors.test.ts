// A GPT saved as safetensors in nanoGPT's layout loads into a PyTorch GPT (scripts/torch-gpt.py,
// load_state_dict strict) that computes the same logits; and it reads back into our GPT. Needs
// Debian's python3-torch at /usr/bin/python3; fails, never skips, where it is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { GPT, Rng, tensor } from "../../src/index.ts";
import { loadGPTSafetensors, saveGPTSafetensors } from "../../src/io/gpt-safetensors.ts";

const python = "/usr/bin/python3";
const hasTorch = existsSync(python) && existsSync("/usr/lib/python3/dist-packages/torch/__init__.py");

function trainedLooking(): GPT {
  const gpt = new GPT({ vocabSize: 11, block: 8, layers: 2, heads: 2, embd: 8 }, { seed: 4 });
  // weights of a trained model's size, so every part shows in the logits
  const rng = new Rng(6);
  for (const p of gpt.parameters()) for (let i = 0; i < p.size; i++) p.data[i] += 0.3 * rng.normal();
  return gpt.eval();
}

test("PyTorch's GPT loads our safetensors (strict) and computes the same logits", () => {
  assert.ok(hasTorch, "needs Debian's python3-torch at /usr/bin/python3: apt-get install python3-torch");
  const gpt = trainedLooking();
  const file = join(mkdtempSync(join(tmpdir(), "micrograd-gpt-")), "gpt.safetensors");
  writeFileSync(file, saveGPTSafetensors(gpt));
  const ids = [
    [0, 3, 5, 7, 1, 10, 2, 2],
    [9, 8, 7, 6, 5, 4, 3, 2],
  ];
  const r = spawnSync(python, ["scripts/torch-gpt.py", file], {
    input: JSON.stringify(ids),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const torchLogits: number[][][] = JSON.parse(r.stdout);
  const ours = gpt.forward(tensor(ids)).toArray() as number[][][];
  let worst = 0;
  ours.forEach((row, b) => {
    row.forEach((pos, t) => {
      pos.forEach((v, k) => {
        worst = Math.max(worst, Math.abs(v - torchLogits[b][t][k]));
      });
    });
  });
  assert.ok(worst < 1e-4, `largest difference ${worst}`);
});

test("a GPT safetensors file reads back into the same model", () => {
  const gpt = trainedLooking();
  const { model, metadata } = loadGPTSafetensors(saveGPTSafetensors(gpt, { note: "hi" }));
  assert.equal(metadata.note, "hi");
  assert.deepEqual(model.config, gpt.config);
  for (const [[n, a], [, b]] of gpt.namedParameters().map((p, i) => [p, model.namedParameters()[i]] as const))
    assert.deepEqual(Array.from(b.data), Array.from(a.data), n);
  assert.throws(() => loadGPTSafetensors(new Uint8Array(8)), /safetensors/);
});
