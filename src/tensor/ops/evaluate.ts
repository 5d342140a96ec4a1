import { type Backend, type BinaryKernel, type Data, isHost, type Storage } from "../backend.ts";
import { jsBackend } from "../backends/js.ts";
import type { ElementwiseArrays, ElementwiseExpr } from "../elementwise-expr.ts";
import { type DType, dtypeOf, release, scratch } from "../tensor.ts";
import { addInto } from "./broadcast.ts";

// a op b = b op' a, for evaluating `number op array` with the scalar kernels
const SWAPPED: Partial<Record<BinaryKernel, BinaryKernel>> = {
  add: "add",
  mul: "mul",
  eq: "eq",
  ne: "ne",
  lt: "gt",
  gt: "lt",
  le: "ge",
  ge: "le",
};

/**
 * Evaluates `e` over arrays of length `n` as a chain of `k`'s forward kernels, one kernel per
 * node (the composite every fused kernel is tested against). Returns a scratch buffer that
 * the caller owns and should `release`.
 *
 * @example
 * const t = evaluate(backend(), ex.mul(ex.g, ex.y), { y, g }, y.length, "float32"); // g·y
 */
export function evaluate(
  k: Backend,
  e: ElementwiseExpr,
  inputs: ElementwiseArrays,
  n: number,
  dtype: DType,
): Storage {
  const owned = new Set<Storage>();
  const fresh = (): Storage => {
    const t = scratch(dtype, n);
    owned.add(t);
    return t;
  };
  // An owned buffer is reused for the result of the kernel that consumes it.
  const target = (a: Storage | number, b: Storage | number = 0): Storage =>
    typeof a !== "number" && owned.has(a) ? a : typeof b !== "number" && owned.has(b) ? b : fresh();
  const done = (a: Storage | number, out: Storage): void => {
    if (typeof a !== "number" && a !== out && owned.delete(a)) release(a);
  };
  const value = (node: ElementwiseExpr): Storage | number => {
    switch (node.kind) {
      case "input": {
        const data = inputs[node.name];
        if (data === undefined) throw new Error(`evaluate: the expression reads "${node.name}", not given`);
        return data;
      }
      case "const":
        return node.value;
      case "unary": {
        const a = value(node.a);
        if (typeof a === "number")
          return fold(dtype, (o) => jsBackend.unary(node.op, single(dtype, a), o, node.param));
        const out = target(a);
        k.unary(node.op, a, out, node.param);
        done(a, out);
        return out;
      }
      case "binary": {
        const a = value(node.a);
        const b = value(node.b);
        if (typeof a === "number" && typeof b === "number")
          return fold(dtype, (o) => jsBackend.binaryScalar(node.op, single(dtype, a), b, o));
        const out = target(a, b);
        if (typeof b === "number") k.binaryScalar(node.op, a as Storage, b, out);
        else if (typeof a === "number") {
          const swapped = SWAPPED[node.op];
          if (swapped !== undefined) k.binaryScalar(swapped, b, a, out);
          else k.binary(node.op, filled(k, out, b, a, dtype), b, out);
        } else k.binary(node.op, a, b, out);
        done(a, out);
        done(b, out);
        return out;
      }
    }
  };
  const v = value(e);
  if (typeof v !== "number" && owned.has(v)) return v;
  const out = scratch(dtype, n);
  if (typeof v === "number") k.fill(out, v);
  else k.binary("add", out, v, out);
  return out;
}

/** `into += e(inputs)`: one fused kernel where the backend has one, else the composite. */
export function accumulate(k: Backend, e: ElementwiseExpr, inputs: ElementwiseArrays, into: Storage): void {
  if (k.fused?.elementwise?.(e, inputs, into, true) === true) return;
  const t = evaluate(k, e, inputs, into.length, dtypeOf(into));
  addInto(into, t);
  release(t);
}

function single(dtype: DType, v: number): Data {
  const a = dtype === "float64" ? new Float64Array(1) : new Float32Array(1);
  a[0] = v;
  return a;
}

/** A kernel run on one element, for a node whose inputs are all constants. */
function fold(dtype: DType, run: (out: Data) => void): number {
  const out = single(dtype, 0);
  run(out);
  return out[0];
}

/** A buffer holding `v` everywhere, for `v op array` with no scalar form; never `out` itself if `out === b`. */
function filled(k: Backend, out: Storage, b: Storage, v: number, dtype: DType): Storage {
  const t =
    out === b
      ? isHost(b)
        ? new (b.constructor as new (n: number) => Data)(b.length)
        : scratch(dtype, b.length)
      : out;
  k.fill(t, v);
  return t;
}
