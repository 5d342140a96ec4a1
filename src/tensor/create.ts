import { Rng } from "../engine/random.ts";
import type { Data } from "./backend.ts";
import { checkShape, type Shape, shapeText, sizeOf } from "./shape.ts";
import { allocate, type DType, dtypeOf, Tensor } from "./tensor.ts";

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** float32 (default) or float64. */
  readonly dtype?: DType;
  /** Whether gradients should flow to the new tensor (default false). */
  readonly requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** Where the numbers come from (default: a generator seeded with 1337). */
  readonly rng?: Rng;
}

/** Nested arrays of numbers, as written in code: `[[1, 2], [3, 4]]`. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * A tensor from numbers: a number, nested arrays, or a typed array with `shape` given.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]); // shape [2, 2], float32
 */
export function tensor(
  values: NestedNumbers | Data | readonly number[],
  options: CreateOptions & { readonly shape?: Shape } = {},
): Tensor {
  const { requiresGrad = false } = options;
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const dtype = options.dtype ?? dtypeOf(values);
    const data = allocate(dtype, values.length);
    data.set(values);
    return new Tensor(data, options.shape ?? [values.length], { requiresGrad });
  }
  const shape: number[] = [];
  let probe: NestedNumbers = values as NestedNumbers;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedNumbers;
    if (probe === undefined) break;
  }
  const numbers: unknown[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) for (const e of v) collect(e);
    else numbers.push(v);
  };
  collect(values);
  if (numbers.length !== sizeOf(shape))
    throw new RangeError(`tensor: ragged nested arrays (expected shape ${shapeText(shape)})`);
  const data = allocate(options.dtype ?? "float32", numbers.length);
  for (let i = 0; i < numbers.length; i++) {
    const v = numbers[i];
    if (typeof v !== "number")
      throw new TypeError(`tensor: expected numbers, got ${typeof v} at flat index ${i}`);
    data[i] = v;
  }
  const finalShape = options.shape ?? shape;
  return new Tensor(data, finalShape, { requiresGrad });
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  checkShape("full", shape);
  const data = allocate(options.dtype ?? "float32", sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad });
}

/** A tensor of zeros. */
export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/** Samples of the standard normal distribution (scaled by `std`, default 1), from a seeded rng. */
export function randn(shape: Shape, options: RandomOptions & { readonly std?: number } = {}): Tensor {
  const t = zeros(shape, options);
  const rng = options.rng ?? new Rng();
  const std = options.std ?? 1;
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal(0, std);
  return t;
}

/** Uniform samples in [low, high) (default [0, 1)), from a seeded rng. */
export function rand(
  shape: Shape,
  options: RandomOptions & { readonly low?: number; readonly high?: number } = {},
): Tensor {
  const t = zeros(shape, options);
  const rng = options.rng ?? new Rng();
  const { low = 0, high = 1 } = options;
  for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(low, high);
  return t;
}

/** `start, start+step, …` below `stop`, as a 1-D tensor (`arange(5)` is 0..4). */
export function arange(start: number, stop?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0 || !Number.isFinite(step))
    throw new RangeError(`arange: step must be a non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((to - from) / step));
  const t = zeros([n], options);
  for (let i = 0; i < n; i++) t.data[i] = from + i * step;
  return t;
}
