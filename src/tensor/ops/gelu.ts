import type { Tensor } from "../tensor.ts";
import { add, mul, sigmoid } from "./elementwise.ts";

// 2·√(2/π), and 2·√(2/π)·0.044715
const A = 2 * Math.sqrt(2 / Math.PI);
const B = A * 0.044715;

/**
 * GELU in its tanh approximation (GPT-2's, nanoGPT's `new_gelu`, PyTorch's
 * `F.gelu(x, approximate="tanh")`): `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, computed as
 * the equal `x·σ(x·(a + b·x²))` with `a = 2√(2/π)`, `b = 0.044715·a`, from the tensor ops (so its
 * gradient is theirs; products instead of `pow`, which is slow).
 *
 * @example
 * gelu(tensor([-1, 0, 1])).toArray(); // [-0.1588, 0, 0.8412]
 */
export function gelu(x: Tensor): Tensor {
  return mul(x, sigmoid(mul(x, add(mul(mul(x, x), B), A))));
}
