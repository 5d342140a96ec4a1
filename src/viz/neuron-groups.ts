import { Value } from "../engine/value.ts";
import type { MLP } from "../nn/mlp.ts";
import type { DotGroup } from "./dot.ts";

/** An MLP's outputs for one input, and one `DotGroup` per neuron for `toDot`. */
export interface GroupedForward {
  readonly outputs: Value[];
  /** Named `L<layer>.N<neuron>`, counting from 1: from the neuron's weights and bias to its output. */
  readonly groups: DotGroup[];
}

/**
 * Runs `model` on `x` neuron by neuron (the same values `model.forward(x)` computes) and
 * remembers each neuron's parameters and output, so that `toDot` can frame each neuron or,
 * for a large network, collapse each into one box.
 *
 * @example
 * const { outputs, groups } = forwardWithGroups(new MLP(2, [4, 1]), [1, -1]);
 * outputs[0].backward();
 * toDot(outputs[0], { groups });
 */
export function forwardWithGroups(model: MLP, x: readonly (Value | number)[]): GroupedForward {
  if (x.length !== model.nin)
    throw new RangeError(`forwardWithGroups: expected ${model.nin} inputs, got ${x.length}`);
  const groups: DotGroup[] = [];
  // Numbers become one labelled leaf each, shared by every neuron of the first layer.
  let h: readonly (Value | number)[] = x.map((v, i) => (v instanceof Value ? v : new Value(v, `x${i + 1}`)));
  model.layers.forEach((layer, l) => {
    h = layer.neurons.map((neuron, k) => {
      const out = neuron.forward(h);
      groups.push({ label: `L${l + 1}.N${k + 1}`, from: neuron.parameters(), to: out });
      return out;
    });
  });
  return { outputs: h as Value[], groups };
}
