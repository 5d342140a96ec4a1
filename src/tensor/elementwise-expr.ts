import type { ElementwiseInput } from "../engine/expr.ts";
import type { Storage } from "./backend.ts";

// The tensor engine's side of the elementwise expression language (engine/expr.ts): the
// language itself, and the arrays a backend evaluates an expression over.
export * from "../engine/expr.ts";

/**
 * The arrays an expression reads, by name (all of one length).
 *
 * @example
 * const inputs: ElementwiseArrays = { x: x.data, y: out, g };
 */
export type ElementwiseArrays<S extends Storage = Storage> = Readonly<Partial<Record<ElementwiseInput, S>>>;
