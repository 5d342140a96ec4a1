import assert from "node:assert/strict";
import { test } from "node:test";
import { buildExpression, forwardWithGroups, MLP, toDot, topologicalOrder, Value } from "../../src/index.ts";

/** Value records: `n<id> [shape=record ... label="{ label | data x | grad g }"]`. */
function records(dot: string): Map<string, { label: string; data: string; grad: string }> {
  const out = new Map<string, { label: string; data: string; grad: string }>();
  for (const m of dot.matchAll(
    /^\s*(n\d+) \[shape=record.*label="\{ (.*?) \| data (\S+) \| grad (\S+) \}"\];$/gm,
  )) {
    out.set(m[1], { label: m[2].trim(), data: m[3], grad: m[4] });
  }
  return out;
}

test("toDot draws micrograd's neuron: one record per value with label, data and grad, op nodes between", () => {
  const { output, variables } = buildExpression("tanh(x1*w1 + x2*w2 + b)", {
    x1: 2,
    x2: 0,
    w1: -3,
    w2: 1,
    b: 6.881373587019543,
  });
  output.backward();
  const dot = toDot(output);
  const nodes = topologicalOrder(output);
  const recs = records(dot);
  assert.equal(recs.size, nodes.length);
  const byLabel = new Map([...recs.values()].map((r) => [r.label, r]));
  // o = tanh(n) = 0.7071; do/dn = 1 - o^2 = 0.5; so dx1 = w1 * 0.5, dw1 = x1 * 0.5, ...
  assert.deepEqual(byLabel.get("x1"), { label: "x1", data: "2.0000", grad: "-1.5000" });
  assert.deepEqual(byLabel.get("w1"), { label: "w1", data: "-3.0000", grad: "1.0000" });
  assert.deepEqual(byLabel.get("x2"), { label: "x2", data: "0.0000", grad: "0.5000" });
  assert.deepEqual(byLabel.get("w2"), { label: "w2", data: "1.0000", grad: "0.0000" });
  assert.deepEqual(byLabel.get("b"), { label: "b", data: "6.8814", grad: "0.5000" });
  assert.ok(Math.abs((variables.get("x1")?.grad ?? 0) + 1.5) < 1e-12);
  // The output: data tanh(0.8814) = 0.7071, grad 1.
  const root = recs.get(`n${nodes[nodes.length - 1].id}`);
  assert.deepEqual([root?.data, root?.grad], ["0.7071", "1.0000"]);
  // One op node per computed value, labelled with the op's symbol: 2 mul, 2 add, 1 tanh.
  const ops = [...dot.matchAll(/^\s*n\d+_op \[label="([^"]+)"/gm)].map((m) => m[1]).sort();
  assert.deepEqual(ops, ["*", "*", "+", "+", "tanh"]);
  // Edges: each input into its consumer's op node, each op node into its value.
  const edges = [...dot.matchAll(/^\s*(n\d+(?:_op)?) -> (n\d+(?:_op)?);$/gm)];
  assert.equal(
    edges.length,
    nodes.reduce((s, n) => s + n.inputs.length + (n.op === "leaf" ? 0 : 1), 0),
  );
  assert.match(dot, /rankdir=LR/);
  assert.match(dot, /fontname="DejaVu Sans"/);
  assert.doesNotMatch(dot, /more values/);
});

test("toDot shows pow's exponent and escapes record characters in labels", () => {
  const a = new Value(3, "a|{b}");
  const y = a.pow(2).add(a.div(new Value(4, 'q"')));
  y.backward();
  const dot = toDot(y);
  assert.match(dot, /label="\^2"/);
  assert.match(dot, /label="\^-1"/);
  assert.match(dot, /\{ a\\\|\\\{b\\\} \| data 3\.0000/);
  assert.match(dot, /\{ q\\" \| data 4\.0000/);
});

test("toDot frames each neuron, and collapses them into one box each when the graph is large", () => {
  const model = new MLP(2, [4, 1], { activation: "tanh" });
  const { outputs, groups } = forwardWithGroups(model, [0.5, -1]);
  assert.equal(outputs[0].data, model.predict([0.5, -1])[0]);
  outputs[0].backward();
  const framed = toDot(outputs[0], { groups });
  assert.equal([...framed.matchAll(/subgraph cluster_\d+ \{/g)].length, 5);
  assert.match(framed, /label="L1\.N1"/);
  assert.match(framed, /label="L2\.N1"/);

  const collapsed = toDot(outputs[0], { groups, collapseGroups: "always" });
  const boxes = [...collapsed.matchAll(/^\s*g\d+ \[shape=box.*label="([^"]+)"\];$/gm)].map((m) => m[1]);
  assert.equal(boxes.length, 5);
  // A first-layer neuron: w1, w2, b, 2 products, 2 sums, tanh.
  assert.match(
    boxes[0],
    /^L1\.N1\\n8 values \(3 leaf, 2 mul, 2 add, 1 tanh\)\\nout: data -?\d\.\d{4}, grad -?\d\.\d{4}$/,
  );
  // The output neuron: 4 weights + b, 4 products, 4 sums (linear output: no activation).
  assert.match(boxes[4], /^L2\.N1\\n13 values \(5 leaf, 4 mul, 4 add\)/);
  // The inputs stay visible and feed every first-layer box; every L1 box feeds the L2 box.
  assert.equal(records(collapsed).size, 2);
  for (let k = 0; k < 4; k++) assert.match(collapsed, new RegExp(`g${k} -> g4;`));
  assert.match(collapsed, /5 groups collapsed into one box each/);

  // auto: only beyond maxNodes.
  assert.doesNotMatch(toDot(outputs[0], { groups }), /shape=box/);
  assert.match(toDot(outputs[0], { groups, maxNodes: 20 }), /shape=box/);
});

test("toDot folds what lies beyond maxNodes into one note that says what it holds", () => {
  let y = new Value(0.5, "x");
  for (let i = 0; i < 3000; i++) y = y.mul(0.999).add(0.001);
  y.backward();
  const total = topologicalOrder(y).length;
  const dot = toDot(y, { maxNodes: 60 });
  const drawn = records(dot).size;
  assert.equal(drawn, 60);
  const note = /more \[shape=note.*label="… (\d+) more values not drawn\\n\(([^)]*)\)/.exec(dot);
  assert.ok(note, "a 'more values' note");
  assert.equal(Number(note[1]), total - drawn);
  // Leaves (the input and the constants) and computed values are counted by op.
  const counts = Object.fromEntries(note[2].split(", ").map((s) => s.split(" ").reverse()));
  assert.equal(Number(counts.mul) + Number(counts.add) + Number(counts.leaf), total - drawn);
  assert.match(
    dot,
    new RegExp(`^// micrograd-ts toDot: ${total} values; ${total - drawn} values folded`, "m"),
  );
  assert.match(dot, /more -> n\d+_op;/);
  // The output is always drawn.
  assert.ok(records(dot).has(`n${topologicalOrder(y).at(-1)?.id}`));
});

test("toDot rejects a bad maxNodes", () => {
  assert.throws(
    () => toDot(new Value(1), { maxNodes: 0 }),
    /toDot: maxNodes must be a positive integer, got 0/,
  );
});

test("toDot's DOT renders with Graphviz (@viz-js/viz) into an SVG with the labels and values", async () => {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  const { output } = buildExpression("relu(a*b - c)", { a: 2, b: 3, c: 1 });
  output.backward();
  const svg = viz.renderString(toDot(output, { title: "a small graph" }), { format: "svg" });
  assert.match(svg, /<svg/);
  for (const text of ["data 2.0000", "grad 3.0000", "ReLU", "data 5.0000", "a small graph"]) {
    assert.ok(svg.includes(text), `svg contains ${text}`);
  }
});
