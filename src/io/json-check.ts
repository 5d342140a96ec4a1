// A small typed validator for JSON read from files (model files, checkpoints): each checker
// returns the value with its type or throws a RangeError that names where (`weights.x.data[3]`)
// and what was expected. Composing checkers replaces `as` casts: the type follows the checks.

/**
 * A checker: returns `value` typed as `T`, or throws a `RangeError` naming `at` (a path such as
 * `architecture.sizes[0]`) and what was expected.
 *
 * @example
 * const sizes: Check<number[]> = arrayOf(integer(1, 1e6));
 * sizes([16, 1], "architecture.sizes"); // [16, 1]
 */
export type Check<T> = (value: unknown, at: string) => T;

/** The type a checker returns. */
type Checked<C> = C extends Check<infer T> ? T : never;

/**
 * Runs a checker on a whole document; errors start with `where` (e.g. `loadModel:`).
 *
 * @example
 * const file = checkJson(JSON.parse(text), record({ version: integer(1, 1) }), "loadModel");
 */
export function checkJson<T>(value: unknown, check: Check<T>, where: string): T {
  try {
    return check(value, "");
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`${where}: ${error.message}`);
    throw error;
  }
}

/**
 * How a value is shown in an error: JSON, cut at 40 characters.
 *
 * @example
 * describeJson("abc"); // '"abc"'
 */
export function describeJson(v: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) return Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function fail(at: string, expected: string, v: unknown): never {
  throw new RangeError(`${at === "" ? "the file" : `"${at}"`} must be ${expected}, got ${describeJson(v)}`);
}

/**
 * A finite number (JSON has no NaN or Infinity; this also refuses them from other sources).
 *
 * @example
 * finite(0.5, "lr"); // 0.5
 */
export const finite: Check<number> = (v, at) =>
  typeof v === "number" && Number.isFinite(v) ? v : fail(at, "a finite number", v);

/**
 * An integer in `[min, max]`.
 *
 * @example
 * integer(0, 10)(3, "step"); // 3
 */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Check<number> {
  return (v, at) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? v
      : fail(
          at,
          max < Number.MAX_SAFE_INTEGER
            ? `an integer in [${min}, ${max >= 1e5 ? max.toExponential().replace("e+", "e") : max}]`
            : min === 1
              ? "a positive integer"
              : `an integer >= ${min}`,
          v,
        );
}

/**
 * A string.
 *
 * @example
 * str("a", "labels[0]"); // "a"
 */
export const str: Check<string> = (v, at) => (typeof v === "string" ? v : fail(at, "a string", v));

/**
 * A boolean.
 *
 * @example
 * bool(true, "json"); // true
 */
export const bool: Check<boolean> = (v, at) => (typeof v === "boolean" ? v : fail(at, "true or false", v));

/**
 * One of the given strings.
 *
 * @example
 * oneOf(["mlp"] as const)("mlp", "architecture.kind"); // "mlp"
 */
export function oneOf<T extends string>(choices: readonly T[]): Check<T> {
  return (v, at) =>
    typeof v === "string" && (choices as readonly string[]).includes(v)
      ? (v as T)
      : fail(at, `one of ${choices.join(", ")}`, v);
}

/**
 * An array whose items all pass `item`.
 *
 * @example
 * arrayOf(str)(["a", "b"], "labels"); // ["a", "b"]
 */
export function arrayOf<T>(
  item: Check<T>,
  options: { nonEmpty?: boolean; distinct?: boolean } = {},
): Check<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) return fail(at, "an array", v);
    if (options.nonEmpty && v.length === 0) return fail(at, "a non-empty array", v);
    const out: T[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = item(v[i], `${at}[${i}]`);
    if (options.distinct) {
      const seen = new Map<T, number>();
      out.forEach((x, i) => {
        const first = seen.get(x);
        if (first !== undefined)
          throw new RangeError(`"${at}[${i}]" repeats ${describeJson(x)} (also at [${first}])`);
        seen.set(x, i);
      });
    }
    return out;
  };
}

/**
 * A plain object (not an array, not null).
 *
 * @example
 * plainObject({ a: 1 }, "training"); // { a: 1 }
 */
export const plainObject: Check<Record<string, unknown>> = (v, at) =>
  typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : fail(at, "an object", v);

/**
 * An object whose values all pass `item`, keyed by any name.
 *
 * @example
 * dictOf(finite)({ a: 1 }, "buffers"); // { a: 1 }
 */
export function dictOf<T>(item: Check<T>): Check<Record<string, T>> {
  return (v, at) => {
    const o = plainObject(v, at);
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(o)) out[k] = item(x, at === "" ? k : `${at}.${k}`);
    return out;
  };
}

/**
 * An object with the given fields; an `optional(...)` field may be missing (or null).
 * Other fields are ignored.
 *
 * @example
 * record({ step: integer(0) })({ step: 3 }, "fit"); // { step: 3 }
 */
export function record<S extends Record<string, Check<unknown>>>(
  shape: S,
): Check<{ [K in keyof S]: Checked<S[K]> }> {
  return (v, at) => {
    const o = plainObject(v, at);
    const out: Record<string, unknown> = {};
    for (const [k, check] of Object.entries(shape)) {
      const x = check(Object.hasOwn(o, k) ? o[k] : undefined, at === "" ? k : `${at}.${k}`);
      if (x !== undefined) out[k] = x;
    }
    return out as { [K in keyof S]: Checked<S[K]> };
  };
}

/**
 * A field that may be missing (undefined or null): then the result is undefined.
 *
 * @example
 * optional(finite)(undefined, "lr"); // undefined
 */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, at) => (v === undefined || v === null ? undefined : check(v, at));
}

/**
 * Exactly `value`.
 *
 * @example
 * literal("micrograd-ts/model")(file.format, "format");
 */
export function literal<T extends string | number>(value: T, expected = JSON.stringify(value)): Check<T> {
  return (v, at) => (v === value ? value : fail(at, expected, v));
}

/**
 * Any JSON value nested at most `maxDepth` levels (checked without recursion, so a file of
 * 100,000 nested brackets is refused with a message instead of overflowing the stack later).
 *
 * @example
 * jsonValue(32)({ steps: 100 }, "training"); // { steps: 100 }
 */
export function jsonValue(maxDepth: number): Check<unknown> {
  return (v, at) => {
    const stack: [unknown, number][] = [[v, 0]];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [x, depth] = top;
      if (typeof x !== "object" || x === null) continue;
      if (depth >= maxDepth) {
        throw new RangeError(`"${at}" is nested more than ${maxDepth} levels deep`);
      }
      for (const child of Object.values(x)) stack.push([child, depth + 1]);
    }
    return v;
  };
}
