import type { GPT } from "../nn/gpt.ts";
import { OnnxGraph } from "./onnx-graph.ts";
import { TransformerOnnx } from "./transformer-onnx.ts";

/**
 * Exports a GPT's forward pass as an ONNX model (IR 8, opset 13, float32 weights under
 * nanoGPT's names): input `ids`, int64 token ids `[batch, time]` with 1 ≤ time ≤ `block`;
 * output `logits`, `[batch, time, vocab]`, the same numbers as `GPT.forward` in evaluation
 * (dropout left out). Layer norm and GELU (tanh approximation) are written out in basic
 * nodes, the causal mask is a constant sliced to the input's length.
 *
 * @example
 * const bytes = exportGPTOnnx(gpt); // then: ort.InferenceSession.create(bytes)
 */
export function exportGPTOnnx(model: GPT, options: { readonly name?: string } = {}): Uint8Array {
  const g = new OnnxGraph();
  const { block, vocabSize } = model.config;
  const int64 = (name: string, values: number[]): string => g.constant(name, [values.length], values, true);
  // time, as a one-element int64 tensor read from the input's shape
  const time = g.node("Slice", [g.node("Shape", ["ids"]), int64("time.start", [1]), int64("time.end", [2])]);
  const zero = int64("zero", [0]);
  const nodes = new TransformerOnnx(g, causalMask(g, block, time));
  const tokens = g.node(
    "Gather",
    [nodes.parameter("transformer.wte.weight", model.wte.weight), "ids"],
    [["axis", 0]],
  );
  const wpe = nodes.parameter("transformer.wpe.weight", model.wpe.weight);
  const positions = g.node("Slice", [wpe, zero, time, zero]);
  let x = g.node("Add", [tokens, positions]);
  model.h.forEach((b, i) => {
    const name = `transformer.h.${i}`;
    x = g.node("Add", [
      x,
      nodes.attention(`${name}.attn`, b.attn, nodes.layerNorm(`${name}.ln_1`, b.ln_1, x)),
    ]);
    x = g.node("Add", [x, nodes.mlp(`${name}.mlp`, b.mlp, nodes.layerNorm(`${name}.ln_2`, b.ln_2, x))]);
  });
  const logits = nodes.linear("lm_head", model.lm_head, nodes.layerNorm("transformer.ln_f", model.ln_f, x));
  g.node("Identity", [logits], [], "logits");
  return g.finish(
    options.name ?? "micrograd-ts-gpt",
    [["ids", ["time"], "int64"]],
    [["logits", ["time", vocabSize]]],
  );
}

/** The `[time, time]` additive causal mask: 0 where a position may look, −∞ at later ones. */
function causalMask(g: OnnxGraph, block: number, time: string): string {
  const mask = new Float32Array(block * block);
  for (let i = 0; i < block; i++)
    for (let j = i + 1; j < block; j++) mask[i * block + j] = Number.NEGATIVE_INFINITY;
  const full = g.constant("causal_mask", [block, block], mask);
  const ends = g.node("Concat", [time, time], [["axis", 0]]);
  const starts = g.constant("causal_mask.start", [2], [0, 0], true);
  return g.node("Slice", [full, starts, ends, g.constant("causal_mask.axes", [2], [0, 1], true)]);
}
