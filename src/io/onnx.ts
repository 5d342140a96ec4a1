import type { Activation } from "../nn/activation.ts";
import type { MLP } from "../nn/mlp.ts";
import type { InputScaling } from "./model-json.ts";
import { OnnxGraph } from "./onnx-graph.ts";
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
  const g = new OnnxGraph();
  let current = "input";
  if (options.scaling !== undefined) {
    const { mean, std } = options.scaling;
    if (mean.length !== model.nin || std.length !== model.nin) {
      throw new RangeError(
        `exportOnnx: scaling has ${mean.length} means and ${std.length} stds for ${model.nin} inputs`,
      );
    }
    current = g.node("Sub", [current, g.constant("scaling.mean", [model.nin], mean)]);
    current = g.node("Div", [current, g.constant("scaling.std", [model.nin], std)]);
  }
  const dict = mlpStateDict(model);
  model.layers.forEach((_, i) => {
    const w = dict[`layers.${i}.weight`];
    const b = dict[`layers.${i}.bias`];
    const wName = g.constant(`layers.${i}.weight`, w.shape, w.data);
    const bName = g.constant(`layers.${i}.bias`, b.shape, b.data);
    current = g.node("Gemm", [current, wName, bName], [["transB", 1]]);
    const op = ACTIVATION_OP[model.activations[i]];
    if (op !== undefined) current = g.node(op, [current]);
  });
  const outputs = model.sizes[model.sizes.length - 1];
  // Name the last value "output" by adding an Identity node, so the graph's outputs are stable.
  g.node("Identity", [current], [], "output");
  const graphOutputs: [string, number[]][] = [["output", [outputs]]];
  if (options.probabilities) {
    g.node("Softmax", ["output"], [["axis", 1]], "probabilities");
    graphOutputs.push(["probabilities", [outputs]]);
  }
  return g.finish(options.name ?? "micrograd-ts-mlp", [["input", [model.nin]]], graphOutputs);
}
