// The expressions the backpropagation view offers, built with the library's `Value`: micrograd's
// lecture examples and a sigmoid neuron with its squared error. Their inputs can be edited.
import { Value } from "../../src/index.ts";

/** A small expression to watch. */
export interface Example {
  readonly title: string;
  readonly formula: string;
  /** The editable leaves, in order: name and default value. */
  readonly leaves: readonly (readonly [string, number])[];
  /** Builds the expression with the leaves' values (by name). */
  readonly build: (v: Readonly<Record<string, number>>) => Value;
}

/** Labels a value for the graph and returns it. */
function named(v: Value, label: string): Value {
  v.label = label;
  return v;
}

/** The expressions offered: micrograd's lecture examples and a neuron with its loss. */
export const EXAMPLES: Readonly<Record<string, Example>> = {
  neuron: {
    title: "A neuron: tanh(x1·w1 + x2·w2 + b)",
    formula: "o = tanh(x1·w1 + x2·w2 + b)",
    leaves: [
      ["x1", 2],
      ["x2", 0],
      ["w1", -3],
      ["w2", 1],
      ["b", 6.881373587019543],
    ],
    build: (v) => {
      const [x1, x2, w1, w2, b] = ["x1", "x2", "w1", "w2", "b"].map((k) => new Value(v[k], k));
      const x1w1 = named(x1.mul(w1), "x1·w1");
      const x2w2 = named(x2.mul(w2), "x2·w2");
      const n = named(named(x1w1.add(x2w2), "x1w1+x2w2").add(b), "n");
      return named(n.tanh(), "o");
    },
  },
  expression: {
    title: "An expression: L = (a·b + c)·f",
    formula: "L = (a·b + c)·f",
    leaves: [
      ["a", 2],
      ["b", -3],
      ["c", 10],
      ["f", -2],
    ],
    build: (v) => {
      const [a, b, c, f] = ["a", "b", "c", "f"].map((k) => new Value(v[k], k));
      const d = named(named(a.mul(b), "e").add(c), "d");
      return named(d.mul(f), "L");
    },
  },
  loss: {
    title: "A sigmoid neuron and its squared error",
    formula: "L = (σ(w·x + b) − y)², with p − y built as p + (−1)·y, as Value.sub does",
    leaves: [
      ["x", 1.5],
      ["w", 0.8],
      ["b", -0.5],
      ["y", 1],
    ],
    build: (v) => {
      const [x, w, b, y] = ["x", "w", "b", "y"].map((k) => new Value(v[k], k));
      const p = named(named(named(w.mul(x), "w·x").add(b), "z").sigmoid(), "p");
      const minusY = named(y.mul(-1), "−y");
      return named(named(p.add(minusY), "p − y").pow(2), "L");
    },
  },
};

/** The leaves' values by name: `values` in order when it fits the example, else the defaults. */
export function leafValues(example: Example, values: readonly number[]): Record<string, number> {
  const use = values.length === example.leaves.length ? values : example.leaves.map(([, d]) => d);
  return Object.fromEntries(example.leaves.map(([name], i) => [name, use[i]]));
}
