// The two scalar engines. The learner's `Value` (micrograd-ts/learn) has the same methods as the
// fast one, so the op tables, written against the fast `Value`'s type, run over both: the learner's
// engine is the oracle, and every table checks each engine on its own against the same numbers.
import { Value as FastValue } from "../../src/index.ts";
import { Value as LearnValue } from "../../src/learn/index.ts";

/** One engine: its name (in test titles) and its `Value` class. */
export interface ScalarEngine {
  readonly name: "fast" | "learn";
  readonly Value: new (data: number) => FastValue;
}

export const FAST: ScalarEngine = { name: "fast", Value: FastValue };
// Typed as the fast Value: the same methods, so the same table code runs on it.
export const LEARN: ScalarEngine = { name: "learn", Value: LearnValue as unknown as ScalarEngine["Value"] };
export const ENGINES: readonly ScalarEngine[] = [FAST, LEARN];
