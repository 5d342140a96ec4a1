// Convolution, pooling, flatten and batch norm through the shared op helper (forward vs plain
// loops, gradients vs central finite differences in float64, a fast-check property), plus
// their errors. ops-on-wasm.test.ts runs this file again on the wasm backend.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  add,
  avgPool2d,
  batchNorm,
  conv2d,
  flatten,
  im2col,
  maxPool2d,
  mean,
  mul,
  pow,
  Rng,
  reshape,
  type Shape,
  sizeOf,
  sub,
  sum,
  Tensor,
  tensor,
  zeros,
} from "../../src/index.ts";
import { maxPool2dComposite } from "../../src/tensor/ops/pool.ts";
import { checkOp, type Reference } from "./op-check.ts";

interface Geo {
  stride: [number, number];
  padding: [number, number];
}

/** Plain loops: out[n,o,y,x] = b[o] + Σ w[o,c,i,j]·x[n,c,y·s−p+i, x·s−p+j] (zero outside). */
function convRef({ stride, padding }: Geo, withBias: boolean): Reference {
  return (inputs, shapes) => {
    const [x, w, b] = inputs;
    const [N, C, H, W] = shapes[0];
    const [O, , KH, KW] = shapes[1];
    const OH = Math.floor((H + 2 * padding[0] - KH) / stride[0]) + 1;
    const OW = Math.floor((W + 2 * padding[1] - KW) / stride[1]) + 1;
    const out: number[] = [];
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++) {
            let s = withBias ? b[o] : 0;
            for (let c = 0; c < C; c++)
              for (let i = 0; i < KH; i++)
                for (let j = 0; j < KW; j++) {
                  const iy = oy * stride[0] - padding[0] + i;
                  const ix = ox * stride[1] - padding[1] + j;
                  if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                  s += w[((o * C + c) * KH + i) * KW + j] * x[((n * C + c) * H + iy) * W + ix];
                }
            out.push(s);
          }
    return out;
  };
}

/** Plain loops over pooling windows; `reduce` gets the window's numbers (padding as `pad`). */
function poolRef(
  k: [number, number],
  { stride, padding }: Geo,
  pad: number,
  reduce: (v: number[]) => number,
): Reference {
  return ([x], [[N, C, H, W]]) => {
    const OH = Math.floor((H + 2 * padding[0] - k[0]) / stride[0]) + 1;
    const OW = Math.floor((W + 2 * padding[1] - k[1]) / stride[1]) + 1;
    const out: number[] = [];
    for (let p = 0; p < N * C; p++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const v: number[] = [];
          for (let i = 0; i < k[0]; i++)
            for (let j = 0; j < k[1]; j++) {
              const iy = oy * stride[0] - padding[0] + i;
              const ix = ox * stride[1] - padding[1] + j;
              v.push(iy < 0 || iy >= H || ix < 0 || ix >= W ? pad : x[(p * H + iy) * W + ix]);
            }
          out.push(reduce(v));
        }
    return out;
  };
}

/** Plain batch norm over axis 1 with the batch's statistics, then weight and bias. */
const batchNormRef: Reference = ([x, w, b], shapes) => {
  const [N, C] = shapes[0];
  const rest = x.length / (N * C);
  const out = new Array<number>(x.length);
  for (let c = 0; c < C; c++) {
    const at: number[] = [];
    for (let n = 0; n < N; n++) for (let r = 0; r < rest; r++) at.push((n * C + c) * rest + r);
    const mu = at.reduce((s, i) => s + x[i], 0) / at.length;
    const v = at.reduce((s, i) => s + (x[i] - mu) ** 2, 0) / at.length;
    for (const i of at) out[i] = ((x[i] - mu) / Math.sqrt(v + 1e-5)) * w[c] + b[c];
  }
  return out;
};

const same: Geo = { stride: [1, 1], padding: [0, 0] };
const cases: { name: string; shapes: Shape[]; geo: Geo }[] = [
  { name: "conv2d", shapes: [[2, 2, 5, 5], [3, 2, 3, 3], [3]], geo: same },
  {
    name: "conv2d padded",
    shapes: [[1, 1, 4, 4], [2, 1, 3, 3], [2]],
    geo: { stride: [1, 1], padding: [1, 1] },
  },
  {
    name: "conv2d strided",
    shapes: [[2, 3, 7, 6], [2, 3, 3, 2], [2]],
    geo: { stride: [2, 3], padding: [1, 0] },
  },
  { name: "conv2d 1x1", shapes: [[2, 4, 3, 3], [5, 4, 1, 1], [5]], geo: same },
];
for (const c of cases) {
  test(c.name, () => checkOp(c.name, (x, w, b) => conv2d(x, w, b, c.geo), c.shapes, convRef(c.geo, true)));
}
test("conv2d without bias", () =>
  checkOp(
    "conv2d nobias",
    (x, w) => conv2d(x, w, null, { padding: 2 }),
    [
      [1, 2, 4, 4],
      [3, 2, 5, 5],
    ],
    convRef({ stride: [1, 1], padding: [2, 2] }, false),
  ));

test("im2col", () =>
  checkOp(
    "im2col",
    (x) => im2col(x, [2, 3], { stride: [1, 2], padding: 1 }),
    [[2, 2, 3, 4]],
    ([x], [[N, C, H, W]]) => {
      const out: number[] = [];
      for (let c = 0; c < C; c++)
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 3; j++)
            for (let n = 0; n < N; n++)
              for (let oy = 0; oy < 4; oy++)
                for (let ox = 0; ox < 2; ox++) {
                  const iy = oy - 1 + i;
                  const ix = ox * 2 - 1 + j;
                  out.push(iy < 0 || iy >= H || ix < 0 || ix >= W ? 0 : x[((n * C + c) * H + iy) * W + ix]);
                }
      return out;
    },
  ));

const maxOf = (v: number[]): number => Math.max(...v);
const meanOf = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
test("maxPool2d 2x2", () =>
  checkOp(
    "maxPool2d",
    (x) => maxPool2d(x, 2),
    [[2, 3, 4, 6]],
    poolRef([2, 2], { stride: [2, 2], padding: [0, 0] }, 0, maxOf),
  ));
test("maxPool2d 3x3 stride 2 padded", () =>
  checkOp(
    "maxPool2d overlap",
    (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }),
    [[1, 2, 5, 5]],
    poolRef([3, 3], { stride: [2, 2], padding: [1, 1] }, Number.NEGATIVE_INFINITY, maxOf),
  ));
test("avgPool2d 2x2", () =>
  checkOp(
    "avgPool2d",
    (x) => avgPool2d(x, 2),
    [[2, 2, 4, 4]],
    poolRef([2, 2], { stride: [2, 2], padding: [0, 0] }, 0, meanOf),
  ));
test("avgPool2d 3x2 stride 1 padded", () =>
  checkOp(
    "avgPool2d padded",
    (x) => avgPool2d(x, [3, 2], { stride: 1, padding: [1, 1] }),
    [[1, 2, 3, 4]],
    poolRef([3, 2], { stride: [1, 1], padding: [1, 1] }, 0, meanOf),
  ));
test("flatten", () =>
  checkOp(
    "flatten",
    (x) => flatten(x),
    [[2, 3, 2, 2]],
    ([x]) => x,
  ));
test("batchNorm 2-D (NCHW)", () =>
  checkOp(
    "batchNorm2d",
    (x, w, b) => batchNorm(x, null, null, w, b),
    [[3, 2, 2, 3], [2], [2]],
    batchNormRef,
    { gradTol: 1e-5 },
  ));
test("batchNorm 1-D ([batch, features])", () =>
  checkOp("batchNorm1d", (x, w, b) => batchNorm(x, null, null, w, b), [[5, 3], [3], [3]], batchNormRef, {
    gradTol: 1e-5,
  }));

test("batchNorm in evaluation mode (running statistics)", () => {
  const rm = tensor([0.5, -1]);
  const rv = tensor([2, 0.25]);
  checkOp(
    "batchNormEval",
    (x, w, b) => batchNorm(x, rm, rv, w, b, { training: false }),
    [[2, 2, 3], [2], [2]],
    ([x, w, b]) =>
      x.map((v, i) => {
        const c = Math.floor(i / 3) % 2;
        return ((v - rm.data[c]) / Math.sqrt(rv.data[c] + 1e-5)) * w[c] + b[c];
      }),
  );
});

test("batchNorm equals its composition from means and elementwise ops (values and gradients)", () => {
  const rng = new Rng(5);
  const draw = (shape: number[]): Tensor =>
    new Tensor(
      Float64Array.from({ length: sizeOf(shape) }, () => rng.normal()),
      shape,
      { requiresGrad: true },
    );
  const [x, w, b, g] = [draw([4, 3, 2, 5]), draw([3]), draw([3]), draw([4, 3, 2, 5])];
  const fused = batchNorm(x, null, null, w, b);
  sum(mul(fused, g)).backward();
  const grads = [x, w, b].map((t) => [...(t.grad?.data ?? [])]);
  for (const t of [x, w, b]) t.grad = null;
  const axes = { axis: [0, 2, 3], keepdims: true };
  const centred = sub(x, mean(x, axes));
  const scale = pow(add(mean(mul(centred, centred), axes), 1e-5), -0.5);
  const composite = add(mul(mul(centred, scale), reshape(w, [1, 3, 1, 1])), reshape(b, [1, 3, 1, 1]));
  sum(mul(composite, g)).backward();
  const near = (a: ArrayLike<number>, e: ArrayLike<number>, what: string): void => {
    for (let i = 0; i < e.length; i++)
      assert.ok(Math.abs(a[i] - e[i]) < 1e-12, `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  };
  near(fused.data, composite.data, "output");
  [x, w, b].forEach((t, i) => near(grads[i], t.grad?.data ?? [], `grad ${i}`));
});

test("flatten merges any run of axes", () => {
  assert.deepEqual(flatten(zeros([2, 3, 4, 5])).shape, [2, 60]);
  assert.deepEqual(flatten(zeros([2, 3, 4, 5]), 0, 1).shape, [6, 4, 5]);
  assert.deepEqual(flatten(zeros([2, 3, 4, 5]), -2).shape, [2, 3, 20]);
});

test("batchNorm updates running statistics in training and uses them in evaluation", () => {
  const x = zeros([4, 2], { dtype: "float64" });
  x.data.set([1, 10, 2, 20, 3, 30, 6, 40]);
  const rm = zeros([2], { dtype: "float64" });
  const rv = zeros([2], { dtype: "float64" });
  rv.data.fill(1);
  batchNorm(x, rm, rv, null, null, { momentum: 0.5 });
  // batch means 3 and 25; unbiased variances 14/3 and 500/3
  assert.deepEqual([...rm.data], [1.5, 12.5]);
  assert.ok(Math.abs(rv.data[0] - (0.5 + 0.5 * (14 / 3))) < 1e-12);
  assert.ok(Math.abs(rv.data[1] - (0.5 + 0.5 * (500 / 3))) < 1e-12);
  const y = batchNorm(x, rm, rv, null, null, { training: false });
  assert.ok(Math.abs(y.data[0] - (1 - 1.5) / Math.sqrt(rv.data[0] + 1e-5)) < 1e-12);
  assert.deepEqual([...rm.data], [1.5, 12.5], "evaluation leaves the statistics alone");
});

test("conv and pooling errors name the op and the shapes", () => {
  const x = zeros([1, 2, 4, 4]);
  const t = (f: () => Tensor, msg: RegExp): void => assert.throws(f, msg);
  t(() => conv2d(zeros([2, 4, 4]), zeros([1, 2, 3, 3])), /conv2d: expected NCHW input .*\[2,4,4\]/);
  t(
    () => conv2d(x, zeros([1, 3, 3, 3])),
    /conv2d: input \[1,2,4,4\] has 2 channels, weight \[1,3,3,3\] expects 3/,
  );
  t(() => conv2d(x, zeros([1, 2, 5, 5])), /conv2d: a 5x5 kernel does not fit input \[1,2,4,4\]/);
  t(() => conv2d(x, zeros([3, 2, 3, 3]), zeros([2])), /conv2d: bias must be \[3\], got \[2\]/);
  t(
    () => conv2d(x, zeros([1, 2, 3, 3]), null, { stride: 0 }),
    /conv2d: stride must be positive integers, got 0/,
  );
  t(() => maxPool2d(x, 2, { padding: 2 }), /maxPool2d: padding 2,2 is more than half the 2x2 kernel/);
  t(() => batchNorm(x, null, null, zeros([3]), null), /batchNorm: weight has shape \[3\], expected \[2\]/);
  t(
    () => batchNorm(x, null, null, null, null, { training: false }),
    /batchNorm: evaluation needs the running/,
  );
});

test("maxPool2d's one-pass kernel equals its composition (im2col + max): values, gradients, ties, NaN, −∞", () => {
  const rng = new Rng(5);
  const cases: [Shape, number, { stride?: number; padding?: number }][] = [
    [[2, 3, 6, 6], 2, {}],
    [[1, 2, 7, 5], 3, { stride: 2, padding: 1 }],
    [[2, 1, 5, 5], 3, { stride: 1, padding: 1 }],
  ];
  for (const dtype of ["float32", "float64"] as const) {
    for (const [shape, kernel, options] of cases) {
      // small integers make ties; a NaN and a −∞ window test who gets the gradient
      const values = Array.from({ length: sizeOf(shape) }, () => rng.int(4));
      values[3] = Number.NaN;
      values[7] = Number.NaN;
      for (const i of [12, 13, 18, 19]) values[i] = Number.NEGATIVE_INFINITY;
      const grads: Float32Array[] | Float64Array[] = [];
      const outs: number[][] = [];
      for (const pool of [maxPool2d, maxPool2dComposite]) {
        const x = new Tensor(
          dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values),
          shape,
          { requiresGrad: true },
        );
        const y = pool(x, kernel, options);
        const w = Array.from({ length: y.size }, (_, i) => (i % 7) - 3);
        sum(
          mul(y, new Tensor(dtype === "float32" ? Float32Array.from(w) : Float64Array.from(w), y.shape)),
        ).backward();
        outs.push(Array.from(y.data));
        (grads as (Float32Array | Float64Array)[]).push((x.grad as Tensor).data);
      }
      const where = `${dtype} ${shape} kernel ${kernel} ${JSON.stringify(options)}`;
      assert.deepEqual(outs[0], outs[1], where);
      assert.deepEqual(Array.from(grads[0]), Array.from(grads[1]), where);
    }
  }
});
