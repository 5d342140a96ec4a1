import { Value } from "../engine/value.ts";
import type { Module, ModuleParameter } from "../nn/module.ts";
import type { NamedTensor, StateDict } from "./state-dict.ts";

/**
 * Any module's parameters by name (`namedParameters()`), each as a named tensor in the
 * module's own layout: the state dict a saver writes, for scalar modules (each `Value` a
 * one-number tensor of shape `[]`) and tensor modules alike. The numbers are copies.
 *
 * @example
 * const dict = moduleStateDict(tensorMLP(2, [4, 1]));
 * Object.keys(dict); // ["0.weight", "0.bias", "2.weight", "2.bias"]
 */
export function moduleStateDict(module: Module<ModuleParameter>): Record<string, NamedTensor> {
  const dict: Record<string, NamedTensor> = {};
  for (const [name, p] of module.namedParameters()) {
    dict[name] =
      p instanceof Value
        ? { shape: [], data: Float64Array.of(p.data) }
        : { shape: [...p.shape], data: p.data.slice() };
  }
  return dict;
}

/**
 * Puts the numbers of `dict` into the module's parameters, by name, after checking that every
 * name is there with the module's shape and finite numbers, and that no other name is:
 * every problem is listed in one error that starts with `where`.
 *
 * @example
 * loadModuleStateDict(model, moduleStateDict(trained)); // model now holds trained's weights
 */
export function loadModuleStateDict(module: Module<ModuleParameter>, dict: StateDict, where = "load"): void {
  const named = module.namedParameters();
  const problems: string[] = [];
  const shapeOf = (p: ModuleParameter): readonly number[] => (p instanceof Value ? [] : p.shape);
  for (const [name, p] of named) {
    const got = Object.hasOwn(dict, name) ? dict[name] : undefined;
    const shape = shapeOf(p);
    if (got === undefined) problems.push(`missing tensor "${name}" (shape [${shape.join(", ")}])`);
    else if (got.shape.length !== shape.length || got.shape.some((d, i) => d !== shape[i])) {
      problems.push(
        `tensor "${name}" has shape [${got.shape.join(", ")}], the model needs [${shape.join(", ")}]`,
      );
    } else if (got.data.length !== (p instanceof Value ? 1 : p.size)) {
      problems.push(
        `tensor "${name}" holds ${got.data.length} numbers, its shape needs ${p instanceof Value ? 1 : p.size}`,
      );
    } else {
      const bad = got.data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0)
        problems.push(`tensor "${name}" has a non-finite number (${got.data[bad]}) at index ${bad}`);
    }
  }
  const known = new Set(named.map(([name]) => name));
  for (const name of Object.keys(dict)) if (!known.has(name)) problems.push(`unexpected tensor "${name}"`);
  if (problems.length > 0) throw new RangeError(`${where}: ${problems.join("; ")}`);
  for (const [name, p] of named) {
    const { data } = dict[name];
    if (p instanceof Value) p.data = data[0];
    else p.data.set(data);
  }
}
