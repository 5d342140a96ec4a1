// A tiny language of elementwise expressions over the forward kernels. Each elementwise op's
// derivative is written in it once (rules.ts); the scalar engine runs a rule as a plain-number
// function (kernels.ts), the tensor engine as a chain of a backend's forward kernels, and a
// backend that generates code (the wasm emitter, WGSL) compiles it into one fused kernel.

/**
 * Elementwise functions of one input (`pow` takes its exponent as `param`).
 *
 * @example
 * const k: UnaryKernel = "tanh";
 */
export type UnaryKernel = "neg" | "exp" | "log" | "tanh" | "relu" | "sigmoid" | "sqrt" | "abs" | "pow";

/**
 * Elementwise functions of two inputs (comparisons give 1 or 0).
 *
 * @example
 * const k: BinaryKernel = "add";
 */
export type BinaryKernel =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "max"
  | "min"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge";

/**
 * The arrays an expression reads, element by element: an op's input `x`, its output `y`, and
 * the gradient `g` flowing back into the output.
 *
 * @example
 * const name: ElementwiseInput = "y";
 */
export type ElementwiseInput = "x" | "y" | "g";

/**
 * An elementwise expression: an input array, a constant, or a forward kernel applied to
 * sub-expressions (`param` is the unary kernel's parameter, the exponent of `pow`).
 *
 * @example
 * const oneMinusYSquared: ElementwiseExpr = ex.sub(1, ex.mul(ex.y, ex.y)); // tanh's derivative
 */
export type ElementwiseExpr =
  | {
      /** Reads an input array. */
      readonly kind: "input";
      /** Which one. */
      readonly name: ElementwiseInput;
    }
  | {
      /** A constant. */
      readonly kind: "const";
      /** Its value. */
      readonly value: number;
    }
  | {
      /** A unary forward kernel. */
      readonly kind: "unary";
      /** Which kernel. */
      readonly op: UnaryKernel;
      /** Its argument. */
      readonly a: ElementwiseExpr;
      /** Its parameter (the exponent of `pow`; 0 for the others). */
      readonly param: number;
    }
  | {
      /** A binary forward kernel. */
      readonly kind: "binary";
      /** Which kernel. */
      readonly op: BinaryKernel;
      /** Its first argument. */
      readonly a: ElementwiseExpr;
      /** Its second argument. */
      readonly b: ElementwiseExpr;
    };

/** An expression, or a number standing for a constant. */
type Operand = ElementwiseExpr | number;

function lift(e: Operand): ElementwiseExpr {
  return typeof e === "number" ? { kind: "const", value: e } : e;
}

function unary(op: UnaryKernel) {
  return (a: Operand, param = 0): ElementwiseExpr => ({ kind: "unary", op, a: lift(a), param });
}

function binary(op: BinaryKernel) {
  return (a: Operand, b: Operand): ElementwiseExpr => ({ kind: "binary", op, a: lift(a), b: lift(b) });
}

/**
 * Builders of expressions, one per forward kernel, plus the inputs `x`, `y`, `g` and constants
 * (`num`; a plain number operand is one too). Comparisons give 1 or 0, as their kernels do.
 *
 * @example
 * ex.mul(ex.g, ex.sub(1, ex.mul(ex.y, ex.y))); // g · (1 − y²)
 */
export const ex = Object.freeze({
  x: { kind: "input", name: "x" } as ElementwiseExpr,
  y: { kind: "input", name: "y" } as ElementwiseExpr,
  g: { kind: "input", name: "g" } as ElementwiseExpr,
  num: (value: number): ElementwiseExpr => ({ kind: "const", value }),
  neg: unary("neg"),
  exp: unary("exp"),
  log: unary("log"),
  tanh: unary("tanh"),
  relu: unary("relu"),
  sigmoid: unary("sigmoid"),
  sqrt: unary("sqrt"),
  abs: unary("abs"),
  pow: unary("pow"),
  add: binary("add"),
  sub: binary("sub"),
  mul: binary("mul"),
  div: binary("div"),
  max: binary("max"),
  min: binary("min"),
  eq: binary("eq"),
  ne: binary("ne"),
  lt: binary("lt"),
  le: binary("le"),
  gt: binary("gt"),
  ge: binary("ge"),
});

/**
 * The expression written out in one line, e.g. `mul(g, sub(1, mul(y, y)))`: readable, and a
 * key under which a backend caches the kernel it generated for it.
 *
 * @example
 * exprText(ex.mul(ex.g, ex.y)); // "mul(g, y)"
 */
export function exprText(e: ElementwiseExpr): string {
  switch (e.kind) {
    case "input":
      return e.name;
    case "const":
      return Object.is(e.value, -0) ? "-0" : String(e.value);
    case "unary":
      return e.op === "pow" ? `pow(${exprText(e.a)}, ${e.param})` : `${e.op}(${exprText(e.a)})`;
    case "binary":
      return `${e.op}(${exprText(e.a)}, ${exprText(e.b)})`;
  }
}

/**
 * The inputs an expression reads, each once, in the order x, y, g.
 *
 * @example
 * exprInputs(ex.mul(ex.g, ex.y)); // ["y", "g"]
 */
export function exprInputs(e: ElementwiseExpr): ElementwiseInput[] {
  const seen = new Set<ElementwiseInput>();
  const visit = (n: ElementwiseExpr): void => {
    if (n.kind === "input") seen.add(n.name);
    else if (n.kind === "unary") visit(n.a);
    else if (n.kind === "binary") {
      visit(n.a);
      visit(n.b);
    }
  };
  visit(e);
  return (["x", "y", "g"] as const).filter((name) => seen.has(name));
}
