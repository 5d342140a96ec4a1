// Elementwise kernels generated from expressions (../../elementwise-expr.ts): the forward kernels (tanh,
// exp, ...) and, compiled when first asked for, the fused kernels of derivative rules, e.g.
// ReLU's `g · (x <= 0 ? 0 : 1)` in one pass. No derivative is written here: the expression
// comes from the op's rule in ../../ops/.

import type { BinaryKernel, UnaryKernel } from "../../backend.ts";
import { type ElementwiseExpr, type ElementwiseInput, ex, exprInputs } from "../../elementwise-expr.ts";
import { Code, I32, type ModuleBuilder, OP, SIMD, V128, type ValType } from "./emitter.ts";
import { exp, fv, log, sigmoid, type Temps, tanh, temps } from "./math-kernels.ts";

/** f32x4 opcodes of the binary kernels that are one instruction (the rest: see `binary`). */
const ARITH: Partial<Record<BinaryKernel, number>> = {
  add: SIMD.f32x4_add,
  sub: SIMD.f32x4_sub,
  mul: SIMD.f32x4_mul,
  div: SIMD.f32x4_div,
};

const COMPARE: Partial<Record<BinaryKernel, number>> = {
  eq: SIMD.f32x4_eq,
  ne: SIMD.f32x4_ne,
  lt: SIMD.f32x4_lt,
  le: SIMD.f32x4_le,
  gt: SIMD.f32x4_gt,
  ge: SIMD.f32x4_ge,
};

/** Whether every node of `e` has a WebAssembly form (`pow` has none: the js kernel runs it). */
export function compilable(e: ElementwiseExpr): boolean {
  switch (e.kind) {
    case "input":
    case "const":
      return true;
    case "unary":
      return e.op !== "pow" && compilable(e.a);
    case "binary":
      return compilable(e.a) && compilable(e.b);
  }
}

/**
 * The code of `f(...inputs, out, n)`: `out[i] = e(...)` (or `+=` when `accumulate`) for
 * ceil(n/4)·4 floats, with one byte address per input `e` reads, in the order of `exprInputs`
 * (buffers padded to 16 bytes). `e` must be `compilable`.
 */
export function exprKernel(e: ElementwiseExpr, accumulate: boolean): Code {
  const names = exprInputs(e);
  const c = new Code([...names.map((): ValType => I32), I32, I32], []);
  const ptr = new Map<ElementwiseInput, number>(names.map((name, i) => [name, i]));
  const out = names.length;
  const n = names.length + 1;
  const at = c.local(I32);
  const end = c.local(I32);
  const t = temps(c);
  const load = new Map<ElementwiseInput, number>(names.map((name) => [name, c.local(V128)]));
  c.get(n).i32(2).op(OP.i32_shl).set(end);
  c.i32(0).get(end).op(OP.i32_lt_s);
  c.if(() => {
    c.loop(() => {
      for (const [name, local] of load) {
        c.get(ptr.get(name) as number)
          .get(at)
          .op(OP.i32_add)
          .simdMem(SIMD.v128_load, 0, 0)
          .set(local);
      }
      c.get(out).get(at).op(OP.i32_add);
      if (accumulate) c.get(out).get(at).op(OP.i32_add).simdMem(SIMD.v128_load, 0, 0);
      push(c, e, load, t, shared(c, e));
      if (accumulate) c.simd(SIMD.f32x4_add);
      c.simdMem(SIMD.v128_store, 0, 0);
      c.get(at).i32(16).op(OP.i32_add).tee(at).get(end).op(OP.i32_lt_s).brIf(0);
    });
  });
  return c;
}

/**
 * A vector local for each computed node that `e` reaches more than once (the same object, as
 * in GELU's gradient, which reads σ(u) twice): computed at its first use, read back after.
 */
function shared(c: Code, e: ElementwiseExpr): Map<ElementwiseExpr, { local: number; done: boolean }> {
  const seen = new Set<ElementwiseExpr>();
  const out = new Map<ElementwiseExpr, { local: number; done: boolean }>();
  const visit = (n: ElementwiseExpr): void => {
    if (n.kind === "input" || n.kind === "const") return;
    if (seen.has(n)) {
      if (!out.has(n)) out.set(n, { local: c.local(V128), done: false });
      return;
    }
    seen.add(n);
    visit(n.a);
    if (n.kind === "binary") visit(n.b);
  };
  visit(e);
  return out;
}

type Shared = ReadonlyMap<ElementwiseExpr, { readonly local: number; done: boolean }>;

/** Pushes the f32x4 value of `e` (a shared node computed once, then read from its local). */
function push(
  c: Code,
  e: ElementwiseExpr,
  load: ReadonlyMap<ElementwiseInput, number>,
  t: Temps,
  reuse: Shared,
): void {
  const s = reuse.get(e);
  if (s?.done === true) {
    c.get(s.local);
    return;
  }
  compute(c, e, load, t, reuse);
  if (s !== undefined) {
    c.tee(s.local);
    s.done = true;
  }
}

function compute(
  c: Code,
  e: ElementwiseExpr,
  load: ReadonlyMap<ElementwiseInput, number>,
  t: Temps,
  reuse: Shared,
): void {
  switch (e.kind) {
    case "input":
      c.get(load.get(e.name) as number);
      return;
    case "const":
      fv(c, e.value);
      return;
    case "unary":
      unary(c, e.op, () => push(c, e.a, load, t, reuse), t);
      return;
    case "binary": {
      const op = ARITH[e.op] ?? COMPARE[e.op];
      if (op !== undefined) {
        push(c, e.a, load, t, reuse);
        push(c, e.b, load, t, reuse);
        c.simd(op);
        // a comparison's lanes are all ones or zeros: keep the bits of 1.0 where true
        if (COMPARE[e.op] !== undefined) fv(c, 1).simd(SIMD.v128_and);
        return;
      }
      // max, min: `a >= b || a is NaN ? a : b` (NaN wins, as in the js kernels)
      const a = c.local(V128);
      const b = c.local(V128);
      push(c, e.a, load, t, reuse);
      c.set(a);
      push(c, e.b, load, t, reuse);
      c.set(b);
      c.get(a)
        .get(b)
        .get(a)
        .get(b)
        .simd(e.op === "max" ? SIMD.f32x4_ge : SIMD.f32x4_le);
      c.get(a).get(a).simd(SIMD.f32x4_ne).simd(SIMD.v128_or).simd(SIMD.v128_bitselect);
      return;
    }
  }
}

function unary(c: Code, op: UnaryKernel, arg: () => void, t: Temps): void {
  const simple: Partial<Record<UnaryKernel, number>> = {
    neg: SIMD.f32x4_neg,
    sqrt: SIMD.f32x4_sqrt,
    abs: SIMD.f32x4_abs,
  };
  const one = simple[op];
  if (one !== undefined) {
    arg();
    c.simd(one);
    return;
  }
  if (op === "relu") {
    // max(x, 0) propagates NaN and gives +0 for -0: exactly `x <= 0 ? 0 : x`
    arg();
    fv(c, 0).simd(SIMD.f32x4_max);
    return;
  }
  const x = c.local(V128);
  arg();
  c.set(x);
  if (op === "exp") exp(c, x, t);
  else if (op === "log") log(c, x, t);
  else if (op === "tanh") tanh(c, x, c.local(V128), t);
  else if (op === "sigmoid") sigmoid(c, x, c.local(V128), t);
  else throw new Error(`wasm: no kernel for ${op}`);
}

/** The unary forward kernels the module exports, each `name(src, dst, n)`. */
export const ELEMENTWISE = ["exp", "log", "tanh", "sigmoid", "relu"] as const;

/** One of `ELEMENTWISE`. */
export type ElementwiseKernel = (typeof ELEMENTWISE)[number];

/** Adds the forward kernels of `ELEMENTWISE`, generated from `op(x)`, to the module. */
export function addElementwise(mb: ModuleBuilder): void {
  for (const op of ELEMENTWISE) mb.add(exprKernel(ex[op](ex.x), false), op);
}
