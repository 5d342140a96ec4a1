// Issue 18, command level: model files that are wrong are refused where they are wrong (repeated
// names, repeated safetensors tensors, non-finite weights), and a checkpoint at step 130,000 resumes.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { blobs, type FitCheckpoint, fit, MLP } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-robust-files-"));
const csv = join(dir, "d.csv");
writeFileSync(csv, "a,b,label\n1,2,x\n2,3,y\n3,4,x\n5,6,y\n");
const model = join(dir, "m.json");

test("a model whose features or labels repeat a name is refused, naming the repeat", async () => {
  assert.equal((await runCli(["train", "--data", csv, "--steps", "1", "--save", model])).code, 0);
  const saved = JSON.parse(readFileSync(model, "utf8"));
  for (const [key, names, message] of [
    ["features", ["a", "a"], /"features\[1\]" repeats "a" \(also at \[0\]\)/],
    ["labels", ["x", "x"], /"labels\[1\]" repeats "x" \(also at \[0\]\)/],
  ] as const) {
    const path = join(dir, `repeat-${key}.json`);
    writeFileSync(path, JSON.stringify({ ...saved, [key]: names }));
    const r = await runCli(["eval", "--model", path, "--data", csv]);
    assert.equal(r.code, 2);
    assert.match(r.err, message);
  }
});

/** A safetensors file's header (as parsed) and the offset of its data. */
function header(bytes: Uint8Array): {
  json: Record<string, { dtype: string; data_offsets: number[] }>;
  start: number;
} {
  const size = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + size))), start: 8 + size };
}

test("safetensors: a repeated tensor name is refused; a NaN weight is named with its tensor", async () => {
  const file = join(dir, "m.safetensors");
  assert.equal((await runCli(["convert", "--model", model, "--out", file])).code, 0);
  const bytes = new Uint8Array(readFileSync(file));
  const { json, start } = header(bytes);
  const name = Object.keys(json).find((k) => k !== "__metadata__") as string;

  const nan = bytes.slice();
  const view = new DataView(nan.buffer, start + json[name].data_offsets[0]);
  if (json[name].dtype === "F64") view.setFloat64(0, Number.NaN, true);
  else view.setFloat32(0, Number.NaN, true);
  writeFileSync(join(dir, "nan.safetensors"), nan);
  const r = await runCli([
    "convert",
    "--model",
    join(dir, "nan.safetensors"),
    "--out",
    join(dir, "nan.json"),
  ]);
  assert.equal(r.code, 2);
  assert.match(r.err, new RegExp(`tensor "${name}" holds a non-finite weight \\(NaN\\) at index 0`));

  const text = new TextDecoder().decode(bytes.subarray(8, start));
  const repeated = `{${JSON.stringify({ [name]: json[name] }).slice(1, -1)},${text.slice(1)}`;
  const padded = repeated + " ".repeat((8 - (repeated.length % 8)) % 8);
  const head = new Uint8Array(8);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded.length), true);
  const dup = join(dir, "dup.safetensors");
  writeFileSync(dup, Buffer.concat([head, new TextEncoder().encode(padded), bytes.subarray(start)]));
  const d = await runCli(["convert", "--model", dup, "--out", join(dir, "dup.json")]);
  assert.equal(d.code, 2);
  assert.match(d.err, new RegExp(`the header lists "${name}" twice`));
});

test("fit resumes a checkpoint at step 130,000 (its history copied without a spread)", () => {
  const data = blobs({ n: 20, classes: 2, seed: 1 });
  const net = (): MLP => new MLP(2, [3, 2], { seed: 2 });
  let checkpoint: FitCheckpoint | undefined;
  fit(net(), data, {
    loss: "softmax",
    steps: 1,
    onCheckpoint: (c) => {
      checkpoint = c;
    },
  });
  assert.ok(checkpoint);
  const step = 130_000;
  const history = Array.from({ length: step }, (_, i) => ({ ...checkpoint?.history[0], step: i + 1 }));
  const late = { ...checkpoint, step, history } as FitCheckpoint;
  const result = fit(net(), data, { loss: "softmax", steps: step + 1, resume: late });
  assert.equal(result.steps, step + 1);
  assert.equal(result.stepsRun, 1);
});
