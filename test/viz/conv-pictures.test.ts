import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ActivationLayer,
  Conv2d,
  convFiltersSvg,
  Flatten,
  featureMapsSvg,
  Linear,
  Sequential,
  Tensor,
  Unflatten,
} from "../../src/index.ts";

const net = (): Sequential =>
  new Sequential(
    new Unflatten([1, 6, 6]),
    new Conv2d(1, 2, 3, { seed: 1 }),
    new ActivationLayer("relu"),
    new Conv2d(2, 3, 3, { seed: 2 }),
    new Flatten(),
    new Linear(12, 2, { seed: 3 }),
  );

/** The fill colours of an SVG's pixel paths, and how many runs each draws. */
function runsByFill(svg: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of svg.matchAll(/<path fill="(#[0-9a-f]{6})" d="([^"]*)"\/>/g))
    out.set(m[1], (out.get(m[1]) ?? 0) + m[2].split("M").length - 1);
  return out;
}

test("convFiltersSvg draws one image per filter and input channel, red for the largest weight", () => {
  const conv = new Conv2d(2, 3, 2, { seed: 1 });
  conv.weight.data.fill(0);
  conv.weight.data[0] = 1; // filter 0, channel 0, top left: the largest positive weight
  conv.weight.data[5] = -0.5; // filter 0, channel 1, top right: the only weight of its image
  const svg = convFiltersSvg(conv, { title: "two channels" });
  assert.match(svg, /<title>two channels<\/title>/);
  assert.match(svg, /3 filters of 2×2, input channel 0/);
  assert.match(svg, /3 filters of 2×2, input channel 1/);
  // zeros are left white; each nonzero filter image is scaled to its own largest magnitude
  assert.deepEqual([...runsByFill(svg)].sort(), [
    ["#1f77b4", 1],
    ["#d62728", 1],
  ]);
});

test("featureMapsSvg shows the input and every convolution's maps, and leaves the mode as it was", () => {
  const model = net();
  const image = new Tensor(
    Float32Array.from({ length: 36 }, (_, i) => Math.sin(i)),
    [1, 36],
  );
  const svg = featureMapsSvg(model, image);
  assert.match(svg, />input</);
  assert.match(svg, /convolution 1: 2 feature maps of 4×4/);
  assert.match(svg, /convolution 2: 3 feature maps of 2×2/);
  assert.equal(model.training, true);
  model.eval();
  featureMapsSvg(model, image);
  assert.equal(model.training, false);
});

test("featureMapsSvg names what is wrong: a batch of more than one image, a model without convolutions", () => {
  assert.throws(
    () => featureMapsSvg(net(), new Tensor(new Float32Array(72), [2, 36])),
    /expected one image \(a batch of 1\), got shape \[2, 36\]/,
  );
  const mlp = new Sequential(new Linear(4, 2, { seed: 1 }));
  assert.throws(() => featureMapsSvg(mlp, new Tensor(new Float32Array(4), [1, 4])), /no Conv2d layer/);
});
