// Behaviour at NaN, ±∞, ±0 and large inputs is the same on every path: the scalar engine (the
// oracle), the tensor engine on the js backend (float64 and float32) and on the wasm backend
// (float32, every call sent to WebAssembly), and the plain-number activations the playground
// draws with. Forward values and gradients, one table of inputs for every op.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  activateNumber,
  type Backend,
  backend,
  crossEntropy,
  exp,
  jsBackend,
  log,
  logSoftmax,
  max,
  pow,
  relu,
  setBackend,
  sigmoid,
  softmaxTensor,
  sum,
  Tensor,
  tanh,
  Value,
} from "../../src/index.ts";
import { createWasmBackend } from "../../src/tensor/backends/wasm/wasm-backend.ts";
import { layerRows } from "../../web/src/forward.ts";
import { isClose } from "../helpers/close.ts";
import { SPECIAL_VALUES } from "../helpers/special-values.ts";

const wasm = await createWasmBackend({ minMatmul: 0, minElementwise: 0 });
const before = backend();
after(() => setBackend(before));

const SPECIAL = SPECIAL_VALUES;
// long enough that the SIMD kernels see full vectors and a tail
const INPUTS = [...SPECIAL, ...SPECIAL.map((v) => -v), ...SPECIAL.slice(0, 5)];

interface Case {
  readonly name: string;
  readonly scalar: (v: Value) => Value;
  readonly tensor: (t: Tensor) => Tensor;
}

const CASES: Case[] = [
  { name: "relu", scalar: (v) => v.relu(), tensor: relu },
  { name: "tanh", scalar: (v) => v.tanh(), tensor: tanh },
  { name: "sigmoid", scalar: (v) => v.sigmoid(), tensor: sigmoid },
  { name: "exp", scalar: (v) => v.exp(), tensor: exp },
  { name: "log", scalar: (v) => v.log(), tensor: log },
  { name: "pow 2", scalar: (v) => v.pow(2), tensor: (t) => pow(t, 2) },
  { name: "pow 3", scalar: (v) => v.pow(3), tensor: (t) => pow(t, 3) },
  { name: "pow 0", scalar: (v) => v.pow(0), tensor: (t) => pow(t, 0) },
  { name: "pow 0.5", scalar: (v) => v.pow(0.5), tensor: (t) => pow(t, 0.5) },
];

/** The scalar engine's value and gradient at `v`. */
function scalarAt(c: Case, v: number): { y: number; dy: number } {
  const x = new Value(v);
  const y = c.scalar(x);
  y.backward();
  return { y: y.data, dy: x.grad };
}

function tensorAt(
  c: Case,
  data: Float32Array | Float64Array,
): { y: ArrayLike<number>; dy: ArrayLike<number> } {
  const x = new Tensor(data, [data.length], { requiresGrad: true });
  const y = c.tensor(x);
  sum(y).backward();
  return { y: y.data, dy: x.grad?.data ?? [] };
}

function same(got: number, want: number, tol: number, what: string): void {
  assert.ok(isClose(got, want, tol), `${what}: got ${got}, expected ${want}`);
}

const PATHS: { readonly name: string; readonly backend: Backend; readonly dtype: "float32" | "float64" }[] = [
  { name: "js float64", backend: jsBackend, dtype: "float64" },
  { name: "js float32", backend: jsBackend, dtype: "float32" },
  { name: "wasm float32", backend: wasm, dtype: "float32" },
];

for (const c of CASES) {
  test(`${c.name}: scalar engine, js and wasm agree at NaN, ±∞, ±0 and large inputs (value and gradient)`, () => {
    for (const path of PATHS) {
      setBackend(path.backend);
      const f32 = path.dtype === "float32";
      const data = f32 ? Float32Array.from(INPUTS) : Float64Array.from(INPUTS);
      const got = tensorAt(c, data);
      data.forEach((v, i) => {
        // float32: the scalar engine on the float32 input, its result rounded to float32
        const want = scalarAt(c, v);
        const round = f32 ? Math.fround : (n: number) => n;
        const tol = f32 ? 2e-6 : 1e-15;
        same(got.y[i], round(want.y), tol, `${c.name}(${v}) on ${path.name}`);
        same(got.dy[i], round(want.dy), tol, `${c.name}'(${v}) on ${path.name}`);
      });
    }
    setBackend(before);
  });
}

test("the playground's forward pass uses the library's activations (NaN passes ReLU)", () => {
  for (const activation of ["relu", "tanh", "sigmoid", "linear"] as const) {
    for (const v of INPUTS) {
      const want =
        activation === "linear" ? v : scalarAt(CASES.find((c) => c.name === activation) as Case, v).y;
      same(activateNumber(v, activation), want, 0, `activateNumber(${v}, ${activation})`);
      // one neuron, weight 1, bias 0, on the input (v, 0)
      const [out] = layerRows([1, 0, 0], [1], [activation], [v, 0], 1);
      same(out[0], want, 0, `layerRows ${activation}(${v})`);
    }
  }
});

test("max over an axis: NaN wins and takes the gradient; ±∞ as numbers; js and wasm agree", () => {
  const pairs = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1, 0].flatMap((a) =>
    [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1].map((b) => [a, b]),
  );
  for (const path of PATHS) {
    setBackend(path.backend);
    const flat = pairs.flat();
    const data = path.dtype === "float32" ? Float32Array.from(flat) : Float64Array.from(flat);
    const x = new Tensor(data, [pairs.length, 2], { requiresGrad: true });
    const m = max(x, { axis: 1 });
    sum(m).backward();
    pairs.forEach(([a, b], r) => {
      // the value is the scalar engine's `max`; the gradient goes to the first maximal element
      // (PyTorch's max(dim)), a NaN being maximal
      same(m.data[r], new Value(a).max(b).data, 0, `max(${a}, ${b}) on ${path.name}`);
      const first = Number.isNaN(a) || (!Number.isNaN(b) && a >= b) ? 0 : 1;
      assert.deepEqual([...(x.grad?.data.slice(2 * r, 2 * r + 2) ?? [])], first === 0 ? [1, 0] : [0, 1]);
    });
  }
  setBackend(before);
});

test("softmax, log-softmax and cross-entropy at NaN, ±∞ and huge logits: js and wasm agree", () => {
  const rows = [
    [Number.NaN, 0, 1],
    [Number.POSITIVE_INFINITY, 0, 1],
    [Number.NEGATIVE_INFINITY, 0, 1],
    [1e30, 0, -1e30],
    [100, -100, 0],
    [-1e30, -1e30, -1e30],
  ];
  const run = (b: Backend): number[][] => {
    setBackend(b);
    const x = new Tensor(Float32Array.from(rows.flat()), [rows.length, 3], { requiresGrad: true });
    const ce = crossEntropy(x, [1, 2, 0, 0, 1, 2]);
    ce.backward();
    return [[...softmaxTensor(x).data], [...logSoftmax(x).data], [ce.item()], [...(x.grad?.data ?? [])]];
  };
  const want = run(jsBackend);
  const got = run(wasm);
  setBackend(before);
  // the finite rows give finite probabilities
  assert.ok(want[0].slice(9).every(Number.isFinite), "finite logits give finite probabilities");
  ["softmax", "logSoftmax", "crossEntropy", "crossEntropy gradient"].forEach((what, k) => {
    want[k].forEach((w, i) => {
      same(got[k][i], w, 2e-6, `${what}[${i}]`);
    });
  });
});
