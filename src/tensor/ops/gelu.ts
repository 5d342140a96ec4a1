import { backend, isHost } from "../backend.ts";
import { ex } from "../elementwise-expr.ts";
import { gradFor, result, storageFor, type Tensor } from "../tensor.ts";
import { accumulate, evaluate } from "./evaluate.ts";

// 2·√(2/π), and 2·√(2/π)·0.044715
const A = 2 * Math.sqrt(2 / Math.PI);
const B = A * 0.044715;

const { x, g } = ex;
// u = x·(a + b·x²), and σ(u)
const U = ex.mul(x, ex.add(ex.mul(ex.mul(x, x), B), A));
const S = ex.sigmoid(U);

/**
 * GELU as one elementwise expression of `x`: `x·σ(x·(a + b·x²))`.
 *
 * @example
 * exprText(GELU); // "mul(x, sigmoid(mul(x, add(mul(mul(x, x), …), …))))"
 */
export const GELU = ex.mul(x, S);

/**
 * GELU's gradient, `g · (σ(u) + x·σ(u)·σ(−u)·(a + 3b·x²))`: the derivative of `x·σ(u)`
 * (σ' = σ(u)(1 − σ(u)), written σ(u)·σ(−u) so nothing cancels where σ(u) is near 1), written
 * once here over forward kernels.
 *
 * @example
 * exprText(GELU_GRAD); // "mul(g, add(sigmoid(…), …))"
 */
export const GELU_GRAD = ex.mul(
  g,
  ex.add(S, ex.mul(ex.mul(x, ex.mul(S, ex.sigmoid(ex.neg(U)))), ex.add(ex.mul(ex.mul(x, x), 3 * B), A))),
);

/**
 * GELU in its tanh approximation (GPT-2's, nanoGPT's `new_gelu`, PyTorch's
 * `F.gelu(x, approximate="tanh")`): `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, computed as
 * the equal `x·σ(x·(a + b·x²))` with `a = 2√(2/π)`, `b = 0.044715·a`. One op whose forward and
 * gradient are elementwise expressions (`GELU`, `GELU_GRAD`): a backend that compiles them runs
 * each in one pass, the others evaluate them as a chain of forward kernels.
 *
 * @example
 * gelu(tensor([-1, 0, 1])).toArray(); // [-0.1588, 0, 0.8412]
 */
export function gelu(input: Tensor): Tensor {
  const k = backend();
  const inputs = { x: input.storage };
  let y = storageFor(input.dtype, input.size);
  if (k.fused?.elementwise?.(GELU, inputs, y, false) !== true) {
    if (!isHost(y)) k.free?.(y);
    y = evaluate(k, GELU, inputs, input.size, input.dtype);
  }
  return result("gelu", y, input.shape, [input], (grad) => {
    const gx = gradFor(input);
    if (gx !== null) accumulate(k, GELU_GRAD, { x: input.storage, g: grad }, gx);
  });
}
