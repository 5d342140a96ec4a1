import type { Sequential } from "../nn/sequential.ts";
import type { InputScaling } from "./model-json.ts";
import { type OnnxAttribute, OnnxGraph } from "./onnx-graph.ts";
import { type LayerSpec, sequentialLayers, sequentialStateDict } from "./sequential-state.ts";
import type { NamedTensor } from "./state-dict.ts";

/**
 * How `exportSequentialOnnx` builds the graph.
 *
 * @example
 * exportSequentialOnnx(cnn, { scaling, inputShape: [784] });
 */
export interface SequentialOnnxOptions {
  /** The shape of one input sample (default: an `Unflatten` first layer's flat size). */
  readonly inputShape?: readonly number[];
  /** Bake feature standardisation in front of the network: `(x - mean) / std` over flat inputs. */
  readonly scaling?: InputScaling;
  /** The graph's name (default `micrograd-ts-sequential`). */
  readonly name?: string;
}

/**
 * Exports a `Sequential` (linear, convolution, pooling, batch-norm, activation and layout
 * layers) as an ONNX model (IR 8, opset 13, float32): `Conv`, `MaxPool`, `AveragePool`,
 * `Gemm`, `Relu`/`Tanh`/`Sigmoid`, `Flatten`, `Reshape`; batch norm, in evaluation, as the
 * per-channel `Mul` and `Add` it amounts to; dropout and random shifts (training only) are
 * left out. Input `input` is `[batch, ...inputShape]`, output `output` the last layer's.
 *
 * @example
 * const bytes = exportSequentialOnnx(cnn, { scaling });
 */
export function exportSequentialOnnx(model: Sequential, options: SequentialOnnxOptions = {}): Uint8Array {
  const layers = sequentialLayers(model);
  const dict = sequentialStateDict(model);
  const first = layers[0];
  const inputShape =
    options.inputShape ??
    (first?.type === "unflatten" ? [first.shape.reduce((a, b) => a * b, 1)] : undefined);
  if (inputShape === undefined) {
    throw new RangeError("exportSequentialOnnx: give inputShape (the shape of one sample)");
  }
  const g = new OnnxGraph();
  let flow: Flow = { name: "input", shape: [...inputShape] };
  if (options.scaling !== undefined) {
    const { mean, std } = options.scaling;
    const n = inputShape.reduce((a, b) => a * b, 1);
    if (inputShape.length !== 1 || mean.length !== n || std.length !== n) {
      throw new RangeError(
        `exportSequentialOnnx: scaling has ${mean.length} means and ${std.length} stds for inputs [${inputShape.join(",")}]`,
      );
    }
    const centred = g.node("Sub", [flow.name, g.constant("scaling.mean", [n], mean)]);
    flow = { ...flow, name: g.node("Div", [centred, g.constant("scaling.std", [n], std)]) };
  }
  layers.forEach((layer, i) => {
    flow = layerNodes(g, layer, i, dict, flow);
  });
  g.node("Identity", [flow.name], [], "output");
  return g.finish(
    options.name ?? "micrograd-ts-sequential",
    [["input", inputShape]],
    [["output", flow.shape]],
  );
}

/** The value flowing through the graph: its name, and the shape of one sample. */
interface Flow {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The nodes of layer `i` (weights from `dict`) applied to `x`; returns what flows out. */
function layerNodes(
  g: OnnxGraph,
  layer: LayerSpec,
  i: number,
  dict: Readonly<Record<string, NamedTensor>>,
  x: Flow,
): Flow {
  const w = dict[`${i}.weight`];
  const b = dict[`${i}.bias`];
  const withBias = (inputs: string[]): string[] =>
    b === undefined ? inputs : [...inputs, g.constant(`${i}.bias`, b.shape, b.data)];
  switch (layer.type) {
    case "unflatten": {
      const shape = g.constant(`${i}.shape`, [layer.shape.length + 1], [-1, ...layer.shape], true);
      return { name: g.node("Reshape", [x.name, shape]), shape: layer.shape };
    }
    case "flatten":
      return {
        name: g.node("Flatten", [x.name], [["axis", 1]]),
        shape: [x.shape.reduce((a, c) => a * c, 1)],
      };
    case "conv2d":
    case "maxPool2d":
    case "avgPool2d": {
      const [ph, pw] = layer.padding;
      const attributes: OnnxAttribute[] = [
        ["kernel_shape", layer.kernel],
        ["strides", layer.stride],
        ["pads", [ph, pw, ph, pw]],
      ];
      const name =
        layer.type === "conv2d"
          ? g.node("Conv", withBias([x.name, g.constant(`${i}.weight`, w.shape, w.data)]), attributes)
          : layer.type === "maxPool2d"
            ? g.node("MaxPool", [x.name], attributes)
            : g.node("AveragePool", [x.name], [...attributes, ["count_include_pad", 1]]);
      const out = (size: number, k: number, s: number, p: number): number =>
        Math.floor((size + 2 * p - k) / s) + 1;
      const shape = [
        layer.type === "conv2d" ? layer.out : x.shape[0],
        out(x.shape[1], layer.kernel[0], layer.stride[0], ph),
        out(x.shape[2], layer.kernel[1], layer.stride[1], pw),
      ];
      return { name, shape };
    }
    case "linear": {
      const inputs = withBias([x.name, g.constant(`${i}.weight`, w.shape, w.data)]);
      return { name: g.node("Gemm", inputs, [["transB", 1]]), shape: [layer.out] };
    }
    case "batchNorm": {
      // evaluation: y = x·a + c with a = γ/√(var+ε) and c = β − mean·a, per channel
      const mean = dict[`${i}.running_mean`].data;
      const variance = dict[`${i}.running_var`].data;
      const a = w.data.map((gamma, c) => gamma / Math.sqrt(variance[c] + layer.eps));
      const c = b.data.map((beta, k) => beta - mean[k] * a[k]);
      const dims = [layer.channels, ...x.shape.slice(1).map(() => 1)];
      const scaled = g.node("Mul", [x.name, g.constant(`${i}.scale`, dims, a)]);
      return { name: g.node("Add", [scaled, g.constant(`${i}.shift`, dims, c)]), shape: x.shape };
    }
    case "activation": {
      if (layer.activation === "linear") return x;
      const op = { relu: "Relu", tanh: "Tanh", sigmoid: "Sigmoid" }[layer.activation];
      return { name: g.node(op, [x.name]), shape: x.shape };
    }
    case "dropout":
    case "randomShift":
      return x; // training only
  }
}
