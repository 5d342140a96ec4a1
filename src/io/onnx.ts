import type { Activation } from "../nn/activation.ts";
import type { MLP } from "../nn/mlp.ts";
import type { InputScaling } from "./model-json.ts";
import { ProtoWriter } from "./protobuf.ts";
import { mlpStateDict } from "./state-dict.ts";

/**
 * How `exportOnnx` builds the graph.
 *
 * @example
 * const onnx = exportOnnx(model, { scaling, probabilities: true, name: "iris" });
 */
export interface OnnxExportOptions {
  /** Bake feature standardisation in front of the network: `(x - mean) / std`. */
  readonly scaling?: InputScaling;
  /** Also output `probabilities` (softmax of the outputs over axis 1). */
  readonly probabilities?: boolean;
  /** The graph's name (default `micrograd-ts-mlp`). */
  readonly name?: string;
}

// ONNX protobuf field numbers (onnx/onnx.proto3).
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, i: 3, type: 20 } as const;
const ATTRIBUTE_INT = 2;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const FLOAT = 1;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIM = { value: 1, param: 2 } as const;

const ACTIVATION_OP: Readonly<Record<Activation, string | undefined>> = {
  relu: "Relu",
  tanh: "Tanh",
  sigmoid: "Sigmoid",
  linear: undefined,
};

/**
 * Exports an MLP as an ONNX model (IR version 8, opset 13, float32): input `input` of shape
 * [batch, inputs], one `Gemm` (with `transB`, weights stored [out, in] as PyTorch does) and one
 * activation node per layer, output `output` [batch, outputs]. Runs in ONNX Runtime (Python,
 * C++, web) and any ONNX tool.
 *
 * @example
 * const bytes = exportOnnx(model, { scaling, probabilities: true });
 */
export function exportOnnx(model: MLP, options: OnnxExportOptions = {}): Uint8Array {
  const graph = new ProtoWriter();
  const nodes: ProtoWriter[] = [];
  const initializers: ProtoWriter[] = [];
  let current = "input";
  let counter = 0;
  const node = (op: string, inputs: string[], attributes: [string, number][] = []): string => {
    const output = `${op.toLowerCase()}_${counter++}`;
    const n = new ProtoWriter();
    for (const i of inputs) n.string(NODE.input, i);
    n.string(NODE.output, output).string(NODE.name, output).string(NODE.opType, op);
    for (const [name, value] of attributes) {
      n.message(
        NODE.attribute,
        new ProtoWriter()
          .string(ATTRIBUTE.name, name)
          .varint(ATTRIBUTE.i, value)
          .varint(ATTRIBUTE.type, ATTRIBUTE_INT),
      );
    }
    nodes.push(n);
    return output;
  };
  const constant = (name: string, dims: readonly number[], values: ArrayLike<number>): string => {
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
    const t = new ProtoWriter();
    for (const d of dims) t.varint(TENSOR.dims, d);
    t.varint(TENSOR.dataType, FLOAT).string(TENSOR.name, name).bytes(TENSOR.rawData, raw);
    initializers.push(t);
    return name;
  };

  if (options.scaling !== undefined) {
    const { mean, std } = options.scaling;
    if (mean.length !== model.nin || std.length !== model.nin) {
      throw new RangeError(
        `exportOnnx: scaling has ${mean.length} means and ${std.length} stds for ${model.nin} inputs`,
      );
    }
    current = node("Sub", [current, constant("scaling.mean", [model.nin], mean)]);
    current = node("Div", [current, constant("scaling.std", [model.nin], std)]);
  }
  const dict = mlpStateDict(model);
  model.layers.forEach((_, i) => {
    const w = dict[`layers.${i}.weight`];
    const b = dict[`layers.${i}.bias`];
    const wName = constant(`layers.${i}.weight`, w.shape, w.data);
    const bName = constant(`layers.${i}.bias`, b.shape, b.data);
    current = node("Gemm", [current, wName, bName], [["transB", 1]]);
    const op = ACTIVATION_OP[model.activations[i]];
    if (op !== undefined) current = node(op, [current]);
  });
  const outputs = model.sizes[model.sizes.length - 1];
  // Name the last value "output" by adding an Identity node, so the graph's outputs are stable.
  const finalNode = new ProtoWriter()
    .string(NODE.input, current)
    .string(NODE.output, "output")
    .string(NODE.name, "output")
    .string(NODE.opType, "Identity");
  nodes.push(finalNode);
  const graphOutputs = [valueInfo("output", outputs)];
  if (options.probabilities) {
    const p = new ProtoWriter()
      .string(NODE.input, "output")
      .string(NODE.output, "probabilities")
      .string(NODE.name, "probabilities")
      .string(NODE.opType, "Softmax")
      .message(
        NODE.attribute,
        new ProtoWriter()
          .string(ATTRIBUTE.name, "axis")
          .varint(ATTRIBUTE.i, 1)
          .varint(ATTRIBUTE.type, ATTRIBUTE_INT),
      );
    nodes.push(p);
    graphOutputs.push(valueInfo("probabilities", outputs));
  }
  for (const n of nodes) graph.message(GRAPH.node, n);
  graph.string(GRAPH.name, options.name ?? "micrograd-ts-mlp");
  for (const t of initializers) graph.message(GRAPH.initializer, t);
  graph.message(GRAPH.input, valueInfo("input", model.nin));
  for (const o of graphOutputs) graph.message(GRAPH.output, o);

  return new ProtoWriter()
    .varint(MODEL.irVersion, 8)
    .string(MODEL.producerName, "micrograd-ts")
    .string(MODEL.producerVersion, "0.1.0")
    .message(MODEL.graph, graph)
    .message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, "").varint(OPSET.version, 13))
    .finish();
}

/** A float tensor value of shape [batch, width] with a symbolic batch dimension. */
function valueInfo(name: string, width: number): ProtoWriter {
  const shape = new ProtoWriter()
    .message(SHAPE.dim, new ProtoWriter().string(DIM.param, "batch"))
    .message(SHAPE.dim, new ProtoWriter().varint(DIM.value, width));
  const tensorType = new ProtoWriter().varint(TENSOR_TYPE.elemType, FLOAT).message(TENSOR_TYPE.shape, shape);
  return new ProtoWriter()
    .string(VALUE_INFO.name, name)
    .message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType));
}
