import type { Sequential } from "../nn/sequential.ts";
import type { InputScaling } from "./model-json.ts";
import { ProtoWriter } from "./protobuf.ts";
import { sequentialLayers, sequentialStateDict } from "./sequential-state.ts";

// ONNX protobuf field numbers (onnx/onnx.proto3), as in onnx.ts, plus repeated-int attributes.
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, i: 3, ints: 8, type: 20 } as const;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const FLOAT = 1;
const INT64 = 7;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIM = { value: 1, param: 2 } as const;

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

type Attribute = readonly [string, number | readonly number[]];

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
  const nodes: ProtoWriter[] = [];
  const initializers: ProtoWriter[] = [];
  let counter = 0;
  const node = (
    op: string,
    inputs: readonly string[],
    attributes: readonly Attribute[] = [],
    output?: string,
  ): string => {
    const out = output ?? `${op.toLowerCase()}_${counter++}`;
    const n = new ProtoWriter();
    for (const i of inputs) n.string(NODE.input, i);
    n.string(NODE.output, out).string(NODE.name, out).string(NODE.opType, op);
    for (const [name, value] of attributes) {
      const a = new ProtoWriter().string(ATTRIBUTE.name, name);
      if (typeof value === "number") a.varint(ATTRIBUTE.i, value).varint(ATTRIBUTE.type, ATTRIBUTE_INT);
      else {
        for (const v of value) a.varint(ATTRIBUTE.ints, v);
        a.varint(ATTRIBUTE.type, ATTRIBUTE_INTS);
      }
      n.message(NODE.attribute, a);
    }
    nodes.push(n);
    return out;
  };
  const constant = (
    name: string,
    dims: readonly number[],
    values: ArrayLike<number>,
    int64 = false,
  ): string => {
    const raw = new Uint8Array(values.length * (int64 ? 8 : 4));
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) {
      if (int64) view.setBigInt64(8 * i, BigInt(values[i]), true);
      else view.setFloat32(4 * i, values[i], true);
    }
    const t = new ProtoWriter();
    for (const d of dims) t.varint(TENSOR.dims, d);
    t.varint(TENSOR.dataType, int64 ? INT64 : FLOAT)
      .string(TENSOR.name, name)
      .bytes(TENSOR.rawData, raw);
    initializers.push(t);
    return name;
  };

  let current = "input";
  let shape = [...inputShape]; // of one sample, as it flows
  if (options.scaling !== undefined) {
    const { mean, std } = options.scaling;
    const n = shape.reduce((a, b) => a * b, 1);
    if (shape.length !== 1 || mean.length !== n || std.length !== n) {
      throw new RangeError(
        `exportSequentialOnnx: scaling has ${mean.length} means and ${std.length} stds for inputs [${shape.join(",")}]`,
      );
    }
    current = node("Sub", [current, constant("scaling.mean", [n], mean)]);
    current = node("Div", [current, constant("scaling.std", [n], std)]);
  }
  layers.forEach((layer, i) => {
    const w = dict[`${i}.weight`];
    const b = dict[`${i}.bias`];
    switch (layer.type) {
      case "unflatten":
        current = node("Reshape", [
          current,
          constant(`${i}.shape`, [layer.shape.length + 1], [-1, ...layer.shape], true),
        ]);
        shape = [...layer.shape];
        break;
      case "flatten":
        current = node("Flatten", [current], [["axis", 1]]);
        shape = [shape.reduce((a, c) => a * c, 1)];
        break;
      case "conv2d":
      case "maxPool2d":
      case "avgPool2d": {
        const [ph, pw] = layer.padding;
        const attributes: Attribute[] = [
          ["kernel_shape", layer.kernel],
          ["strides", layer.stride],
          ["pads", [ph, pw, ph, pw]],
        ];
        if (layer.type === "conv2d") {
          const inputs = [current, constant(`${i}.weight`, w.shape, w.data)];
          if (b !== undefined) inputs.push(constant(`${i}.bias`, b.shape, b.data));
          current = node("Conv", inputs, attributes);
        } else if (layer.type === "maxPool2d") current = node("MaxPool", [current], attributes);
        else current = node("AveragePool", [current], [...attributes, ["count_include_pad", 1]]);
        const out = (size: number, k: number, s: number, p: number): number =>
          Math.floor((size + 2 * p - k) / s) + 1;
        shape = [
          layer.type === "conv2d" ? layer.out : shape[0],
          out(shape[1], layer.kernel[0], layer.stride[0], ph),
          out(shape[2], layer.kernel[1], layer.stride[1], pw),
        ];
        break;
      }
      case "linear": {
        const inputs = [current, constant(`${i}.weight`, w.shape, w.data)];
        if (b !== undefined) inputs.push(constant(`${i}.bias`, b.shape, b.data));
        current = node("Gemm", inputs, [["transB", 1]]);
        shape = [layer.out];
        break;
      }
      case "batchNorm": {
        // evaluation: y = x·a + c with a = γ/√(var+ε) and c = β − mean·a, per channel
        const mean = dict[`${i}.running_mean`].data;
        const variance = dict[`${i}.running_var`].data;
        const a = w.data.map((g, c) => g / Math.sqrt(variance[c] + layer.eps));
        const c = b.data.map((beta, k) => beta - mean[k] * a[k]);
        const dims = [layer.channels, ...shape.slice(1).map(() => 1)];
        current = node("Mul", [current, constant(`${i}.scale`, dims, a)]);
        current = node("Add", [current, constant(`${i}.shift`, dims, c)]);
        break;
      }
      case "activation":
        if (layer.activation !== "linear") {
          const op = { relu: "Relu", tanh: "Tanh", sigmoid: "Sigmoid" }[layer.activation];
          current = node(op, [current]);
        }
        break;
      case "dropout":
      case "randomShift":
        break;
    }
  });
  node("Identity", [current], [], "output");

  const graph = new ProtoWriter();
  for (const n of nodes) graph.message(GRAPH.node, n);
  graph.string(GRAPH.name, options.name ?? "micrograd-ts-sequential");
  for (const t of initializers) graph.message(GRAPH.initializer, t);
  graph.message(GRAPH.input, valueInfo("input", inputShape));
  graph.message(GRAPH.output, valueInfo("output", shape));
  return new ProtoWriter()
    .varint(MODEL.irVersion, 8)
    .string(MODEL.producerName, "micrograd-ts")
    .string(MODEL.producerVersion, "0.1.0")
    .message(MODEL.graph, graph)
    .message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, "").varint(OPSET.version, 13))
    .finish();
}

/** A float tensor value of shape [batch, ...dims] with a symbolic batch dimension. */
function valueInfo(name: string, dims: readonly number[]): ProtoWriter {
  const shape = new ProtoWriter().message(SHAPE.dim, new ProtoWriter().string(DIM.param, "batch"));
  for (const d of dims) shape.message(SHAPE.dim, new ProtoWriter().varint(DIM.value, d));
  const tensorType = new ProtoWriter().varint(TENSOR_TYPE.elemType, FLOAT).message(TENSOR_TYPE.shape, shape);
  return new ProtoWriter()
    .string(VALUE_INFO.name, name)
    .message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType));
}
