// The ops a transformer adds (einsum, masked fill, layer norm, GELU, sequence cross-entropy),
// through the shared op-test helper: forward against plain numbers, gradients against central
// finite differences (float64), one fast-check property each. PyTorch goldens: golden.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  add,
  causalMask,
  crossEntropy,
  einsum,
  gelu,
  layerNorm,
  maskedFill,
  matmul,
  mul,
  reshape,
  type Shape,
  sum,
  Tensor,
  tensor,
  transpose,
} from "../../src/index.ts";
import { checkOp } from "./op-check.ts";

/** Plain-number einsum: every assignment of the letters, summed into the output's entry. */
function einsumRef(spec: string): (inputs: number[][], shapes: Shape[]) => number[] {
  const [lhs, out] = spec.split("->");
  const terms = lhs.split(",");
  return (inputs, shapes) => {
    const size = new Map<string, number>();
    terms.forEach((t, i) => {
      [...t].forEach((c, a) => {
        size.set(c, shapes[i][a]);
      });
    });
    const letters = [...size.keys()];
    const result = new Array<number>([...out].reduce((p, c) => p * (size.get(c) ?? 1), 1)).fill(0);
    const at = new Map<string, number>();
    const flat = (term: string, shape: readonly number[]): number =>
      [...term].reduce((f, c, a) => f * shape[a] + (at.get(c) ?? 0), 0);
    const visit = (i: number): void => {
      if (i === letters.length) {
        let p = 1;
        terms.forEach((t, k) => {
          p *= inputs[k][flat(t, shapes[k])];
        });
        result[
          flat(
            out,
            [...out].map((c) => size.get(c) ?? 1),
          )
        ] += p;
        return;
      }
      for (let v = 0; v < (size.get(letters[i]) ?? 0); v++) {
        at.set(letters[i], v);
        visit(i + 1);
      }
    };
    visit(0);
    return result;
  };
}

const SPECS: [string, Shape[]][] = [
  [
    "bhtd,bhsd->bhts",
    [
      [2, 2, 3, 4],
      [2, 2, 3, 4],
    ],
  ],
  [
    "bhts,bhsd->bhtd",
    [
      [2, 2, 3, 3],
      [2, 2, 3, 4],
    ],
  ],
  [
    "ij,jk->ik",
    [
      [3, 4],
      [4, 2],
    ],
  ],
  [
    "ji,jk->ik",
    [
      [4, 3],
      [4, 2],
    ],
  ],
  [
    "ij,kj->ki",
    [
      [3, 4],
      [2, 4],
    ],
  ],
  [
    "ijk,jl->lik",
    [
      [2, 3, 4],
      [3, 2],
    ],
  ],
  [
    "ij,kl->ik",
    [
      [2, 3],
      [4, 2],
    ],
  ],
  ["i,i->", [[5], [5]]],
  ["i,j->ij", [[3], [2]]],
  ["ijk->kj", [[2, 3, 4]]],
  ["ij->", [[2, 3]]],
  [
    "ij,jk,kl->il",
    [
      [2, 3],
      [3, 4],
      [4, 2],
    ],
  ],
];
for (const [spec, shapes] of SPECS) {
  test(`einsum ${spec}`, () =>
    checkOp(`einsum ${spec}`, (...xs) => einsum(spec, ...xs), shapes, einsumRef(spec)));
}

test("einsum is matmul on the spec of a batched product, with either operand transposed", () => {
  const a = tensor([
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
  ]);
  const b = tensor([
    [
      [1, 0, 2],
      [0, 1, 3],
    ],
  ]);
  assert.deepEqual(einsum("bij,bjk->bik", a, b).toArray(), matmul(a, b).toArray());
  assert.deepEqual(einsum("bij,bkj->bik", a, transpose(b)).toArray(), matmul(a, b).toArray());
  assert.deepEqual(einsum("bji,bjk->bik", transpose(a), b).toArray(), matmul(a, b).toArray());
  // without "->", the letters that appear once, in alphabetical order
  assert.deepEqual(einsum("ij,jk", reshape(a, [3, 2]), reshape(b, [2, 3])).shape, [3, 3]);
});

test("einsum says what is wrong with a spec", () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  assert.throws(() => einsum("ij,jk->ik", x), /2 operand\(s\) in the spec, 1 tensor\(s\) given/);
  assert.throws(() => einsum("ijk->i", x), /operand 0 "ijk" has 3 letters, its tensor is \[2,2\]/);
  assert.throws(() => einsum("ii->i", x), /repeats a letter \(diagonals are not supported\)/);
  assert.throws(
    () => einsum("ij,jk->ik", x, tensor([[1, 2, 3]])),
    /letter j is 2 in one place and 1 in operand 1/,
  );
  assert.throws(() => einsum("ij->iz", x), /output letter z is in no operand/);
  assert.throws(() => einsum("i j => j", x), /use letters, commas and one '->'/);
});

test("maskedFill with a value", () =>
  checkOp(
    "maskedFill value",
    (x) =>
      maskedFill(
        x,
        tensor([
          [1, 0, 0],
          [0, 1, 0],
        ]),
        0.25,
      ),
    [[2, 2, 3]],
    ([x]) => x.map((v, i) => ([1, 0, 0, 0, 1, 0][i % 6] === 1 ? 0.25 : v)),
  ));
test("maskedFill with -Infinity: the causal mask", () => {
  const x = tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
    { requiresGrad: true },
  );
  const y = maskedFill(x, causalMask(3), Number.NEGATIVE_INFINITY);
  const inf = Number.NEGATIVE_INFINITY;
  assert.deepEqual(y.toArray(), [
    [1, inf, inf],
    [4, 5, inf],
    [7, 8, 9],
  ]);
  reshape(y, [9]).backward(tensor([1, 1, 1, 1, 1, 1, 1, 1, 1]));
  assert.deepEqual(x.grad?.toArray(), [
    [1, 0, 0],
    [1, 1, 0],
    [1, 1, 1],
  ]);
  assert.throws(
    () => maskedFill(x, causalMask(2), 0),
    /maskedFill: shapes do not broadcast: \[3,3\] and \[2,2\]/,
  );
  assert.throws(() => causalMask(0), /size must be an integer >= 1/);
});

const ln = (x: number[], c: number, w?: number[], b?: number[]): number[] =>
  x.map((v, i) => {
    const row = x.slice(i - (i % c), i - (i % c) + c);
    const mu = row.reduce((s, r) => s + r, 0) / c;
    const variance = row.reduce((s, r) => s + (r - mu) ** 2, 0) / c;
    return ((v - mu) / Math.sqrt(variance + 1e-5)) * (w?.[i % c] ?? 1) + (b?.[i % c] ?? 0);
  });
test("layerNorm", () =>
  checkOp(
    "layerNorm",
    (x, w, b) => layerNorm(x, w, b),
    [[2, 3, 4], [4], [4]],
    ([x, w, b]) => ln(x, 4, w, b),
  ));
test("layerNorm without weight and bias", () =>
  checkOp(
    "layerNorm plain",
    (x) => layerNorm(x, null, null),
    [[3, 5]],
    ([x]) => ln(x, 5),
  ));
test("layerNorm names a weight of the wrong shape", () => {
  assert.throws(
    () => layerNorm(tensor([[1, 2, 3]]), tensor([1, 1]), null),
    /weight has shape \[2\], expected \[3\]/,
  );
});

const geluRef = (v: number): number =>
  0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
test("gelu (tanh approximation)", () =>
  checkOp("gelu", gelu, [[3, 4]], ([x]) => x.map(geluRef), { low: -4, high: 4 }));

test("crossEntropy over [batch, time, vocab] with ignored targets", () => {
  const targets = [1, 4, -1, 0, 2, -1];
  checkOp(
    "crossEntropy3d",
    (x) => crossEntropy(x, targets, { ignoreIndex: -1 }),
    [[2, 3, 5]],
    ([x]) => {
      let total = 0;
      let n = 0;
      targets.forEach((t, r) => {
        if (t < 0) return;
        const row = x.slice(r * 5, r * 5 + 5);
        const m = Math.max(...row);
        total += m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) - row[t];
        n++;
      });
      return [total / n];
    },
  );
  const x = new Tensor(new Float64Array(6), [1, 2, 3]);
  assert.throws(
    () => crossEntropy(x, [-1, -1], { ignoreIndex: -1 }),
    /every one of the 2 targets is ignored/,
  );
  assert.throws(() => crossEntropy(x, [0]), /2 rows of logits \(\[1,2,3\]\) but 1 targets/);
});

test("einsum gradients reaching inner tensors (their own buffers, or added) equal matmul's", () => {
  const grads = (f: (h: Tensor) => Tensor): number[] => {
    const x = tensor(
      [
        [1, -2, 0.5],
        [3, 0.25, -1],
        [2, 1, 4],
      ],
      { dtype: "float64", requiresGrad: true },
    );
    const h = mul(x, 2); // not a leaf: einsum hands it its gradient buffer
    sum(mul(f(h), tensor([[1, 2, 3]], { dtype: "float64" }))).backward();
    return Array.from(x.grad?.data ?? []);
  };
  for (const [what, viaEinsum, viaMatmul] of [
    ["h·h", (h: Tensor) => einsum("ij,jk->ik", h, h), (h: Tensor) => matmul(h, h)],
    [
      "h·hᵀ + h",
      (h: Tensor) => add(einsum("ij,kj->ik", h, h), h),
      (h: Tensor) => add(matmul(h, transpose(h)), h),
    ],
  ] as const) {
    const got = grads(viaEinsum);
    const want = grads(viaMatmul);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `${what}[${i}]: ${v} vs ${want[i]}`));
  }
});
