import type { BinaryKernel, UnaryKernel } from "../../backend.ts";
import type { ElementwiseExpr, ElementwiseInput } from "../../elementwise-expr.ts";

// Elementwise kernels as WGSL, generated from an expression in the language the ops' derivative
// rules are written in (../../elementwise-expr.ts): each forward kernel is one line of WGSL in
// the tables below, so the forward ops and every derivative rule compile to single kernels,
// with no per-op shader written by hand. NaN and ±∞ follow the js backend (NaN wins max/min,
// ReLU passes NaN), tested by bit pattern, since WGSL may otherwise assume finite floats.

/** How a kernel reads one input: element i, element i mod the row width, or one number. */
export type InputMode = "each" | "rows" | "scalar";

/** An elementwise kernel to generate. */
export interface ElementwiseSpec {
  readonly expr: ElementwiseExpr;
  /** The inputs it reads, each bound once (or read from `out` when it is `out`). */
  readonly inputs: readonly {
    readonly name: ElementwiseInput;
    readonly mode: InputMode;
    readonly isOut: boolean;
  }[];
  /** `out[i] += e` rather than `out[i] = e`. */
  readonly accumulate: boolean;
}

const UNARY: Readonly<Record<UnaryKernel, (a: string, p: number) => string>> = {
  neg: (a) => `(-${a})`,
  exp: (a) => `exp(${a})`,
  log: (a) => `log(${a})`,
  tanh: (a) => `tanh_(${a})`,
  relu: (a) => `relu_(${a})`,
  sigmoid: (a) => `sigmoid_(${a})`,
  sqrt: (a) => `sqrt(${a})`,
  abs: (a) => `abs(${a})`,
  pow: (a, p) => (p === 2 ? `sq_(${a})` : `pow_(${a}, ${f32(p)})`),
};

const BINARY: Readonly<Record<BinaryKernel, (a: string, b: string) => string>> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  max: (a, b) => `max_(${a}, ${b})`,
  min: (a, b) => `min_(${a}, ${b})`,
  eq: (a, b) => `f32(${a} == ${b})`,
  ne: (a, b) => `f32(${a} != ${b})`,
  lt: (a, b) => `f32(${a} < ${b})`,
  le: (a, b) => `f32(${a} <= ${b})`,
  gt: (a, b) => `f32(${a} > ${b})`,
  ge: (a, b) => `f32(${a} >= ${b})`,
};

/** Helper functions every elementwise kernel may call. */
export const MATH_WGSL = /* wgsl */ `
fn isnan_(a: f32) -> bool { return (bitcast<u32>(a) & 0x7fffffffu) > 0x7f800000u; }
fn keep_(u: u32) -> u32 { return u; }
fn nan_() -> f32 { return bitcast<f32>(keep_(0x7fc00000u)); }
fn inf_() -> f32 { return bitcast<f32>(keep_(0x7f800000u)); }
fn sq_(a: f32) -> f32 { return a * a; }
fn relu_(a: f32) -> f32 { return select(a, 0.0, a <= 0.0); }
fn max_(a: f32, b: f32) -> f32 { return select(b, a, a >= b || isnan_(a)); }
fn min_(a: f32, b: f32) -> f32 { return select(b, a, a <= b || isnan_(a)); }
fn tanh_(a: f32) -> f32 {
  let e = exp(-2.0 * abs(a));
  let t = (1.0 - e) / (1.0 + e);
  return select(t, -t, a < 0.0);
}
fn sigmoid_(a: f32) -> f32 {
  if (a >= 0.0) { return 1.0 / (1.0 + exp(-a)); }
  let e = exp(a);
  return e / (1.0 + e);
}
fn pow_(a: f32, p: f32) -> f32 {
  if (p == 0.0) { return 1.0; }
  if (isnan_(a)) { return a; }
  if (a == 0.0) { return select(inf_(), 0.0, p > 0.0); }
  let r = exp2(p * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (floor(p) != p) { return nan_(); }
  return select(r, -r, floor(p * 0.5) != p * 0.5);
}
`;

/**
 * A number as an exact WGSL f32 (by its bits, so -0 survives; ±∞ and NaN go through `keep_`,
 * since WGSL rejects them in constant expressions).
 */
export function f32(v: number): string {
  const bits = `0x${new Uint32Array(Float32Array.of(v).buffer)[0].toString(16)}u`;
  return Number.isFinite(Math.fround(v)) ? `bitcast<f32>(${bits})` : `bitcast<f32>(keep_(${bits}))`;
}

function code(e: ElementwiseExpr): string {
  switch (e.kind) {
    case "input":
      return `v_${e.name}`;
    case "const":
      return f32(e.value);
    case "unary":
      return UNARY[e.op](code(e.a), e.param);
    case "binary":
      return BINARY[e.op](code(e.a), code(e.b));
  }
}

/**
 * The WGSL of an elementwise kernel. Bindings: 0 the parameters (`[n, row width, scalar bits]`),
 * then each input that is not `out`, then `out`.
 *
 * @example
 * elementwiseWgsl({ expr: ex.mul(ex.g, ex.y), inputs: [...], accumulate: true });
 */
export function elementwiseWgsl(spec: ElementwiseSpec): string {
  const lines: string[] = ["@group(0) @binding(0) var<storage, read> prm: array<u32>;"];
  const reads: string[] = [];
  let binding = 1;
  for (const input of spec.inputs) {
    const at = input.mode === "rows" ? "i % prm[1]" : "i";
    if (input.mode === "scalar") reads.push(`let v_${input.name} = bitcast<f32>(prm[2]);`);
    else if (input.isOut) reads.push(`let v_${input.name} = out[${at}];`);
    else {
      lines.push(`@group(0) @binding(${binding++}) var<storage, read> in_${input.name}: array<f32>;`);
      reads.push(`let v_${input.name} = in_${input.name}[${at}];`);
    }
  }
  lines.push(`@group(0) @binding(${binding}) var<storage, read_write> out: array<f32>;`);
  const value = code(spec.expr);
  return `${lines.join("\n")}
${MATH_WGSL}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.x + gid.y * nw.x * 256u;
  if (i >= prm[0]) { return; }
  ${reads.join("\n  ")}
  out[i] = ${spec.accumulate ? "out[i] + " : ""}${value};
}
`;
}
