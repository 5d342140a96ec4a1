import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { loadModel, MLP, mlpStateDict, saveModel } from "../../src/index.ts";

const model = new MLP(3, [4, 2], { activation: ["tanh", "linear"], seed: 5 });
const info = {
  loss: "softmax" as const,
  labels: ["no", "yes"],
  features: ["a", "b", "c"],
  scaling: { mean: [1, 2, 3], std: [0.5, 1, 2] },
  training: { steps: 100, seed: 5 },
};

test("save then load gives the same model, outputs and info", () => {
  const text = saveModel(model, info);
  const saved = loadModel(text);
  assert.equal(saved.model.describe(), "MLP 3-4-2 (tanh, linear)");
  assert.deepEqual(mlpStateDict(saved.model), mlpStateDict(model));
  assert.deepEqual(saved.model.predict([0.1, -2, 3]), model.predict([0.1, -2, 3]));
  assert.deepEqual({ ...saved, model: undefined }, { ...info, model: undefined });
  // Bytes work too, and the file names its format and version.
  assert.deepEqual(loadModel(new TextEncoder().encode(text)).labels, ["no", "yes"]);
  const raw = JSON.parse(text);
  assert.equal(raw.format, "micrograd-ts/model");
  assert.equal(raw.version, 1);
  assert.deepEqual(raw.weights["layers.0.weight"].shape, [4, 3]);
  assert.deepEqual(
    raw.weights["layers.0.weight"].data.slice(0, 3),
    model.layers[0].neurons[0].w.map((w) => w.data),
  );
});

// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary JSON
const edit = (f: (o: Record<string, any>) => void): string => {
  const o = JSON.parse(saveModel(model, info));
  f(o);
  return JSON.stringify(o);
};

test("loading says exactly what does not fit", () => {
  const cases: [string | Uint8Array, RegExp][] = [
    ["{", /not valid JSON/],
    [new Uint8Array([0xff, 0xfe]), /not UTF-8 text/],
    ["[]", /the file must be an object, got \[\]/],
    [
      edit((o) => {
        o.format = "other";
      }),
      /not a micrograd-ts model file \(format "other"/,
    ],
    [
      edit((o) => {
        o.version = 2;
      }),
      /version 2, newer than this library reads \(1\)/,
    ],
    [
      edit((o) => {
        o.version = "1";
      }),
      /"version" must be a positive integer, got "1"/,
    ],
    [
      edit((o) => {
        o.architecture.kind = "cnn";
      }),
      /"architecture.kind" must be "mlp", got "cnn"/,
    ],
    [
      edit((o) => {
        o.architecture.sizes[0] = -3;
      }),
      /"architecture.sizes\[0\]" must be an integer in \[1, 1e6\], got -3/,
    ],
    [
      edit((o) => {
        o.architecture.activations[0] = "gelu";
      }),
      /"architecture.activations\[0\]" must be one of .*, got "gelu"/,
    ],
    [edit((o) => o.architecture.activations.pop()), /1 activations for 2 layers/],
    [edit((o) => delete o.weights["layers.1.bias"]), /missing tensor "layers.1.bias" \(shape \[2\]\)/],
    [
      edit((o) => {
        o.weights.extra = { shape: [1], data: [0] };
      }),
      /unexpected tensor "extra"/,
    ],
    [
      edit((o) => {
        o.weights["layers.0.weight"].shape = [3, 4];
      }),
      /tensor "layers.0.weight" has shape \[3, 4\], the model needs \[4, 3\]/,
    ],
    [
      edit((o) => o.weights["layers.0.bias"].data.pop()),
      /tensor "layers.0.bias" holds 3 numbers, its shape needs 4/,
    ],
    [
      edit((o) => {
        o.weights["layers.0.bias"].data[1] = "x";
      }),
      /"weights.layers.0.bias.data\[1\]" must be a finite number, got "x"/,
    ],
    [
      edit((o) => {
        o.labels = ["a"];
      }),
      /1 class names for a model with 2 output\(s\)/,
    ],
    [
      edit((o) => {
        o.features = ["a"];
      }),
      /1 feature names for a model with 3 inputs/,
    ],
    [
      edit((o) => {
        o.scaling.std[2] = 0;
      }),
      /scaling.std\[2\] must be > 0, got 0/,
    ],
    [
      edit((o) => {
        o.scaling.mean = [1];
      }),
      /scaling has 1 means and 3 standard deviations for 3 inputs/,
    ],
    [
      edit((o) => {
        o.loss = "l1";
      }),
      /"loss" must be one of .*, got "l1"/,
    ],
    // A tiny file asking for a huge network is refused before anything is built.
    [
      edit((o) => {
        o.architecture.sizes = [100000, 100000];
      }),
      /architecture 3-100000-100000: .*tensor "layers.1.weight" has shape \[2, 4\], the model needs \[100000, 100000\]/,
    ],
  ];
  for (const [input, message] of cases) assert.throws(() => loadModel(input), message, String(message));
});

test("saving refuses non-finite weights and info that does not fit", () => {
  const broken = new MLP(1, [1], { seed: 1 });
  broken.layers[0].neurons[0].b.data = Number.NaN;
  assert.throws(() => saveModel(broken), /tensor "layers.0.bias" has a non-finite weight \(NaN\) at index 0/);
  assert.throws(
    () => saveModel(model, { features: ["x"] }),
    /saveModel: 1 feature names for a model with 3 inputs/,
  );
});

test("fuzz: truncated, bit-flipped and random inputs load cleanly or fail with a RangeError", () => {
  const bytes = new TextEncoder().encode(saveModel(model, info));
  const clean = (input: Uint8Array | string): void => {
    try {
      const saved = loadModel(input);
      for (const v of saved.model.predict([0, 0, 0])) assert.ok(Number.isFinite(v));
    } catch (e) {
      assert.ok(e instanceof RangeError, `not a RangeError: ${e}`);
      assert.match(e.message, /^loadModel: /);
    }
  };
  fc.assert(
    fc.property(fc.nat(bytes.length), fc.nat(bytes.length * 8 - 1), (cut, bit) => {
      clean(bytes.slice(0, cut));
      const flipped = bytes.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7);
      clean(flipped);
    }),
    { numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.json(), (s) => clean(s)),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (b) => clean(b)),
    { numRuns: 100 },
  );
});
