// The wasm backend against the js reference backend, kernel by kernel, within float32
// tolerance; threads against one thread (bit for bit); memory flat over many calls.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { nodeWorkerFactory } from "../../../src/cli/wasm-threads.ts";
import { backend, init, Rng } from "../../../src/index.ts";
import { jsBackend } from "../../../src/tensor/backends/js.ts";
import { wasmLayerNorm } from "../../../src/tensor/backends/wasm/layer-norm-calls.ts";
import { WasmRuntime } from "../../../src/tensor/backends/wasm/runtime.ts";
import { createWasmBackend } from "../../../src/tensor/backends/wasm/wasm-backend.ts";

const one = await createWasmBackend({ minMatmul: 0, minElementwise: 0 });
const oneRuntime = await WasmRuntime.create();
const two = await createWasmBackend({
  threads: 2,
  workerFactory: nodeWorkerFactory(),
  minMatmul: 0,
  minElementwise: 0,
  parallelMin: 0,
});
after(() => two.dispose());

const rng = new Rng(8);
const rand = (n: number, scale = 1): Float32Array =>
  Float32Array.from({ length: n }, () => rng.normal() * scale);

function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  atol: number,
  rtol: number,
  what: string,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    const g = got[i];
    if (Number.isNaN(w)) assert.ok(Number.isNaN(g), `${what}[${i}]: got ${g}, expected NaN`);
    else if (!Number.isFinite(w)) assert.equal(g, w, `${what}[${i}]`);
    else assert.ok(Math.abs(g - w) <= atol + rtol * Math.abs(w), `${what}[${i}]: got ${g}, expected ${w}`);
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 8],
  [17, 31, 9],
  [64, 33, 130],
  [130, 300, 70],
  [5, 513, 261],
];

test("wasm matmul agrees with js for every transpose, offsets and accumulate", () => {
  for (const [m, k, n] of SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) {
          const a = rand(m * k + 3);
          const b = rand(k * n + 5);
          const want = rand(m * n + 2);
          const got = want.slice();
          jsBackend.matmul(a, 3, b, 5, want, 2, m, k, n, transA, transB, accumulate);
          one.matmul(a, 3, b, 5, got, 2, m, k, n, transA, transB, accumulate);
          // float32 accumulation over k terms of size ~1: error grows like sqrt(k)·eps.
          assertClose(
            got,
            want,
            2e-6 * Math.sqrt(k) * 4,
            1e-5,
            `matmul ${m}x${k}x${n} tA=${transA} tB=${transB}`,
          );
        }
      }
    }
  }
});

test("two threads give exactly the one-thread result", () => {
  assert.equal(two.threads, 2);
  for (const [m, k, n] of [...SHAPES, [200, 64, 20] as [number, number, number]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = rand(m * k);
        const b = rand(k * n);
        const x = rand(m * n);
        const y = x.slice();
        one.matmul(a, 0, b, 0, x, 0, m, k, n, transA, transB, true);
        two.matmul(a, 0, b, 0, y, 0, m, k, n, transA, transB, true);
        assert.deepEqual(y, x, `threads ${m}x${k}x${n}`);
      }
    }
  }
});

const SPECIAL = [0, -0, 1e-30, 1e-6, -1e-6, 0.39, 0.41, 88, 88.7, 89, 100, -87, -88, -89, -100, -1e4, 1e4];
const SPECIAL_ALL = [...SPECIAL, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];

for (const op of ["exp", "log", "tanh", "sigmoid"] as const) {
  test(`wasm ${op} agrees with js to float32 precision, special values included`, () => {
    const x = Float32Array.from([...rand(997, 6), ...SPECIAL_ALL]);
    if (op === "log") for (let i = 0; i < 997; i++) x[i] = Math.abs(x[i]) * (i % 7 === 0 ? 1e-3 : 1);
    const want = new Float32Array(x.length);
    const got = new Float32Array(x.length);
    jsBackend.unary(op, x, want, 0);
    one.unary(op, x, got, 0);
    assertClose(got, want, 1e-7, 4e-7, op);
  });
}

test("wasm relu gives exactly the js results (NaN, ±0 and odd lengths included)", () => {
  for (const n of [1, 3, 4, 17, 1000]) {
    const x = rand(n);
    x[0] = Number.NaN;
    if (n > 2) x[1] = -0;
    if (n > 3) x[2] = 0;
    const want = new Float32Array(n);
    const got = new Float32Array(n);
    jsBackend.unary("relu", x, want, 0);
    one.unary("relu", x, got, 0);
    assert.deepEqual(got, want, `relu ${n}`);
  }
});

test("wasm +−×÷ (same length, repeated rows, a scalar) give exactly the js results, in place too", () => {
  const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-40, 3e38];
  for (const op of ["add", "sub", "mul", "div"] as const) {
    for (const [n, width] of [
      [1, 1],
      [7, 7],
      [1000, 16],
      [1000, 24], // the last row cut short
      [4096, 192],
    ]) {
      const a = rand(n, 3);
      const b = rand(n, 3);
      special.forEach((v, i) => {
        a[i % n] = v;
        b[(i * 3) % n] = special[(i + 2) % special.length];
      });
      const row = b.subarray(0, width);
      const cases: [string, (k: typeof one, out: Float32Array) => void][] = [
        ["binary", (k, out) => k.binary(op, a, b, out)],
        ["binaryRows", (k, out) => k.binaryRows(op, a, row, out)],
        ["binaryScalar", (k, out) => k.binaryScalar(op, a, -1.75, out)],
        ["binaryScalar by 0.1 (not a float32)", (k, out) => k.binaryScalar(op, a, 0.1, out)],
      ];
      for (const [what, run] of cases) {
        const want = new Float32Array(n);
        const got = new Float32Array(n);
        run(jsBackend as typeof one, want);
        run(one, got);
        assert.deepEqual(got, want, `${what} ${op} n=${n}`);
      }
      // out may be an input
      const want = new Float32Array(n);
      jsBackend.binary(op, a, b, want);
      const inPlace = a.slice();
      one.binary(op, inPlace, b, inPlace);
      assert.deepEqual(inPlace, want, `${op} in place`);
    }
  }
});

test("wasm sums over the middle axis give exactly the js results (the same order and rounding)", () => {
  for (const [outer, mid, inner] of [
    [1, 1, 4],
    [1, 1000, 192],
    [3, 17, 5],
    [2, 64, 7],
    [4, 9, 2], // too narrow for vectors: the js loop
    [5, 3, 1],
  ]) {
    const x = rand(outer * mid * inner, 10);
    x[0] = Number.NaN;
    x[x.length - 1] = Number.POSITIVE_INFINITY;
    for (const op of ["sum", "max"] as const) {
      const want = new Float32Array(outer * inner);
      const got = new Float32Array(outer * inner);
      jsBackend.reduce(op, x, outer, mid, inner, want);
      one.reduce(op, x, outer, mid, inner, got);
      assert.deepEqual(got, want, `${op} over [${outer}, ${mid}, ${inner}]`);
    }
  }
});

test("wasm strided copies and their adding back give exactly the js results", () => {
  // [shape, strides, offset] of the strided side: an attention head split, a slice of every
  // row, a transpose (runs one number long), a broadcast (runs added onto the same numbers),
  // odd and reversed steps
  const cases: [number[], number[], number][] = [
    [[4, 2, 8, 4], [64, 4, 8, 1], 0],
    [[3, 5, 6], [60, 12, 1], 6],
    [[7, 9], [1, 7], 0],
    [[5, 4, 8], [0, 8, 1], 0],
    [[6, 5], [10, 2], 1],
    [[4, 3], [3, -1], 2],
  ];
  for (const [shape, strides, offset] of cases) {
    const size = shape.reduce((a, b) => a * b, 1);
    let reach = offset;
    shape.forEach((d, i) => {
      reach += (d - 1) * Math.max(0, strides[i]);
    });
    const x = rand(reach + 3, 10);
    const want = new Float32Array(size);
    const got = new Float32Array(size);
    jsBackend.gatherStrided(x, offset, strides, shape, want);
    one.gatherStrided(x, offset, strides, shape, got);
    assert.deepEqual(got, want, `gather [${shape}] by [${strides}]`);
    const g = rand(size, 3);
    const dxWant = rand(x.length);
    const dxGot = dxWant.slice();
    jsBackend.scatterAddStrided(g, shape, dxWant, offset, strides);
    one.scatterAddStrided(g, shape, dxGot, offset, strides);
    assert.deepEqual(dxGot, dxWant, `add back [${shape}] by [${strides}]`);
  }
});

test("wasm layer norm (forward and gradients) runs in WebAssembly for whole vectors and agrees with the js loops", () => {
  const js = jsBackend.fused;
  for (const [rows, cols] of [
    [1, 4],
    [37, 64],
    [300, 16],
  ]) {
    const n = rows * cols;
    const x = rand(n, 3);
    const w = rand(cols);
    const b = rand(cols);
    const outs = [0, 1].map(() => ({
      y: new Float32Array(n),
      xhat: new Float32Array(n),
      rstd: new Float32Array(rows),
    }));
    // one.fused falls back to the js loops when it cannot: `wasmLayerNorm` alone says it ran
    assert.equal(wasmLayerNorm(oneRuntime, 0).layerNorm(x, w, b, rows, cols, 1e-5, outs[0]), true);
    js?.layerNorm?.(x, w, b, rows, cols, 1e-5, outs[1]);
    assertClose(outs[0].y, outs[1].y, 1e-5, 1e-5, `layerNorm y ${rows}x${cols}`);
    assertClose(outs[0].rstd, outs[1].rstd, 1e-6, 1e-5, `layerNorm rstd ${rows}x${cols}`);
    const g = rand(n);
    const grads = [0, 1].map(() => ({ dx: rand(n), dw: rand(cols), db: rand(cols) }));
    grads[1] = { dx: grads[0].dx.slice(), dw: grads[0].dw.slice(), db: grads[0].db.slice() };
    const { xhat, rstd } = outs[1];
    assert.equal(wasmLayerNorm(oneRuntime, 0).layerNormGrad(g, xhat, rstd, w, rows, cols, grads[0]), true);
    js?.layerNormGrad?.(g, xhat, rstd, w, rows, cols, grads[1]);
    for (const k of ["dx", "dw", "db"] as const)
      assertClose(grads[0][k], grads[1][k], 1e-5, 1e-5, `layerNormGrad ${k} ${rows}x${cols}`);
  }
  // rows not a whole number of vectors wide, or no weight: not for the WebAssembly kernels
  const out = { y: new Float32Array(10), xhat: new Float32Array(10), rstd: new Float32Array(2) };
  assert.equal(wasmLayerNorm(oneRuntime, 0).layerNorm(rand(10), rand(5), rand(5), 2, 5, 1e-5, out), false);
  assert.equal(wasmLayerNorm(oneRuntime, 0).layerNorm(rand(8), null, null, 2, 4, 1e-5, out), false);
});

test("wasm (log-)softmax gradients agree with the js loop (softmax rows of whole vectors in WebAssembly, others in js)", () => {
  for (const [rows, cols] of [
    [1, 4],
    [128, 64],
    [5, 83],
    [3, 1],
  ]) {
    for (const log of [false, true]) {
      const n = rows * cols;
      const y = new Float32Array(n);
      jsBackend.softmax(rand(n, 3), rows, cols, y, log);
      const g = rand(n);
      const start = rand(n);
      const [got, want] = [start.slice(), start.slice()];
      assert.equal(one.fused?.softmaxGrad?.(y, g, rows, cols, log, got), true);
      jsBackend.fused?.softmaxGrad?.(y, g, rows, cols, log, want);
      assertClose(got, want, 1e-6, 1e-5, `${log ? "log" : ""}softmaxGrad ${rows}x${cols}`);
    }
  }
});

test("wasm softmax and log-softmax agree with js", () => {
  for (const [rows, cols] of [
    [1, 1],
    [3, 10],
    [7, 13],
    [128, 10],
    [2, 100],
  ]) {
    const x = rand(rows * cols, 8);
    for (const log of [false, true]) {
      const want = new Float32Array(x.length);
      const got = new Float32Array(x.length);
      jsBackend.softmax(x, rows, cols, want, log);
      one.softmax(x, rows, cols, got, log);
      // log-softmax values are differences of numbers up to ~30: absolute float32 rounding.
      assertClose(got, want, log ? 1e-5 : 1e-7, 1e-6, `softmax ${rows}x${cols} log=${log}`);
    }
  }
});

test("float64 data runs on the js kernels (identical results)", () => {
  const a = Float64Array.from(rand(40 * 30));
  const b = Float64Array.from(rand(30 * 20));
  const want = new Float64Array(40 * 20);
  const got = new Float64Array(40 * 20);
  jsBackend.matmul(a, 0, b, 0, want, 0, 40, 30, 20, false, false, false);
  one.matmul(a, 0, b, 0, got, 0, 40, 30, 20, false, false, false);
  assert.deepEqual(got, want);
  const e1 = new Float64Array(a.length);
  const e2 = new Float64Array(a.length);
  jsBackend.unary("exp", a, e1, 0);
  one.unary("exp", a, e2, 0);
  assert.deepEqual(e2, e1);
});

test("memory stays flat over many calls once the largest has been seen", () => {
  const big = rand(300 * 300);
  const out = new Float32Array(300 * 300);
  one.matmul(big, 0, big, 0, out, 0, 300, 300, 300, false, true, false);
  const bytes = one.memoryBytes();
  for (let i = 0; i < 500; i++) {
    const s = 1 + (i % 300);
    one.matmul(big, 0, big, 0, out, 0, s, 300, s, i % 2 === 0, false, i % 3 === 0);
    one.unary("exp", big, out, 0);
  }
  assert.equal(one.memoryBytes(), bytes);
});

test("init('wasm') installs the backend; init names what exists when asked for something else", async () => {
  const b = await init("wasm");
  assert.equal(b.name, "wasm");
  assert.equal(backend().name, "wasm");
  await init("js");
  assert.equal(backend().name, "js");
  await assert.rejects(init("gpu" as "js"), /init: unknown backend "gpu" \(available: js, wasm, webgpu\)/);
});

test("exp of a very negative number and a softmax over -Infinity give exact zeros, never subnormals", () => {
  const x = Float32Array.from({ length: 16 }, (_, i) =>
    i % 4 === 0 ? 0 : i % 4 === 1 ? -1e30 : i % 4 === 2 ? -90 : Number.NEGATIVE_INFINITY,
  );
  const e = new Float32Array(16);
  one.unary("exp", x, e, 0);
  for (let i = 0; i < 16; i++) assert.equal(e[i], i % 4 === 0 ? 1 : 0, `exp(${x[i]})`);
  const s = new Float32Array(16);
  one.softmax(x, 4, 4, s, false);
  for (let i = 0; i < 16; i++) assert.equal(s[i], i % 4 === 0 ? 1 : 0, `softmax entry ${i}`);
});
