// A CNN (convolution, pooling, batch norm, linear) saved and read back: JSON and safetensors
// round trips, PyTorch loading our safetensors into its nn.Sequential (strict) with the same
// outputs, and the ONNX export running in onnxruntime-web with the same outputs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import * as ort from "onnxruntime-web";
import {
  ActivationLayer,
  AvgPool2d,
  BatchNorm,
  Conv2d,
  Dropout,
  exportSequentialOnnx,
  Flatten,
  Linear,
  loadSequential,
  loadSequentialSafetensors,
  MaxPool2d,
  noGrad,
  RandomShift,
  Rng,
  Sequential,
  saveSequential,
  saveSequentialSafetensors,
  sequentialStateDict,
  Tensor,
  Unflatten,
} from "../../src/index.ts";

ort.env.wasm.numThreads = 1;

/** A small CNN on 10×10 one-channel images, with trained-looking batch-norm statistics. */
function smallCnn(dtype: "float32" | "float64"): Sequential {
  const rng = new Rng(3);
  const net = new Sequential(
    new Unflatten([1, 10, 10]),
    new RandomShift(1),
    new Conv2d(1, 4, 3, { padding: 1, dtype, rng }),
    new BatchNorm(4, { dtype }),
    new ActivationLayer("relu"),
    new MaxPool2d(2),
    new Conv2d(4, 6, 3, { stride: 2, bias: false, dtype, rng }),
    new AvgPool2d(2),
    new Flatten(),
    new Dropout(0.1),
    new Linear(6, 5, { bias: false, dtype, rng }),
    new BatchNorm(5, { dtype }),
    new ActivationLayer("tanh"),
    new Linear(5, 3, { dtype, rng }),
  );
  // batch-norm statistics and affine parameters away from their starting values
  for (const layer of net.layers) {
    if (!(layer instanceof BatchNorm)) continue;
    for (let c = 0; c < layer.channels; c++) {
      layer.runningMean.data[c] = rng.normal() * 0.3;
      layer.runningVar.data[c] = 0.5 + rng.next();
      layer.weight.data[c] = 1 + rng.normal() * 0.2;
      layer.bias.data[c] = rng.normal() * 0.2;
    }
  }
  return net.eval();
}

const rng = new Rng(9);
const inputs = Array.from({ length: 3 }, () => Array.from({ length: 100 }, () => rng.normal()));
const outputsOf = (net: Sequential, dtype: "float32" | "float64"): number[] => {
  const data = dtype === "float64" ? Float64Array.from(inputs.flat()) : Float32Array.from(inputs.flat());
  return [...noGrad(() => net.eval().forward(new Tensor(data, [3, 100]))).data];
};

test("JSON and safetensors round trips give the same network", () => {
  const net = smallCnn("float32");
  const want = outputsOf(net, "float32");
  const fromJson = loadSequential(saveSequential(net, { labels: ["a", "b", "c"] }));
  assert.deepEqual(fromJson.labels, ["a", "b", "c"]);
  assert.deepEqual(outputsOf(fromJson.model, "float32"), want);
  const fromSafetensors = loadSequentialSafetensors(saveSequentialSafetensors(net));
  assert.deepEqual(outputsOf(fromSafetensors.model, "float32"), want);
  assert.deepEqual(sequentialStateDict(fromSafetensors.model)["2.weight"].shape, [4, 1, 3, 3]);
  assert.deepEqual(
    sequentialStateDict(fromSafetensors.model)["10.weight"].shape,
    [5, 6],
    "Linear as [out, in]",
  );
});

test("a broken file names the tensor that is wrong", () => {
  const text = JSON.parse(saveSequential(smallCnn("float32")));
  delete text.weights["3.running_var"];
  text.weights["2.weight"].shape = [4, 1, 9];
  assert.throws(
    () => loadSequential(JSON.stringify(text)),
    /loadSequential: 2\.weight is \[4,1,9\], expected \[4,1,3,3\]; missing 3\.running_var \[4\]/,
  );
  assert.throws(() => loadSequential('{"format":"x"}'), /format is "x", expected "micrograd-ts\/sequential"/);
});

test("a broken layer list names the layer and field that are wrong", () => {
  const file = JSON.parse(saveSequential(smallCnn("float32")));
  const broken = (layer: number, field: string, value: unknown): string => {
    const copy = structuredClone(file);
    copy.layers[layer][field] = value;
    return JSON.stringify(copy);
  };
  const cases: [string, RegExp][] = [
    [broken(2, "type", "conv3d"), /loadSequential: "layers\[2\].type" must be one of linear, conv2d/],
    [broken(2, "kernel", [3]), /loadSequential: "layers\[2\].kernel" must be two integers, got \[3\]/],
    [broken(2, "bias", "yes"), /loadSequential: "layers\[2\].bias" must be true or false/],
    [broken(3, "channels", 0), /"layers\[3\].channels" must be a positive integer, got 0/],
    [JSON.stringify({ ...file, labels: ["a", "a"] }), /"labels\[1\]" repeats "a"/],
    [JSON.stringify({ ...file, version: 2 }), /"version" must be an integer in \[1, 1\], got 2/],
  ];
  for (const [text, message] of cases) assert.throws(() => loadSequential(text), message);
});

test("PyTorch loads our CNN safetensors (strict) and computes the same outputs", () => {
  const net = smallCnn("float64");
  const file = join(mkdtempSync(join(tmpdir(), "micrograd-cnn-")), "cnn.safetensors");
  writeFileSync(file, saveSequentialSafetensors(net, { dtype: "F64" }));
  const r = spawnSync("/usr/bin/python3", ["scripts/torch-load-sequential.py", file], {
    input: JSON.stringify(inputs),
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const torchOut = (JSON.parse(r.stdout) as number[][]).flat();
  const ours = outputsOf(net, "float64");
  ours.forEach((v, i) => {
    assert.ok(Math.abs(v - torchOut[i]) < 1e-12, `output ${i}: ours ${v}, PyTorch ${torchOut[i]}`);
  });
});

test("the exported CNN runs in ONNX Runtime (Conv, MaxPool, AveragePool, Gemm) with our outputs", async () => {
  const net = smallCnn("float32");
  const scaling = { mean: Array(100).fill(0.1), std: Array(100).fill(2) };
  const session = await ort.InferenceSession.create(exportSequentialOnnx(net, { scaling }));
  const result = await session.run({
    input: new ort.Tensor("float32", Float32Array.from(inputs.flat()), [3, 100]),
  });
  assert.deepEqual(result.output.dims, [3, 3]);
  const scaled = inputs.map((row) => row.map((v) => (v - 0.1) / 2));
  const ours = [...noGrad(() => net.forward(new Tensor(Float32Array.from(scaled.flat()), [3, 100]))).data];
  const got = result.output.data as Float32Array;
  ours.forEach((v, i) => {
    assert.ok(Math.abs(got[i] - v) < 1e-5, `output ${i}: onnx ${got[i]}, ours ${v}`);
  });
});
