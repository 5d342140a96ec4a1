import { apart } from "./tape.ts";

let gradEnabled = true;

/**
 * True unless inside `noGrad`: ops record how they were computed so `backward()` can run.
 *
 * @example
 * noGrad(() => isGradEnabled()); // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the graph, on both engines (for evaluation: faster, and no
 * memory kept). `Value`s computed inside are plain leaves, stored apart from every other value
 * (as in `tidy`), so they are freed once nothing refers to them; tensors need no gradient.
 *
 * @example
 * const logits = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  if (!gradEnabled) return fn();
  gradEnabled = false;
  try {
    return apart(fn);
  } finally {
    gradEnabled = true;
  }
}

/**
 * Runs `fn`, keeping the `Value`s it makes apart from all others, so that they are freed as
 * soon as nothing refers to them. A training step needs none of this (`backward()` releases its
 * graph); use it for values you will not call `backward()` on but that must record their graph,
 * such as a step recorded to compile it (`CompiledGraph`). For evaluation use `noGrad`, which
 * does the same and records nothing. Values made by `fn` and returned stay valid.
 *
 * Why: the fast engine stores values in chunks of typed arrays, freed whole; a value that
 * shares a chunk with a model's parameters would live as long as the model.
 *
 * @example
 * const graph = tidy(() => {
 *   const x = new Value(0);
 *   return new CompiledGraph(model.forward([x, 1])[0], [x]);
 * });
 */
export function tidy<T>(fn: () => T): T {
  return apart(fn);
}
