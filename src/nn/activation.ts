import type { Value } from "../engine/value.ts";

/** The nonlinearity a layer applies to each neuron's sum (`linear` applies none). */
export type Activation = "relu" | "tanh" | "sigmoid" | "linear";

/** Every activation name, for validating user input. */
export const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear"];

/** Applies an activation to one value. */
export function activate(x: Value, activation: Activation): Value {
  switch (activation) {
    case "relu":
      return x.relu();
    case "tanh":
      return x.tanh();
    case "sigmoid":
      return x.sigmoid();
    case "linear":
      return x;
  }
}
