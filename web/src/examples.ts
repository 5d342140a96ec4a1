// The expressions the backpropagation view offers, built with the library's `Value`: micrograd's
// lecture examples and a sigmoid neuron with its squared error.
import { Value } from "../../src/index.ts";

/** A small expression to watch. */
export interface Example {
  readonly title: string;
  readonly formula: string;
  readonly build: () => Value;
}

/** The expressions offered: micrograd's lecture examples and a neuron with its loss. */
export const EXAMPLES: Readonly<Record<string, Example>> = {
  neuron: {
    title: "A neuron: tanh(x1·w1 + x2·w2 + b)",
    formula: "o = tanh(x1·w1 + x2·w2 + b), with x1 = 2, x2 = 0, w1 = −3, w2 = 1, b = 6.8814",
    build: () => {
      const x1 = new Value(2, "x1");
      const x2 = new Value(0, "x2");
      const w1 = new Value(-3, "w1");
      const w2 = new Value(1, "w2");
      const b = new Value(6.881373587019543, "b");
      const x1w1 = x1.mul(w1);
      x1w1.label = "x1·w1";
      const x2w2 = x2.mul(w2);
      x2w2.label = "x2·w2";
      const sum = x1w1.add(x2w2);
      sum.label = "x1w1+x2w2";
      const n = sum.add(b);
      n.label = "n";
      const o = n.tanh();
      o.label = "o";
      return o;
    },
  },
  expression: {
    title: "An expression: L = (a·b + c)·f",
    formula: "L = (a·b + c)·f, with a = 2, b = −3, c = 10, f = −2",
    build: () => {
      const a = new Value(2, "a");
      const b = new Value(-3, "b");
      const c = new Value(10, "c");
      const f = new Value(-2, "f");
      const e = a.mul(b);
      e.label = "e";
      const d = e.add(c);
      d.label = "d";
      const L = d.mul(f);
      L.label = "L";
      return L;
    },
  },
  loss: {
    title: "A sigmoid neuron and its squared error",
    formula: "L = (σ(w·x + b) − y)², with x = 1.5, w = 0.8, b = −0.5, y = 1",
    build: () => {
      const x = new Value(1.5, "x");
      const w = new Value(0.8, "w");
      const b = new Value(-0.5, "b");
      const wx = w.mul(x);
      wx.label = "w·x";
      const z = wx.add(b);
      z.label = "z";
      const p = z.sigmoid();
      p.label = "p";
      const err = p.sub(1);
      err.label = "p − y";
      const L = err.pow(2);
      L.label = "L";
      return L;
    },
  },
};
