import type { Tensor } from "../tensor.ts";
import { add, mul, pow, sigmoid } from "./elementwise.ts";

const K = Math.sqrt(2 / Math.PI);

/**
 * GELU in its tanh approximation (GPT-2's, nanoGPT's `new_gelu`, PyTorch's
 * `F.gelu(x, approximate="tanh")`): `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, computed as
 * the equal `x·σ(2·√(2/π)·(x + 0.044715·x³))` from the tensor ops (so its gradient is theirs).
 *
 * @example
 * gelu(tensor([-1, 0, 1])).toArray(); // [-0.1588, 0, 0.8412]
 */
export function gelu(x: Tensor): Tensor {
  const inner = mul(add(x, mul(pow(x, 3), 0.044715)), 2 * K);
  return mul(x, sigmoid(inner));
}
