import type { Data, FusedKernels } from "../backend.ts";
import { type ElementwiseArrays, type ElementwiseExpr, exprText } from "../elementwise-expr.ts";
import { jsLayerNorm, jsLayerNormGrad } from "./js-layer-norm.ts";
import { jsSoftmaxGrad } from "./js-softmax-grad.ts";

// Fused loops for the derivative rules an MLP spends its backward pass in (ReLU, tanh,
// sigmoid): one pass instead of the three or four forward kernels of the composite. Each is
// keyed by the text of the rule's expression (engine/rules.ts) and computes exactly that
// expression; test/tensor/fused.test.ts checks each against the composite and that every key
// is still a rule's. An expression without a loop here runs as the composite.

type Loop = (x: Data, y: Data, g: Data, dx: Data) => void;

const LOOPS: Readonly<Record<string, Loop>> = {
  // ReLU: g · (x <= 0 ? 0 : 1) (a product, so an infinite or NaN g gives NaN where x <= 0)
  "mul(g, eq(le(x, 0), 0))": (x, _y, g, dx) => {
    for (let i = 0; i < dx.length; i++) dx[i] += g[i] * (x[i] <= 0 ? 0 : 1);
  },
  // tanh: g · (1 − y²)
  "mul(g, sub(1, mul(y, y)))": (_x, y, g, dx) => {
    for (let i = 0; i < dx.length; i++) dx[i] += g[i] * (1 - y[i] * y[i]);
  },
  // sigmoid: g · y(1 − y)
  "mul(g, mul(y, sub(1, y)))": (_x, y, g, dx) => {
    for (let i = 0; i < dx.length; i++) dx[i] += g[i] * (y[i] * (1 - y[i]));
  },
};

/**
 * The expressions the js backend has fused loops for (for the tests).
 *
 * @example
 * JS_FUSED_EXPRESSIONS.includes("mul(g, sub(1, mul(y, y)))"); // true: tanh's gradient
 */
export const JS_FUSED_EXPRESSIONS: readonly string[] = Object.keys(LOOPS);

const found = new WeakMap<ElementwiseExpr, Loop | null>();
const none = new Float32Array(0);

/**
 * The js backend's fused kernels: layer normalisation (js-layer-norm.ts), the softmax
 * gradient (js-softmax-grad.ts), and
 * `dx += e(x, y, g)` for the expressions in `LOOPS` (in
 * float32 they round once where the composite rounds every step: equal within float32
 * rounding; in float64, and for ReLU in both, equal exactly).
 *
 * @example
 * jsFused.elementwise?.(unaryGrad("tanh", 0), { y, g }, dx, true); // true: done in one pass
 */
export const jsFused: FusedKernels<Data> = {
  elementwise(e: ElementwiseExpr, inputs: ElementwiseArrays<Data>, out: Data, accumulate: boolean): boolean {
    if (!accumulate) return false;
    let loop = found.get(e);
    if (loop === undefined) {
      loop = LOOPS[exprText(e)] ?? null;
      found.set(e, loop);
    }
    if (loop === null) return false;
    loop(inputs.x ?? none, inputs.y ?? none, inputs.g ?? none, out);
    return true;
  },
  layerNorm: jsLayerNorm,
  layerNormGrad: jsLayerNormGrad,
  softmaxGrad: jsSoftmaxGrad,
};
