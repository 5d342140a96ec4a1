import { unaryGrad } from "../../engine/rules.ts";
import { type BinaryKernel, backend, type Storage, type UnaryKernel } from "../backend.ts";
import { broadcastShapes, type Shape, sameShape, sizeOf } from "../shape.ts";
import {
  allocate,
  type DType,
  gradFor,
  passGradient,
  release,
  result,
  scratch,
  storageFor,
  Tensor,
} from "../tensor.ts";
import { addInto, expandData, isTrailing, sumTo } from "./broadcast.ts";
import { accumulate } from "./evaluate.ts";

// Elementwise ops, each with its backward beside its forward (the unary ops' derivatives are
// the rules in engine/rules.ts). Binary ops broadcast NumPy-style
// and a plain number works as either operand; the gradient of a broadcast input is summed back
// to its own shape.

/**
 * A tensor or a plain number.
 *
 * @example
 * const y: Tensor = mul(2, tensor([1, 2])); // a number broadcasts like a scalar tensor
 */
export type TensorLike = Tensor | number;

function promote(a: Tensor, b: Tensor): DType {
  return a.dtype === "float64" || b.dtype === "float64" ? "float64" : "float32";
}

function scalarLike(x: number, like: Tensor): Tensor {
  const data = allocate(like.dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

type Arith = "add" | "sub" | "mul" | "div";

function arith(op: Arith, x: TensorLike, y: TensorLike): Tensor {
  if (typeof x === "number" && typeof y === "number") throw new TypeError(`${op}: give at least one tensor`);
  const k = backend();
  if (typeof y === "number") {
    const a = x as Tensor;
    const out = storageFor(a.dtype, a.size);
    k.binaryScalar(op, a.storage, y, out);
    return result(op, out, a.shape, [a], (g) => {
      const ga = gradFor(a);
      if (ga === null) return;
      if (op === "add" || op === "sub") addInto(ga, g);
      else {
        const t = scratch(a.dtype, a.size);
        k.binaryScalar(op, g, y, t); // g·y or g/y
        addInto(ga, t);
        release(t);
      }
    });
  }
  const a = typeof x === "number" ? scalarLike(x, y) : x;
  const b = y;
  const shape = broadcastShapes(op, a.shape, b.shape);
  const n = sizeOf(shape);
  const out = storageFor(promote(a, b), n);
  const ad = expandData(a.storage, a.shape, shape);
  // A bias-like b (repeated along a) is read in place; stretched only if backward needs it.
  const rows = ad === a.storage && b.size > 1 && b.size < n && isTrailing(b.shape, shape);
  let bd = rows ? b.storage : expandData(b.storage, b.shape, shape);
  if (rows) k.binaryRows(op, ad, bd, out);
  else k.binary(op, ad, bd, out);
  return result(op, out, shape, [a, b], (g) => {
    if (rows && (op === "mul" || op === "div")) bd = expandData(b.storage, b.shape, shape);
    // a sum's gradient flows to `a` unchanged: hand `g` itself over when a was not broadcast
    const passed = (op === "add" || op === "sub") && sameShape(a.shape, shape) && passGradient(a, g);
    const ga = passed ? null : gradFor(a);
    const gb = gradFor(b);
    const tmp = (): Storage => scratch(out instanceof Float64Array ? "float64" : "float32", n);
    // adds `t` (of the output's shape) into `into`, summing over broadcast axes
    const push = (into: Storage, t: Storage, own: Shape): void => {
      const r = sumTo(t, shape, own);
      addInto(into, r);
      if (r !== t && r !== g) release(r);
      if (t !== g) release(t);
    };
    if (ga !== null) {
      if (op === "add" || op === "sub") push(ga, g, a.shape);
      else {
        const t = tmp();
        k.binary(op, g, bd, t); // g·b or g/b
        push(ga, t, a.shape);
      }
    }
    if (gb !== null && op === "add") push(gb, g, b.shape);
    else if (gb !== null) {
      const t = tmp();
      if (op === "sub") k.binaryScalar("mul", g, -1, t);
      else if (op === "mul") k.binary("mul", g, ad, t);
      else {
        // d(a/b)/db = -a/b² = -out/b
        k.binary("mul", g, out, t);
        k.binary("div", t, bd, t);
        k.binaryScalar("mul", t, -1, t);
      }
      push(gb, t, b.shape);
    }
  });
}

/**
 * `a + b`, broadcasting.
 *
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray(); // [[11, 22], [13, 24]] (broadcast)
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return arith("add", a, b);
}

/**
 * `a - b`, broadcasting.
 *
 * @example
 * sub(1, tensor([0.25, 2])).toArray(); // [0.75, -1]
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arith("sub", a, b);
}

/**
 * `a · b` elementwise, broadcasting.
 *
 * @example
 * mul(tensor([1, 2]), tensor([3, 4])).toArray(); // [3, 8]
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arith("mul", a, b);
}

/**
 * `a / b` elementwise, broadcasting.
 *
 * @example
 * div(tensor([1, 2]), 2).toArray(); // [0.5, 1]
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return arith("div", a, b);
}

function unaryOp(op: UnaryKernel, x: Tensor, param = 0): Tensor {
  const k = backend();
  const out = storageFor(x.dtype, x.size);
  k.unary(op, x.storage, out, param);
  return result(op, out, x.shape, [x], (g) => {
    const gx = gradFor(x);
    // the derivative rule, g·f'(x), evaluated over the backend's forward kernels (or fused)
    if (gx !== null) accumulate(k, unaryGrad(op, param), { x: x.storage, y: out, g }, gx);
  });
}

/**
 * `-x`.
 *
 * @example
 * neg(tensor([1, -2])).toArray(); // [-1, 2]
 */
export function neg(x: Tensor): Tensor {
  return unaryOp("neg", x);
}

/**
 * `e^x`.
 *
 * @example
 * exp(tensor([0, 1])).toArray(); // [1, 2.718]
 */
export function exp(x: Tensor): Tensor {
  return unaryOp("exp", x);
}

/**
 * Natural logarithm.
 *
 * @example
 * log(tensor([1, Math.E])).toArray(); // [0, 1]
 */
export function log(x: Tensor): Tensor {
  return unaryOp("log", x);
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * tanh(tensor([0, 1])).toArray(); // [0, 0.7616]
 */
export function tanh(x: Tensor): Tensor {
  return unaryOp("tanh", x);
}

/**
 * `max(x, 0)`; the gradient at 0 is 0.
 *
 * @example
 * relu(tensor([-1, 2])).toArray(); // [0, 2]
 */
export function relu(x: Tensor): Tensor {
  return unaryOp("relu", x);
}

/**
 * `1 / (1 + e^-x)`, computed without overflow.
 *
 * @example
 * sigmoid(tensor([0])).toArray(); // [0.5]
 */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp("sigmoid", x);
}

/**
 * Square root.
 *
 * @example
 * sqrt(tensor([4, 9])).toArray(); // [2, 3]
 */
export function sqrt(x: Tensor): Tensor {
  return unaryOp("sqrt", x);
}

/**
 * Absolute value (gradient sign(x), 0 at 0).
 *
 * @example
 * abs(tensor([-1, 2])).toArray(); // [1, 2]
 */
export function abs(x: Tensor): Tensor {
  return unaryOp("abs", x);
}

/**
 * `x^p` for a constant exponent `p`.
 *
 * @example
 * pow(tensor([2, 3]), 2).toArray(); // [4, 9]
 */
export function pow(x: Tensor, p: number): Tensor {
  if (typeof p !== "number" || !Number.isFinite(p))
    throw new TypeError(`pow: the exponent must be a finite number, got ${p}`);
  return unaryOp("pow", x, p);
}

function compare(op: BinaryKernel, x: TensorLike, y: TensorLike): Tensor {
  if (typeof x === "number" && typeof y === "number") throw new TypeError(`${op}: give at least one tensor`);
  const k = backend();
  if (typeof y === "number") {
    const a = x as Tensor;
    const out = storageFor(a.dtype, a.size);
    k.binaryScalar(op, a.storage, y, out);
    return new Tensor(out, a.shape, { op });
  }
  const a = typeof x === "number" ? scalarLike(x, y) : x;
  const shape = broadcastShapes(op, a.shape, y.shape);
  const out = storageFor(promote(a, y), sizeOf(shape));
  k.binary(op, expandData(a.storage, a.shape, shape), expandData(y.storage, y.shape, shape), out);
  return new Tensor(out, shape, { op });
}

/**
 * 1 where `a == b`, else 0 (no gradient).
 *
 * @example
 * eq(tensor([1, 2]), 2).toArray(); // [0, 1]
 */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare("eq", a, b);
}

/**
 * 1 where `a != b`, else 0 (no gradient).
 *
 * @example
 * ne(tensor([1, 2]), 2).toArray(); // [1, 0]
 */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare("ne", a, b);
}

/**
 * 1 where `a < b`, else 0 (no gradient).
 *
 * @example
 * lt(tensor([1, 2, 3]), 2).toArray(); // [1, 0, 0]
 */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare("lt", a, b);
}

/**
 * 1 where `a <= b`, else 0 (no gradient).
 *
 * @example
 * le(tensor([1, 2, 3]), 2).toArray(); // [1, 1, 0]
 */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare("le", a, b);
}

/**
 * 1 where `a > b`, else 0 (no gradient).
 *
 * @example
 * gt(tensor([1, 2, 3]), 2).toArray(); // [0, 0, 1]
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare("gt", a, b);
}

/**
 * 1 where `a >= b`, else 0 (no gradient).
 *
 * @example
 * ge(tensor([1, 2, 3]), 2).toArray(); // [0, 1, 1]
 */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare("ge", a, b);
}
