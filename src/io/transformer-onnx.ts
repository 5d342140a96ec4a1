import type { CausalSelfAttention } from "../nn/attention.ts";
import type { LayerNorm } from "../nn/layer-norm.ts";
import type { Linear } from "../nn/linear.ts";
import type { TransformerMLP } from "../nn/transformer-block.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { OnnxGraph } from "./onnx-graph.ts";

// The pieces of a transformer block as opset-13 ONNX nodes, each the same arithmetic as our
// forward pass. Opset 13 has no LayerNormalization or Gelu node, so both are written out; axes
// are positive (the protobuf writer takes no negative integers).

/**
 * Writes the ONNX nodes of a transformer's layers into one graph: every parameter becomes an
 * initializer under the `name` it is given (nanoGPT's), the scalars the formulas need are
 * written once, and each method returns the name of its output value.
 *
 * @example
 * const nodes = new TransformerOnnx(g, causalMaskValue);
 * x = nodes.layerNorm("transformer.ln_f", gpt.ln_f, x);
 */
export class TransformerOnnx {
  readonly #g: OnnxGraph;
  readonly #mask: string;
  readonly #scalars = new Map<number, string>();

  /** `mask` names a `[time, time]` value: 0 on and below the diagonal, −∞ above it. */
  constructor(g: OnnxGraph, mask: string) {
    this.#g = g;
    this.#mask = mask;
  }

  /** A float32 scalar constant (one initializer per value). */
  scalar(value: number): string {
    let name = this.#scalars.get(value);
    if (name === undefined) {
      name = this.#g.constant(`scalar_${this.#scalars.size}`, [], [value]);
      this.#scalars.set(value, name);
    }
    return name;
  }

  /** A parameter as an initializer named `name`. */
  parameter(name: string, p: Tensor): string {
    return this.#g.constant(name, p.shape, p.data);
  }

  /** `x @ weight (+ bias)`: our weights are already `[in, out]`, what `MatMul` wants. */
  linear(name: string, layer: Linear, x: string): string {
    const y = this.#g.node("MatMul", [x, this.parameter(`${name}.weight`, layer.weight)]);
    if (layer.bias === null) return y;
    return this.#g.node("Add", [y, this.parameter(`${name}.bias`, layer.bias)]);
  }

  /** (x − mean) / √(variance + ε) · weight + bias over the last axis of `[batch, time, embd]` (biased variance, as ours). */
  layerNorm(name: string, norm: LayerNorm, x: string): string {
    const g = this.#g;
    const mean = (v: string): string => g.node("ReduceMean", [v], [["axes", [2]]]);
    const centred = g.node("Sub", [x, mean(x)]);
    const variance = mean(g.node("Mul", [centred, centred]));
    const std = g.node("Sqrt", [g.node("Add", [variance, this.scalar(norm.eps)])]);
    const scaled = g.node("Mul", [
      g.node("Div", [centred, std]),
      this.parameter(`${name}.weight`, norm.weight),
    ]);
    return g.node("Add", [scaled, this.parameter(`${name}.bias`, norm.bias)]);
  }

  /** GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  gelu(x: string): string {
    const g = this.#g;
    const cube = g.node("Mul", [g.node("Mul", [x, x]), x]);
    const inner = g.node("Add", [x, g.node("Mul", [cube, this.scalar(0.044715)])]);
    const t = g.node("Tanh", [g.node("Mul", [inner, this.scalar(Math.sqrt(2 / Math.PI))])]);
    return g.node("Mul", [g.node("Mul", [x, this.scalar(0.5)]), g.node("Add", [t, this.scalar(1)])]);
  }

  /** The block's MLP: `c_fc`, GELU, `c_proj` (dropout is training only). */
  mlp(name: string, mlp: TransformerMLP, x: string): string {
    return this.linear(`${name}.c_proj`, mlp.c_proj, this.gelu(this.linear(`${name}.c_fc`, mlp.c_fc, x)));
  }

  /**
   * Causal self-attention on `[batch, time, embd]`: q, k, v cut from `c_attn`'s output, split
   * into heads `[batch, heads, time, d]`, softmax(q·kᵀ/√d + mask)·v, heads joined, `c_proj`.
   */
  attention(name: string, attn: CausalSelfAttention, x: string): string {
    const g = this.#g;
    const embd = attn.c_attn.nin;
    const h = attn.heads;
    const d = embd / h;
    const qkv = this.linear(`${name}.c_attn`, attn.c_attn, x);
    const lastAxis = g.constant(`${name}.qkv.axes`, [1], [2], true);
    const headsShape = g.constant(`${name}.heads.shape`, [4], [0, 0, h, d], true);
    const part = (i: number): string => {
      const from = g.constant(`${name}.qkv.${i}.start`, [1], [i * embd], true);
      const to = g.constant(`${name}.qkv.${i}.end`, [1], [(i + 1) * embd], true);
      const slice = g.node("Slice", [qkv, from, to, lastAxis]);
      return g.node("Transpose", [g.node("Reshape", [slice, headsShape])], [["perm", [0, 2, 1, 3]]]);
    };
    const [q, k, v] = [part(0), part(1), part(2)];
    const kT = g.node("Transpose", [k], [["perm", [0, 1, 3, 2]]]);
    const scores = g.node("Mul", [g.node("MatMul", [q, kT]), this.scalar(1 / Math.sqrt(d))]);
    const weights = g.node("Softmax", [g.node("Add", [scores, this.#mask])], [["axis", 3]]);
    const y = g.node("Transpose", [g.node("MatMul", [weights, v])], [["perm", [0, 2, 1, 3]]]);
    const joined = g.node("Reshape", [y, g.constant(`${name}.joined.shape`, [3], [0, 0, embd], true)]);
    return this.linear(`${name}.c_proj`, attn.c_proj, joined);
  }
}
