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
 * memory kept). `Value`s computed inside are plain leaves; tensors need no gradient.
 *
 * @example
 * const logits = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}
