import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { trainingPlots } from "../../src/cli/training-plots.ts";
import { MLP } from "../../src/index.ts";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "micrograd-graph-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const NEURON = ["--expr", "tanh(x1*w1 + x2*w2 + b)", "--set", "x1=2,x2=0,w1=-3,w2=1,b=6.8813735870195432"];

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Uint8Array): [number, number] {
  assert.deepEqual(
    [...bytes.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    "PNG signature",
  );
  assert.equal(Buffer.from(bytes.subarray(12, 16)).toString("latin1"), "IHDR");
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

test("graph --expr --set writes micrograd's neuron as SVG, with every value's data and grad", async () => {
  const path = join(dir, "graph.svg");
  const { code, out } = await runCli(["graph", ...NEURON, "--out", path]);
  assert.equal(code, 0);
  assert.match(out, /^wrote .*graph\.svg \(10 values; \d+\.\d KiB\)\n$/);
  const svg = readFileSync(path, "utf8");
  assert.match(svg, /<svg /);
  // Graphviz writes each record field as a <text>; the values are micrograd's.
  for (const text of [
    "x1",
    "w1",
    "data 2.0000",
    "grad &#45;1.5000",
    "data 0.8814",
    "data 0.7071",
    "grad 1.0000",
    "tanh",
  ]) {
    assert.ok(svg.includes(`>${text}</text>`), text);
  }
  assert.match(svg, /font-family="DejaVu Sans/);
});

test("graph writes .dot as text and .png by rendering the SVG", async () => {
  const dotPath = join(dir, "sub", "graph.dot");
  assert.equal((await runCli(["graph", ...NEURON, "--out", dotPath])).code, 0);
  const dot = readFileSync(dotPath, "utf8");
  assert.match(dot, /^\/\/ micrograd-ts toDot: 10 values\ndigraph G \{/);
  assert.equal([...dot.matchAll(/shape=record/g)].length, 10);

  const pngPath = join(dir, "graph.png");
  assert.equal((await runCli(["graph", ...NEURON, "--out", pngPath])).code, 0);
  const png = readFileSync(pngPath);
  const [width, height] = pngSize(png);
  // A left-to-right graph of five columns, drawn at twice the SVG's size.
  assert.ok(width > 1500 && width < 8000, `width ${width}`);
  assert.ok(height > 200 && height < width, `height ${height}`);
  assert.ok(png.length > 10_000, `${png.length} bytes`);
});

test("graph prints DOT on stdout without --out; --neuron frames one neuron", async () => {
  const { code, out } = await runCli(["graph", "--neuron", "--inputs", "3", "--activation", "relu"]);
  assert.equal(code, 0);
  assert.match(out, /subgraph cluster_0 \{\n\s+label="neuron: relu\(w·x \+ b\)"/);
  for (const label of ["w1", "w2", "w3", "b", "x1", "x2", "x3", "out"]) {
    assert.match(out, new RegExp(`label="\\{ ${label} \\| data`), label);
  }
  assert.match(out, /label="ReLU"/);
});

test("graph --mlp collapses each neuron into a box once the graph is large", async () => {
  const { code, out } = await runCli(["graph", "--mlp", "2,16,16,1", "--max-nodes", "100"]);
  assert.equal(code, 0);
  assert.equal([...out.matchAll(/^\s+g\d+ \[shape=box/gm)].length, 33);
  assert.match(
    out,
    /label="MLP 2-16-16-1 \(tanh, tanh, linear\)\\n979 values; 33 groups collapsed into one box each"/,
  );
});

for (const [args, message] of [
  [
    ["graph", "--expr", "tanh(x1*w1", "--set", "x1=1,w1=2"],
    /column 11: expected "\)" to close tanh\(.*\n {2}tanh\(x1\*w1\n {12}\^/,
  ],
  [["graph", "--expr", "tan(x)", "--set", "x=1"], /column 1: unknown function "tan"/],
  [["graph", "--expr", "x*y", "--set", "x=1"], /column 3: no value given for the variable "y"/],
  [["graph", "--expr", "x", "--set", "x=1,z=2"], /--set: "z" is not in the expression \(its variables: x\)/],
  [
    ["graph", "--expr", "x", "--set", "x=abc"],
    /--set: expected name=number pairs like x1=2,w1=-3, got "x=abc"/,
  ],
  [["graph", "--expr", "x", "--set", "x=1", "--out", "g.jpg"], /cannot tell the format of "g.jpg"/],
  [["graph"], /say what to draw: --expr, --neuron or --mlp/],
  [["graph", "--neuron", "--mlp", "2,1"], /choose one of --neuron, --mlp/],
  [["graph", "--mlp", "2"], /--mlp: expected the input size then layer sizes/],
  [["graph", "--neuron", "--inputs", "0"], /--inputs: expected an integer in 1..64, got "0"/],
  [
    ["graph", "--neuron", "--activation", "swish"],
    /--activation: expected one of relu, tanh, sigmoid, linear/,
  ],
] as const) {
  test(`graph: bad input exits with status 2: ${args.slice(1).join(" ")}`, async () => {
    const { code, err } = await runCli([...args]);
    assert.equal(code, 2);
    assert.match(err, message);
  });
}

test("train --plots writes the decision boundary and the curves, as SVG and PNG", async () => {
  const plots = join(dir, "plots");
  const { code, out } = await runCli(["train", "--steps", "20", "--plots", plots, "--json"]);
  assert.equal(code, 0);
  const result = JSON.parse(out);
  assert.deepEqual(
    result.plots,
    ["boundary.svg", "boundary.png", "curves.svg", "curves.png"].map((f) => join(plots, f)),
  );
  const boundary = readFileSync(join(plots, "boundary.svg"), "utf8");
  const points = boundary.slice(boundary.indexOf('<g class="points"'), boundary.indexOf('<g class="legend"'));
  assert.equal([...points.matchAll(/<circle /g)].length, 100);
  assert.match(boundary, />moons, MLP 2-16-16-1 \(relu, relu, linear\)</);
  const curves = readFileSync(join(plots, "curves.svg"), "utf8");
  assert.match(curves, /class="loss-curve" data-series="sgd, batch full train"/);
  assert.match(curves, /class="accuracy-curve" data-series="sgd, batch full validation"/);
  const [w, h] = pngSize(readFileSync(join(plots, "boundary.png")));
  assert.deepEqual([w, h], [960, 960]);
  assert.deepEqual(pngSize(readFileSync(join(plots, "curves.png"))), [1520, 680]);
});

test("the built bin draws a graph and exits 2 on a bad expression", () => {
  const path = join(dir, "bin.dot");
  const ok = spawnSync(process.execPath, ["bin/micrograd.js", "graph", ...NEURON, "--out", path], {
    encoding: "utf8",
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(readFileSync(path, "utf8"), /digraph G/);
  const bad = spawnSync(process.execPath, ["bin/micrograd.js", "graph", "--expr", "2 +"], {
    encoding: "utf8",
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /column 4: expected a number, a name or "\(", found the end of the expression/);
});

test("--plots on data with more than two features writes the curves only", async () => {
  const data = {
    x: [
      [1, 2, 3, 4],
      [0, 1, 0, 1],
      [2, 2, 2, 2],
    ],
    y: [0, 1, 2],
    classes: 3,
  };
  const plots = trainingPlots({
    dir: join(dir, "wide"),
    model: new MLP(4, [3], { seed: 1 }),
    loss: "softmax",
    train: data,
    validation: data,
    steps: 2,
    caption: "wide",
    runName: "run",
    smoothing: 0,
  });
  plots.onStep({ step: 1, loss: 1.2, accuracy: 0.3, lr: 0.1 });
  plots.onStep({ step: 2, loss: 1.1, accuracy: 0.6, lr: 0.1 });
  const paths = await plots.write();
  assert.deepEqual(paths, [join(dir, "wide", "curves.svg"), join(dir, "wide", "curves.png")]);
  const svg = readFileSync(paths[0], "utf8");
  assert.match(svg, /data-series="run validation"/);
});
