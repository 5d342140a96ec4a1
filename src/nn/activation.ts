import { OPS } from "../engine/ops.ts";
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

/** Applies an activation to a plain number, with the engine's own forward rules (same result). */
export function activateNumber(x: number, activation: Activation): number {
  switch (activation) {
    case "relu":
      return OPS.relu.forward(x);
    case "tanh":
      return OPS.tanh.forward(x);
    case "sigmoid":
      return OPS.sigmoid.forward(x);
    case "linear":
      return x;
  }
}
