import { ProtoWriter } from "./protobuf.ts";

// ONNX protobuf field numbers (onnx/onnx.proto3).
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
 * A node attribute: an integer or a list of integers.
 *
 * @example
 * const a: OnnxAttribute = ["strides", [2, 2]];
 */
export type OnnxAttribute = readonly [name: string, value: number | readonly number[]];

/**
 * A graph input or output: its name, the shape of one sample (after the symbolic `batch`
 * dimension; a string names another symbolic dimension, e.g. `"time"`) and, for token ids,
 * `"int64"` (default float32).
 *
 * @example
 * const ids: OnnxValue = ["ids", ["time"], "int64"]; // [batch, time] int64
 */
export type OnnxValue = readonly [
  name: string,
  dims: readonly (number | string)[],
  type?: "float32" | "int64",
];

/**
 * An ONNX graph being written (IR 8, opset 13, values with a symbolic batch dimension):
 * nodes in order, constants as initializers, then `finish` gives the model's bytes. What both
 * exporters (`exportOnnx`, `exportSequentialOnnx`) share.
 *
 * @example
 * const g = new OnnxGraph();
 * const y = g.node("Relu", ["input"]);
 * g.node("Identity", [y], [], "output");
 * const bytes = g.finish("relu", [["input", [3]]], [["output", [3]]]);
 */
export class OnnxGraph {
  readonly #nodes: ProtoWriter[] = [];
  readonly #initializers: ProtoWriter[] = [];
  #counter = 0;

  /** Adds node `op` over `inputs`; returns its output's name (`output`, or a fresh one). */
  node(
    op: string,
    inputs: readonly string[],
    attributes: readonly OnnxAttribute[] = [],
    output?: string,
  ): string {
    const out = output ?? `${op.toLowerCase()}_${this.#counter++}`;
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
    this.#nodes.push(n);
    return out;
  }

  /** Adds a constant tensor (float32, or int64 for shapes) named `name`; returns the name. */
  constant(name: string, dims: readonly number[], values: ArrayLike<number>, int64 = false): string {
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
    this.#initializers.push(t);
    return name;
  }

  /** The model's bytes: graph `name` with the given inputs and outputs (name, per-sample shape). */
  finish(name: string, inputs: readonly OnnxValue[], outputs: readonly OnnxValue[]): Uint8Array {
    const graph = new ProtoWriter();
    for (const n of this.#nodes) graph.message(GRAPH.node, n);
    graph.string(GRAPH.name, name);
    for (const t of this.#initializers) graph.message(GRAPH.initializer, t);
    for (const v of inputs) graph.message(GRAPH.input, valueInfo(v));
    for (const v of outputs) graph.message(GRAPH.output, valueInfo(v));
    return new ProtoWriter()
      .varint(MODEL.irVersion, 8)
      .string(MODEL.producerName, "micrograd-ts")
      .string(MODEL.producerVersion, "0.1.0")
      .message(MODEL.graph, graph)
      .message(MODEL.opsetImport, new ProtoWriter().string(OPSET.domain, "").varint(OPSET.version, 13))
      .finish();
  }
}

/** A tensor value of shape [batch, ...dims] with a symbolic batch dimension. */
function valueInfo([name, dims, type = "float32"]: OnnxValue): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of ["batch", ...dims]) {
    const dim = new ProtoWriter();
    shape.message(SHAPE.dim, typeof d === "string" ? dim.string(DIM.param, d) : dim.varint(DIM.value, d));
  }
  const tensorType = new ProtoWriter()
    .varint(TENSOR_TYPE.elemType, type === "int64" ? INT64 : FLOAT)
    .message(TENSOR_TYPE.shape, shape);
  return new ProtoWriter()
    .string(VALUE_INFO.name, name)
    .message(VALUE_INFO.type, new ProtoWriter().message(TYPE.tensorType, tensorType));
}
