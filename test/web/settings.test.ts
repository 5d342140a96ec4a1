// The playground's URL schema: every setting survives a round trip, bad values are rejected
// (the default stays), and pasted CSV reports the line at fault.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultSettings, fromHash, parsePoints, type Settings, toHash } from "../../web/src/settings.ts";

test("every setting survives the URL hash", () => {
  const s: Settings = {
    view: "lm",
    dataset: "custom",
    n: 321,
    noise: 0.35,
    testPercent: 20,
    seed: 98765,
    layers: [
      { size: 3, activation: "relu" },
      { size: 16, activation: "sigmoid" },
      { size: 1, activation: "linear" },
    ],
    loss: "bce",
    optimizer: "sgd",
    lr: 0.125,
    schedule: "cosine",
    steps: 777,
    batch: "mini",
    batchSize: 12,
    l2: 0.002,
    l1: 0.003,
    features: ["x", "x2", "sinx"],
    discretize: true,
    showTest: false,
    engine: "js",
    points: [
      [0.5, -1.25, 0],
      [-2, 3, 1],
      [0, 0, 3],
    ],
    expr: "loss",
    values: [1.5, -0.25, 3, 0],
    lmArch: "gpt",
  };
  const hash = toHash(s);
  assert.match(hash, /^#view=lm&data=custom&n=321&/);
  assert.match(hash, /&expr=loss&lm=gpt&/);
  assert.match(hash, /layers=3relu_16sigmoid_1linear/);
  assert.match(hash, /vals=1.5%2C-0.25%2C3%2C0/);
  assert.match(hash, /&engine=js&/);
  assert.deepEqual(fromHash(hash), { settings: s, rejected: [], notes: [] });
});

test("the defaults round-trip, and an empty hash gives them", () => {
  assert.deepEqual(fromHash(toHash(defaultSettings())).settings, defaultSettings());
  assert.deepEqual(fromHash("").settings, defaultSettings());
  assert.equal(toHash(defaultSettings()).includes("pts="), false);
  assert.equal(toHash(defaultSettings()).includes("vals="), false);
});

test("a network without hidden layers is allowed", () => {
  const s = { ...defaultSettings(), layers: [] };
  assert.deepEqual(fromHash(toHash(s)).settings.layers, []);
});

test("bad values are rejected by name and keep their defaults", () => {
  const { settings, rejected } = fromHash(
    "#data=mnist&n=2.5&noise=-1&lr=0&layers=0tanh&loss=l1&opt=rmsprop&batch=huge&bs=0&seed=x&engine=gpu&pts=1,2",
  );
  // In the schema's order.
  assert.deepEqual(rejected, [
    "data",
    "n",
    "noise",
    "seed",
    "layers",
    "loss",
    "opt",
    "lr",
    "batch",
    "bs",
    "engine",
    "pts",
  ]);
  const d = defaultSettings();
  assert.equal(settings.dataset, d.dataset);
  assert.equal(settings.n, d.n);
  assert.deepEqual(settings.layers, d.layers);
  assert.equal(settings.lr, d.lr);
  assert.equal(settings.engine, "wasm");
  assert.deepEqual(fromHash("#layers=17relu").rejected, ["layers"]);
  assert.deepEqual(fromHash("#vals=1,,2").rejected, ["vals"]);
  assert.deepEqual(fromHash("#vals=1,x").rejected, ["vals"]);
  assert.deepEqual(fromHash("#layers=4relu_4swish").rejected, ["layers"]);
  assert.deepEqual(fromHash("#layers=1relu_1relu_1relu_1relu_1relu_1relu_1relu").rejected, ["layers"]);
});

test("CSV points: separators, comments and errors that name the line", () => {
  assert.deepEqual(parsePoints("0.5,1,0\n# a comment\n\n-1 2 1\r\n3;4;2"), [
    [0.5, 1, 0],
    [-1, 2, 1],
    [3, 4, 2],
  ]);
  assert.equal(parsePoints("1,2,0\n1,abc,0"), 'CSV line 2: expected x,y,class (3 numbers), got "1,abc,0"');
  assert.equal(parsePoints("1,2"), 'CSV line 1: expected x,y,class (3 numbers), got "1,2"');
  assert.equal(parsePoints("1,2,0.5"), "CSV line 1: class must be 0, 1, 2 or 3, got 0.5");
  assert.equal(parsePoints("1,2,4"), "CSV line 1: class must be 0, 1, 2 or 3, got 4");
  assert.deepEqual(parsePoints(""), []);
});
