// The shared op-test helper: one call per op checks
//   1. the forward pass against a plain-number reference (float64 and float32),
//   2. every input's gradient against central finite differences (float64),
//   3. one fast-check property: the forward agrees with the reference on random inputs.
import assert from "node:assert/strict";
import fc from "fast-check";
import { mul, Rng, type Shape, sizeOf, sum, Tensor } from "../../src/index.ts";

/** The op under test, on tensors. */
export type TensorOp = (...inputs: Tensor[]) => Tensor;
/** The same op on plain numbers: flat inputs (with their shapes) in, flat output out. */
export type Reference = (inputs: number[][], shapes: Shape[]) => number[];

export interface CheckOptions {
  /** Inputs are drawn from [low, high] (default [-2, 2]); keep them in the op's domain. */
  readonly low?: number;
  readonly high?: number;
  /** Inputs that get no gradient check (e.g. integer-like ones), by position. */
  readonly noGrad?: readonly number[];
  /** Relative tolerance of the gradient check (default 1e-6). */
  readonly gradTol?: number;
}

function draw(shape: Shape, rng: Rng, low: number, high: number): Float64Array {
  return Float64Array.from({ length: sizeOf(shape) }, () => rng.uniform(low, high));
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    const ok = Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    assert.ok(ok, `${what}[${i}]: got ${a}, expected ${e}`);
  }
}

/** Runs the three checks on `op` with inputs of the given shapes. */
export async function checkOp(
  name: string,
  op: TensorOp,
  shapes: Shape[],
  reference: Reference,
  options: CheckOptions = {},
): Promise<void> {
  const { low = -2, high = 2, noGrad = [], gradTol = 1e-6 } = options;
  const rng = new Rng(name.length * 7919 + 17);
  const values = shapes.map((s) => draw(s, rng, low, high));

  // 1. forward, float64 and float32
  const expected = reference(
    values.map((v) => [...v]),
    shapes,
  );
  const out64 = op(...values.map((v, i) => new Tensor(v.slice(), shapes[i])));
  close(out64.data, expected, 1e-12, `${name} forward (float64)`);
  const out32 = op(...values.map((v, i) => new Tensor(Float32Array.from(v), shapes[i])));
  assert.equal(out32.dtype, "float32", `${name}: float32 in, float32 out`);
  close(
    await out32.read(), // float32: on the GPU when this file runs on the webgpu backend
    reference(
      values.map((v) => [...Float32Array.from(v)]),
      shapes,
    ),
    1e-4,
    `${name} forward (float32)`,
  );

  // 2. gradients against central differences of L = Σ weights · op(inputs)
  const weights = draw(out64.shape, rng, -1, 1);
  const loss = (inputs: Float64Array[], grad: boolean): { value: number; tensors: Tensor[] } => {
    const tensors = inputs.map(
      (v, i) => new Tensor(v, shapes[i], { requiresGrad: grad && !noGrad.includes(i) }),
    );
    const l = sum(mul(op(...tensors), new Tensor(weights, out64.shape)));
    if (grad) l.backward();
    return { value: l.item(), tensors };
  };
  const { tensors } = loss(
    values.map((v) => v.slice()),
    true,
  );
  const h = 1e-6;
  shapes.forEach((_, i) => {
    if (noGrad.includes(i)) return;
    const numeric = values[i].map((_, j) => {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      return (loss(plus, false).value - loss(minus, false).value) / (2 * h);
    });
    const analytic = tensors[i].grad?.data ?? new Float64Array(values[i].length);
    close(analytic, numeric, gradTol, `${name} d/d(input ${i})`);
  });

  // 3. property: random inputs, forward matches the reference
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e9 }), (seed) => {
      const r = new Rng(seed);
      const vs = shapes.map((s) => draw(s, r, low, high));
      const got = op(...vs.map((v, i) => new Tensor(v.slice(), shapes[i]))).data;
      close(
        got,
        reference(
          vs.map((v) => [...v]),
          shapes,
        ),
        1e-12,
        `${name} property`,
      );
    }),
    { numRuns: 15 },
  );
}

/** Plain-number broadcasting: the output shape and, for output index o, each input's flat index. */
export function broadcastIndex(shapes: Shape[]): { shape: number[]; at: (o: number) => number[] } {
  const nd = Math.max(...shapes.map((s) => s.length));
  const shape = Array.from({ length: nd }, (_, d) =>
    Math.max(...shapes.map((s) => s[s.length - nd + d] ?? 1)),
  );
  const at = (o: number): number[] => {
    const coords: number[] = [];
    let rest = o;
    for (let d = nd - 1; d >= 0; d--) {
      coords[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    return shapes.map((s) => {
      let flat = 0;
      for (let d = 0; d < s.length; d++) {
        const c = s[d] === 1 ? 0 : coords[nd - s.length + d];
        flat = flat * s[d] + c;
      }
      return flat;
    });
  };
  return { shape, at };
}

/** A reference for an elementwise op of any arity, broadcasting. */
export function elementwise(f: (...xs: number[]) => number): Reference {
  return (inputs, shapes) => {
    const { shape, at } = broadcastIndex(shapes);
    return Array.from({ length: sizeOf(shape) }, (_, o) => f(...at(o).map((j, k) => inputs[k][j])));
  };
}
