import { Value } from "../engine/value.ts";

/**
 * A parsed expression: numbers, variables, operators and function calls.
 *
 * @example
 * const tree: Expr = parseExpression("a + 2");
 * tree.kind; // "binary"
 */
export type Expr =
  | { readonly kind: "number"; readonly value: number; readonly column: number }
  | { readonly kind: "variable"; readonly name: string; readonly column: number }
  | { readonly kind: "negate"; readonly operand: Expr; readonly column: number }
  | {
      readonly kind: "binary";
      readonly op: "+" | "-" | "*" | "/" | "^";
      readonly left: Expr;
      readonly right: Expr;
      readonly column: number;
    }
  | {
      readonly kind: "call";
      readonly name: FunctionName;
      readonly args: readonly Expr[];
      readonly column: number;
    };

/**
 * Functions an expression may call, with how many arguments each takes.
 *
 * @example
 * FUNCTIONS.max; // 2: max takes two arguments
 */
export const FUNCTIONS = { exp: 1, log: 1, tanh: 1, relu: 1, sigmoid: 1, max: 2 } as const;

/**
 * Name of a function an expression may call.
 *
 * @example
 * const f: FunctionName = "sigmoid";
 */
export type FunctionName = keyof typeof FUNCTIONS;

/**
 * How deeply an expression may nest (brackets, function calls, signs and powers): deeper ones are
 * refused with an `ExpressionError`, not a stack overflow.
 *
 * @example
 * parseExpression("(".repeat(MAX_EXPRESSION_DEPTH + 1) + "x" + ")".repeat(MAX_EXPRESSION_DEPTH + 1)); // throws
 */
export const MAX_EXPRESSION_DEPTH = 500;

/**
 * A mistake in an expression, with the 1-based column where it was found.
 *
 * @example
 * try {
 *   parseExpression("a * (b");
 * } catch (e) {
 *   if (e instanceof ExpressionError) console.log(e.column, e.message);
 * }
 */
export class ExpressionError extends Error {
  /** Always `ExpressionError`. */
  override name = "ExpressionError";
  /** 1-based column of the offending character. */
  readonly column: number;
  constructor(message: string, column: number) {
    super(`expression, column ${column}: ${message}`);
    this.column = column;
  }
}

type Token =
  | { readonly type: "number"; readonly value: number; readonly column: number }
  | { readonly type: "name"; readonly text: string; readonly column: number }
  | { readonly type: "symbol"; readonly text: string; readonly column: number }
  | { readonly type: "end"; readonly column: number };

const SYMBOLS = ["**", "+", "-", "*", "/", "^", "(", ")", ","];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ type: "number", value: Number(number[0]), column: i + 1 });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z_0-9]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ type: "name", text: name[0], column: i + 1 });
      i += name[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
    if (symbol === undefined) throw new ExpressionError(`unexpected character "${c}"`, i + 1);
    tokens.push({ type: "symbol", text: symbol === "**" ? "^" : symbol, column: i + 1 });
    i += symbol.length;
  }
  tokens.push({ type: "end", column: source.length + 1 });
  return tokens;
}

function describe(t: Token): string {
  switch (t.type) {
    case "end":
      return "the end of the expression";
    case "number":
      return `the number ${t.value}`;
    case "name":
      return `"${t.text}"`;
    case "symbol":
      return `"${t.text}"`;
  }
}

/**
 * Parses an arithmetic expression over named variables:
 * `+ - * /`, `^` or `**` (power, right-associative, binds tighter than unary minus), unary
 * minus, parentheses, numbers (`2`, `0.5`, `1e-3`) and the functions `exp log tanh relu
 * sigmoid` (one argument) and `max` (two). Throws `ExpressionError` with the column on bad
 * syntax or an unknown function.
 *
 * @example
 * parseExpression("tanh(x1*w1 + x2*w2 + b)");
 */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token => tokens[at];
  const isSymbol = (text: string): boolean => {
    const t = tokens[at];
    return t.type === "symbol" && t.text === text;
  };
  const expect = (text: string, context: string): void => {
    if (!isSymbol(text))
      throw new ExpressionError(`expected "${text}" ${context}, found ${describe(peek())}`, peek().column);
    at++;
  };

  const sum = (): Expr => {
    let left = product();
    while (isSymbol("+") || isSymbol("-")) {
      const t = tokens[at++] as Token & { text: "+" | "-" };
      left = { kind: "binary", op: t.text, left, right: product(), column: t.column };
    }
    return left;
  };
  const product = (): Expr => {
    let left = unary();
    while (isSymbol("*") || isSymbol("/")) {
      const t = tokens[at++] as Token & { text: "*" | "/" };
      left = { kind: "binary", op: t.text, left, right: unary(), column: t.column };
    }
    return left;
  };
  // Every level of nesting (brackets, calls, signs, powers) passes through unary: count it there.
  let depth = 0;
  const unary = (): Expr => {
    if (++depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionError(
        `nested more than ${MAX_EXPRESSION_DEPTH} levels deep (brackets, calls and signs); write it flatter`,
        peek().column,
      );
    }
    try {
      return signed();
    } finally {
      depth--;
    }
  };
  const signed = (): Expr => {
    if (isSymbol("-")) {
      const column = tokens[at++].column;
      return { kind: "negate", operand: unary(), column };
    }
    if (isSymbol("+")) {
      at++;
      return unary();
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (!isSymbol("^")) return base;
    const column = tokens[at++].column;
    return { kind: "binary", op: "^", left: base, right: unary(), column };
  };
  const atom = (): Expr => {
    const t = tokens[at];
    if (t.type === "number") {
      at++;
      return { kind: "number", value: t.value, column: t.column };
    }
    if (t.type === "name") {
      at++;
      if (!isSymbol("(")) return { kind: "variable", name: t.text, column: t.column };
      if (!Object.hasOwn(FUNCTIONS, t.text)) {
        throw new ExpressionError(
          `unknown function "${t.text}" (known: ${Object.keys(FUNCTIONS).join(", ")})`,
          t.column,
        );
      }
      const name = t.text as FunctionName;
      at++;
      const args = [sum()];
      while (isSymbol(",")) {
        at++;
        args.push(sum());
      }
      expect(")", `to close ${name}(`);
      if (args.length !== FUNCTIONS[name]) {
        const n = FUNCTIONS[name];
        throw new ExpressionError(
          `${name} takes ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`,
          t.column,
        );
      }
      return { kind: "call", name, args, column: t.column };
    }
    if (t.type === "symbol" && t.text === "(") {
      at++;
      const inner = sum();
      expect(")", `to close the "(" at column ${t.column}`);
      return inner;
    }
    throw new ExpressionError(`expected a number, a name or "(", found ${describe(t)}`, t.column);
  };

  if (peek().type === "end") throw new ExpressionError("the expression is empty", 1);
  const expr = sum();
  if (peek().type !== "end") {
    throw new ExpressionError(`expected an operator or the end, found ${describe(peek())}`, peek().column);
  }
  return expr;
}

/**
 * The variable names an expression uses, in order of first appearance.
 *
 * @example
 * expressionVariables(parseExpression("tanh(a * b + c)")); // ["a", "b", "c"]
 */
export function expressionVariables(expr: Expr): string[] {
  const names: string[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === "variable" && !names.includes(e.name)) names.push(e.name);
    else if (e.kind === "negate") walk(e.operand);
    else if (e.kind === "binary") {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === "call") e.args.forEach(walk);
  };
  walk(expr);
  return names;
}

/**
 * An expression turned into a graph of `Value`s.
 *
 * @example
 * const { output, variables }: BuiltExpression = buildExpression("a * b", { a: 2, b: 3 });
 */
export interface BuiltExpression {
  /** The expression's value: call `backward()` on it. */
  readonly output: Value;
  /** One leaf per variable, labelled with its name. */
  readonly variables: ReadonlyMap<string, Value>;
}

/**
 * Builds the `Value` graph of an expression (a string or a parsed `Expr`), with one labelled
 * leaf per variable taken from `values`. A variable without a value is an `ExpressionError`
 * at its column; so is a power whose exponent uses variables (the engine's `pow` takes a
 * constant).
 *
 * @example
 * const { output } = buildExpression("tanh(x1*w1 + x2*w2 + b)", { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.88 });
 * output.backward();
 */
export function buildExpression(
  expression: string | Expr,
  values: Readonly<Record<string, number>>,
): BuiltExpression {
  const expr = typeof expression === "string" ? parseExpression(expression) : expression;
  const variables = new Map<string, Value>();
  const build = (e: Expr): Value => {
    switch (e.kind) {
      case "number":
        return new Value(e.value);
      case "variable": {
        const known = variables.get(e.name);
        if (known) return known;
        if (!Object.hasOwn(values, e.name)) {
          throw new ExpressionError(`no value given for the variable "${e.name}"`, e.column);
        }
        const v = new Value(values[e.name], e.name);
        variables.set(e.name, v);
        return v;
      }
      case "negate":
        return build(e.operand).neg();
      case "binary": {
        if (e.op === "^") return build(e.left).pow(constantOf(e.right));
        const left = build(e.left);
        const right = build(e.right);
        if (e.op === "+") return left.add(right);
        if (e.op === "-") return left.sub(right);
        if (e.op === "*") return left.mul(right);
        return left.div(right);
      }
      case "call": {
        const [a, b] = e.args.map(build);
        return e.name === "max" ? a.max(b) : a[e.name]();
      }
    }
  };
  return { output: build(expr), variables };
}

/** The number a variable-free expression stands for (for exponents). */
function constantOf(e: Expr): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "variable":
      throw new ExpressionError(
        `the exponent must be a number, not the variable "${e.name}" (pow takes a constant exponent)`,
        e.column,
      );
    case "negate":
      return -constantOf(e.operand);
    case "binary": {
      const a = constantOf(e.left);
      const b = constantOf(e.right);
      return e.op === "+"
        ? a + b
        : e.op === "-"
          ? a - b
          : e.op === "*"
            ? a * b
            : e.op === "/"
              ? a / b
              : a ** b;
    }
    case "call":
      throw new ExpressionError(`the exponent must be a number, not a call of ${e.name}`, e.column);
  }
}
