/**
 * The learner's engine: micrograd's `Value` in TypeScript, to read top to bottom.
 *
 * A `Value` is a number that remembers how it was made: the op, its inputs, and how the output
 * changes with each input (the local derivatives). `backward()` lists every value the output
 * depends on in topological order (each after its inputs), then walks that list backwards,
 * passing each value's gradient to its inputs by the chain rule.
 *
 * The fast engine (`Value` from `micrograd-ts`) has the same API and gives the same numbers; it
 * stores the same graph in typed arrays instead of objects (see docs/design/engine.md), and the
 * tests check it against this one.
 */

/**
 * The primitive that made a value (`leaf`: made with `new Value`).
 *
 * @example
 * const op: LearnOpName = new Value(1).exp().op; // "exp"
 */
export type LearnOpName =
  | "leaf"
  | "add"
  | "mul"
  | "max"
  | "pow"
  | "exp"
  | "log"
  | "tanh"
  | "relu"
  | "sigmoid";

/**
 * A number that remembers how it was computed, so that `backward()` can fill in the gradient of
 * every value it depends on.
 *
 * @example
 * const a = new Value(2), b = new Value(-3);
 * const y = a.mul(b).add(10).tanh();
 * y.backward();
 * a.grad; // dy/da
 */
export class Value {
  /** The number. */
  data: number;
  /** d(output)/d(this), filled in by `backward()`. */
  grad = 0;
  /** A name, for printing. */
  label: string;
  /** The primitive that made this value. */
  readonly op: LearnOpName;
  /** The values this one was computed from (none for a leaf). */
  readonly inputs: readonly Value[];
  /** d(this)/d(input) for each input, worked out from the current numbers when asked. */
  readonly localGrads: () => readonly number[];

  constructor(
    data: number,
    label = "",
    op: LearnOpName = "leaf",
    inputs: readonly Value[] = [],
    localGrads = noGrads,
  ) {
    if (typeof data !== "number") throw new TypeError(`Value: data must be a number, got ${typeof data}`);
    this.data = data;
    this.label = label;
    this.op = op;
    this.inputs = inputs;
    this.localGrads = localGrads;
  }

  // Each primitive: the output, and right beside it the derivative of the output by each input.

  /** `this + other`. d/dthis = 1, d/dother = 1. */
  add(other: Value | number): Value {
    const o = toValue(other);
    return new Value(this.data + o.data, "", "add", [this, o], () => [1, 1]);
  }
  /** `this · other`. d/dthis = other, d/dother = this. */
  mul(other: Value | number): Value {
    const o = toValue(other);
    return new Value(this.data * o.data, "", "mul", [this, o], () => [o.data, this.data]);
  }
  /** The larger of the two; the gradient goes to the larger one (a tie splits it). NaN wins. */
  max(other: Value | number): Value {
    const o = toValue(other);
    const out = this.data >= o.data || Number.isNaN(this.data) ? this.data : o.data;
    return new Value(out, "", "max", [this, o], () => {
      const [a, b] = [this.data, o.data];
      return [a > b ? 1 : a === b ? 0.5 : 0, a < b ? 1 : a === b ? 0.5 : 0];
    });
  }
  /** `this ** k` for a constant k. d/dthis = k·this^(k-1) (0 when k = 0: a constant). */
  pow(k: number): Value {
    if (typeof k !== "number") throw new TypeError("pow: the exponent must be a number");
    return new Value(this.data ** k, "", "pow", [this], () => [k === 0 ? 0 : k * this.data ** (k - 1)]);
  }
  /** `e^this`. d/dthis = e^this, the output itself. */
  exp(): Value {
    const out: Value = new Value(Math.exp(this.data), "", "exp", [this], () => [out.data]);
    return out;
  }
  /** Natural logarithm. d/dthis = 1/this. */
  log(): Value {
    return new Value(Math.log(this.data), "", "log", [this], () => [1 / this.data]);
  }
  /** Hyperbolic tangent, into (-1, 1). d/dthis = 1 - tanh². */
  tanh(): Value {
    const out: Value = new Value(Math.tanh(this.data), "", "tanh", [this], () => [1 - out.data * out.data]);
    return out;
  }
  /** `max(0, this)`. d/dthis = 1 where positive, else 0. (NaN passes through: NaN <= 0 is false.) */
  relu(): Value {
    const x = this.data;
    return new Value(x <= 0 ? 0 : x, "", "relu", [this], () => [this.data <= 0 ? 0 : 1]);
  }
  /** `1 / (1 + e^-this)`, into (0, 1). d/dthis = σ·(1 - σ). Written so that exp never overflows. */
  sigmoid(): Value {
    const x = this.data;
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    const out: Value = new Value(s, "", "sigmoid", [this], () => [out.data * (1 - out.data)]);
    return out;
  }

  // Built from the primitives, as in micrograd: no derivative code of their own.

  /** `-this`. */
  neg(): Value {
    return this.mul(-1);
  }
  /** `this - other`. */
  sub(other: Value | number): Value {
    return this.add(typeof other === "number" ? -other : other.neg());
  }
  /** `this / other`. */
  div(other: Value | number): Value {
    return this.mul(typeof other === "number" ? 1 / other : other.pow(-1));
  }

  /**
   * Fills in `grad` of every value this one depends on: d(this)/d(value), summed over every
   * path. Leaves add to their gradient (clear it with `grad = 0` between steps, as micrograd
   * and PyTorch do); computed values start again from zero on each call.
   */
  backward(): void {
    const order = topologicalOrder(this);
    for (const v of order) if (v.op !== "leaf") v.grad = 0;
    this.grad = this.op === "leaf" ? this.grad + 1 : 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i];
      const local = v.localGrads();
      for (let k = 0; k < v.inputs.length; k++) v.inputs[k].grad += v.grad * local[k];
    }
  }

  /** `Value(data=…, grad=…)`, as micrograd prints a value. */
  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
  /** What `console.log` shows in Node: `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * Every value `root` depends on, itself last, each after its inputs: a depth-first walk with an
 * explicit stack (no recursion, so a chain of any length works).
 *
 * @example
 * const a = new Value(2);
 * topologicalOrder(a.mul(a).add(1)).map((v) => v.op); // ["leaf", "mul", "leaf", "add"]
 */
export function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  const seen = new Set<Value>([root]);
  const stack: [Value, number][] = [[root, 0]]; // a value, and which of its inputs to visit next
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [v, next] = top;
    if (next < v.inputs.length) {
      top[1] = next + 1;
      const input = v.inputs[next];
      if (!seen.has(input)) {
        seen.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(v); // all of v's inputs are already in the list
    }
  }
  return order;
}

/**
 * Wraps a number as a leaf; passes a `Value` through.
 *
 * @example
 * toValue(3).data; // 3
 */
export function toValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}

function noGrads(): readonly number[] {
  return [];
}
