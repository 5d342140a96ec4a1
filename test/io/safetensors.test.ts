import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import {
  loadSafetensors,
  MLP,
  mlpStateDict,
  readSafetensors,
  saveSafetensors,
  writeSafetensors,
} from "../../src/index.ts";

const fixtures = new URL("../fixtures/", import.meta.url);

/** Builds a safetensors file by hand from a header object and data bytes. */
function handMade(header: unknown, data: Uint8Array = new Uint8Array(0), claimedLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  const view = new DataView(out.buffer);
  const n = claimedLength ?? json.length;
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test("loads the PyTorch fixture and computes what PyTorch computed", () => {
  const bytes = new Uint8Array(readFileSync(new URL("torch-mlp.safetensors", fixtures)));
  const reference = JSON.parse(readFileSync(new URL("torch-mlp.json", fixtures), "utf8"));
  const file = readSafetensors(bytes);
  assert.equal(file.metadata.format, "pt");
  assert.deepEqual(file.tensors["layers.0.weight"].shape, [8, 4]);
  assert.equal(file.tensors["layers.1.bias"].dtype, "F32");
  const { model } = loadSafetensors(bytes, { activations: reference.activations });
  assert.equal(model.describe(), "MLP 4-8-3 (tanh, linear)");
  reference.inputs.forEach((x: number[], i: number) => {
    const ours = model.predict(x);
    ours.forEach((v, k) => {
      // PyTorch ran in float32; we run the same float32 weights in float64.
      assert.ok(
        Math.abs(v - reference.outputs[i][k]) < 1e-5,
        `sample ${i} output ${k}: ${v} vs ${reference.outputs[i][k]}`,
      );
    });
  });
  assert.throws(() => loadSafetensors(bytes), /does not say its activations/);
  assert.throws(() => loadSafetensors(bytes, { activations: ["tanh"] }), /2 layers but 1 activations/);
});

test("our writer: spec layout, round trip through our reader, model info kept", () => {
  const model = new MLP(3, [5, 2], { activation: "tanh", seed: 9 });
  const bytes = saveSafetensors(model, { dtype: "F64", labels: ["a", "b"], loss: "softmax" });
  const headerLength = new DataView(bytes.buffer).getUint32(0, true);
  assert.equal(headerLength % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  assert.deepEqual(header["layers.0.weight"], { dtype: "F64", shape: [5, 3], data_offsets: [0, 120] });
  const saved = loadSafetensors(bytes);
  assert.deepEqual(mlpStateDict(saved.model), mlpStateDict(model));
  assert.deepEqual(saved.labels, ["a", "b"]);
  assert.equal(saved.loss, "softmax");
  // F32 (the default) rounds each weight to float32.
  const f32 = loadSafetensors(saveSafetensors(model));
  assert.equal(f32.model.layers[0].neurons[0].w[0].data, Math.fround(model.layers[0].neurons[0].w[0].data));
});

test("hostile headers are refused before any allocation", () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(5), /the file is 5 bytes, too short/],
    [handMade({}, new Uint8Array(0), 2 ** 33), /the header claims 8589934592 bytes but the file has only 2/],
    [handMade({ a: 1 }, new Uint8Array(0), 3), /not valid UTF-8 JSON/],
    [handMade([1, 2]), /the header is not a JSON object/],
    [
      handMade({ w: { dtype: "Q8", shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)),
      /"w" has unknown dtype "Q8"/,
    ],
    [
      handMade({ w: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /dtype I64; this library reads F64, F32, F16, BF16/,
    ],
    [
      handMade({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, f32(1)),
      /shape \[-1\], expected a list of integers/,
    ],
    [handMade({ w: { dtype: "F32", shape: [1], data_offsets: [4, 0] } }, f32(1)), /data_offsets \[4,0\]/],
    [
      handMade({ w: { dtype: "F32", shape: [1000000000, 1000000000], data_offsets: [0, 4] } }, f32(1)),
      /needs \d+ bytes, its offsets give 4/,
    ],
    [
      handMade({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4000000000] } }, f32(1)),
      /ends at byte 4000000000, past the 4 data bytes/,
    ],
    [
      handMade(
        {
          a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
          b: { dtype: "F32", shape: [2], data_offsets: [4, 12] },
        },
        f32(3),
      ),
      /tensors "a" and "b" overlap/,
    ],
    [
      handMade({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, f32(2)),
      /bytes 0\.\.4 belong to no tensor/,
    ],
    [
      handMade({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, f32(2)),
      /4 bytes after the last tensor/,
    ],
    [handMade({ __metadata__: { k: 1 } }), /metadata "k" is not a string/],
    [handMade({ a: 5 }), /tensor "a" is not an object/],
  ];
  for (const [bytes, message] of cases) assert.throws(() => readSafetensors(bytes), message, String(message));
  assert.throws(() => readSafetensors(handMade({}), { maxHeaderBytes: 1 }), /more than the 1 allowed/);
});

test("model-level errors: shapes that do not chain, wrong names", () => {
  const bad = writeSafetensors({
    "layers.0.weight": { dtype: "F32", shape: [3, 2], data: new Float32Array(6) },
    "layers.0.bias": { dtype: "F32", shape: [3], data: new Float32Array(3) },
    "layers.1.weight": { dtype: "F32", shape: [1, 4], data: new Float32Array(4) },
    "layers.1.bias": { dtype: "F32", shape: [1], data: new Float32Array(1) },
  });
  assert.throws(
    () => loadSafetensors(bad, { activations: ["relu", "linear"] }),
    /"layers.1.weight" takes 4 inputs but layer 0 has 3 outputs/,
  );
  const named = writeSafetensors({ "0.weight": { dtype: "F32", shape: [1, 1], data: new Float32Array(1) } });
  assert.throws(
    () => loadSafetensors(named, { activations: ["linear"] }),
    /no tensor "layers.0.weight" \(names: 0.weight\)/,
  );
  const extra = writeSafetensors({
    "layers.0.weight": { dtype: "F32", shape: [1, 1], data: new Float32Array(1) },
    "layers.0.bias": { dtype: "F32", shape: [1], data: new Float32Array(1) },
    other: { dtype: "F32", shape: [1], data: new Float32Array(1) },
  });
  assert.throws(() => loadSafetensors(extra, { activations: ["linear"] }), /unexpected tensor "other"/);
  assert.throws(
    () => writeSafetensors({ a: { dtype: "F32", shape: [2], data: [1] } }),
    /"a" has 1 numbers for shape \[2\]/,
  );
});

test("fuzz: random bytes, truncations and bit flips never crash the reader", () => {
  const model = new MLP(2, [3, 2], { seed: 1 });
  const bytes = saveSafetensors(model, { labels: ["x", "y"] });
  const clean = (input: Uint8Array): void => {
    try {
      const saved = loadSafetensors(input);
      assert.equal(saved.model.predict([1, 2]).length, 2);
    } catch (e) {
      assert.ok(e instanceof RangeError, `not a RangeError: ${e}`);
      assert.match(e.message, /^(safetensors|loadSafetensors|loadModel): /);
    }
  };
  fc.assert(
    fc.property(fc.nat(bytes.length), fc.nat(bytes.length * 8 - 1), (cut, bit) => {
      clean(bytes.slice(0, cut));
      const flipped = bytes.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      clean(flipped);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => clean(b)),
    { numRuns: 200 },
  );
  // A header that claims a random length (including gigabytes) over random data.
  fc.assert(
    fc.property(fc.nat(), fc.nat(15), fc.uint8Array({ maxLength: 32 }), (low, high, rest) => {
      const b = new Uint8Array(8 + rest.length);
      new DataView(b.buffer).setUint32(0, low, true);
      new DataView(b.buffer).setUint32(4, high, true);
      b.set(rest, 8);
      clean(b);
    }),
    { numRuns: 200 },
  );
});

test("half precision (F16 weights, BF16 biases from PyTorch) is widened exactly", () => {
  const bytes = new Uint8Array(readFileSync(new URL("torch-mlp-half.safetensors", fixtures)));
  const reference = JSON.parse(readFileSync(new URL("torch-mlp-half.json", fixtures), "utf8"));
  const file = readSafetensors(bytes);
  assert.equal(file.tensors["layers.0.weight"].dtype, "F16");
  assert.equal(file.tensors["layers.0.bias"].dtype, "BF16");
  const { model } = loadSafetensors(bytes, { activations: reference.activations });
  reference.inputs.forEach((x: number[], i: number) => {
    model.predict(x).forEach((v, k) => {
      // Same rounded weights, both in float64: only the summation order can differ.
      assert.ok(Math.abs(v - reference.outputs[i][k]) < 1e-12, `${v} vs ${reference.outputs[i][k]}`);
    });
  });
  // Known bit patterns: 1, -2, 0.5, the smallest subnormal, infinity (F16); 1, -0.5 (BF16).
  const half = writeHalf("F16", [0x3c00, 0xc000, 0x3800, 0x0001, 0x7c00]);
  assert.deepEqual(Array.from(readSafetensors(half).tensors.t.data), [
    1,
    -2,
    0.5,
    2 ** -24,
    Number.POSITIVE_INFINITY,
  ]);
  assert.deepEqual(
    Array.from(readSafetensors(writeHalf("BF16", [0x3f80, 0xbf00])).tensors.t.data),
    [1, -0.5],
  );
});

function writeHalf(dtype: string, bits: number[]): Uint8Array {
  const data = new Uint8Array(bits.length * 2);
  bits.forEach((b, i) => new DataView(data.buffer).setUint16(2 * i, b, true));
  return handMade({ t: { dtype, shape: [bits.length], data_offsets: [0, data.length] } }, data);
}
