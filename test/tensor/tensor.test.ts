import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Adam,
  add,
  arange,
  concat,
  crossEntropy,
  indexSelect,
  jsBackend,
  matmul,
  mul,
  noGrad,
  ones,
  Rng,
  rand,
  randn,
  reshape,
  SGD,
  slice,
  sub,
  sum,
  Tensor,
  tensor,
  transpose,
  zeros,
} from "../../src/index.ts";

test("creation: shapes, dtypes, seeded randomness", () => {
  const t = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual(t.strides, [3, 1]);
  assert.equal(t.dtype, "float32");
  assert.deepEqual(t.toArray(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.equal(tensor(2.5, { dtype: "float64" }).item(), 2.5);
  assert.deepEqual([...zeros([2, 2]).data], [0, 0, 0, 0]);
  assert.deepEqual([...ones([3], { dtype: "float64" }).data], [1, 1, 1]);
  assert.deepEqual([...arange(5).data], [0, 1, 2, 3, 4]);
  assert.deepEqual([...arange(1, 2, 0.25).data], [1, 1.25, 1.5, 1.75]);
  assert.deepEqual([...randn([4], { rng: new Rng(3) }).data], [...randn([4], { rng: new Rng(3) }).data]);
  const u = rand([1000], { rng: new Rng(1), low: -1, high: 1 });
  assert.ok(u.data.every((v) => v >= -1 && v < 1));
});

test("errors name the op and the shapes", () => {
  assert.throws(() => matmul(zeros([2, 3]), zeros([4, 5])), /matmul: inner dims differ: \[2,3\] @ \[4,5\]/);
  assert.throws(() => add(zeros([2, 3]), zeros([4])), /add: shapes do not broadcast: \[2,3\] and \[4\]/);
  assert.throws(() => reshape(zeros([2, 3]), [4, 2]), /reshape: cannot reshape \[2,3\]/);
  assert.throws(() => sum(zeros([2, 3]), { axis: 2 }), /sum: axis 2 is out of range/);
  assert.throws(() => slice(zeros([2, 3]), [[0, 4]]), /slice: range \[0, 4\) is out of bounds/);
  assert.throws(() => concat([zeros([2, 3]), zeros([3, 3])], 1), /concat: shapes differ off axis 1/);
  assert.throws(() => crossEntropy(zeros([2, 3]), [0, 3]), /crossEntropy: target 3 \(row 1\)/);
  assert.throws(() => indexSelect(zeros([2, 3]), 0, [2]), /indexSelect: index 2 is out of range/);
  assert.throws(() => new Tensor(new Float32Array(5), [2, 3]), /Tensor: 5 numbers do not fill shape \[2,3\]/);
  assert.throws(() => zeros([2, 2]).backward(), /backward: the output has shape \[2,2\]/);
  assert.throws(() => tensor([[1, 2], [3]] as number[][]), /ragged/);
});

test("broadcast gradients are summed back to each input's shape", () => {
  const a = tensor([[1], [2]], { dtype: "float64", requiresGrad: true }); // [2,1]
  const b = tensor([10, 20, 30], { dtype: "float64", requiresGrad: true }); // [3]
  sum(mul(a, b)).backward();
  assert.deepEqual(a.grad?.toArray(), [[60], [60]]);
  assert.deepEqual(b.grad?.toArray(), [3, 3, 3]);
  assert.deepEqual(a.grad?.shape, [2, 1]);
});

test("gradients accumulate across backward calls and through reused tensors", () => {
  const x = tensor([3], { dtype: "float64", requiresGrad: true });
  const y = mul(x, x); // x used twice
  sum(add(y, x)).backward();
  assert.equal(x.grad?.item(), 7);
  sum(y).backward();
  assert.equal(x.grad?.item(), 13);
});

test("detach and noGrad stop the graph", () => {
  const w = tensor([2], { requiresGrad: true });
  const d = w.detach();
  assert.equal(d.requiresGrad, false);
  assert.equal(d.data, w.data);
  const y = noGrad(() => mul(w, 3));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.inputs.length, 0);
  assert.throws(() => y.backward(), /does not depend on any tensor that requires gradients/);
  assert.equal(mul(w, 3).requiresGrad, true);
});

test("transpose and reshape round trip", () => {
  const x = randn([2, 3, 4], { rng: new Rng(2) });
  assert.deepEqual([...transpose(transpose(x, [2, 0, 1]), [1, 2, 0]).data], [...x.data]);
  assert.deepEqual(reshape(x, [-1, 4]).shape, [6, 4]);
});

test("the packed matmul kernel agrees with plain loops, in every transposed variant", () => {
  const rng = new Rng(9);
  for (const [m, k, n] of [
    [37, 300, 53],
    [64, 64, 64],
    [5, 513, 130],
  ]) {
    const a = Float64Array.from({ length: m * k }, () => rng.uniform(-1, 1));
    const b = Float64Array.from({ length: k * n }, () => rng.uniform(-1, 1));
    const ref = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        ref[i * n + j] = s;
      }
    const at = new Float64Array(k * m);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
    const bt = new Float64Array(n * k);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j];
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const out = new Float64Array(m * n).fill(1);
      jsBackend.matmul(ta ? at : a, 0, tb ? bt : b, 0, out, 0, m, k, n, ta, tb, true);
      for (let i = 0; i < m * n; i++)
        assert.ok(Math.abs(out[i] - 1 - ref[i]) < 1e-10, `${m}x${k}x${n} ${ta} ${tb} at ${i}`);
    }
  }
});

test("tensors train with the shared SGD and Adam", () => {
  for (const make of [(p: Tensor[]) => new SGD(p, { lr: 0.1 }), (p: Tensor[]) => new Adam(p, { lr: 0.1 })]) {
    const w = tensor([[0.5], [-0.5]], { dtype: "float64", requiresGrad: true });
    const x = tensor(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      { dtype: "float64" },
    );
    const y = tensor([[1], [2], [3]], { dtype: "float64" }); // solved by w = [1, 2]
    const opt = make([w]);
    let loss = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      const d = add(matmul(x, w), mul(y, -1));
      const l = mul(sum(mul(d, d)), 1 / 3);
      l.backward();
      loss = l.item();
      opt.step();
    }
    assert.ok(loss < 1e-6, `loss ${loss}`);
    assert.ok(Math.abs(w.data[0] - 1) < 1e-2 && Math.abs(w.data[1] - 2) < 1e-2, `w ${w.data}`);
  }
});

test("reshape hands its gradient buffer to its input only when the input has none: every consumer's gradient adds up", () => {
  // x feeds a reshape and a mul; each order of the two in the backward pass, and a reshape of a leaf
  for (const reshapeFirst of [true, false]) {
    const w = tensor([1, 2, 3, 4, 5, 6], { requiresGrad: true, dtype: "float64" });
    const x = mul(w, 2); // an intermediate: its gradient lives in a recycled buffer
    const viaReshape = sum(
      mul(
        reshape(x, [2, 3]),
        tensor(
          [
            [1, 1, 1],
            [2, 2, 2],
          ],
          { dtype: "float64" },
        ),
      ),
    );
    const viaMul = sum(mul(x, 10));
    const loss = reshapeFirst ? add(viaReshape, viaMul) : add(viaMul, viaReshape);
    loss.backward();
    // d/dw = 2 · (reshape's weight + 10)
    assert.deepEqual(w.grad?.toArray(), [22, 22, 22, 24, 24, 24]);
  }
  const leaf = tensor([1, 2], { requiresGrad: true });
  sum(mul(reshape(leaf, [2, 1]), 3)).backward();
  sum(mul(reshape(leaf, [1, 2]), 4)).backward();
  assert.deepEqual(leaf.grad?.toArray(), [7, 7]); // a leaf's gradient accumulates across passes
});

test("a sum's gradient handed on to its operand is never shared by two tensors (h + h, h − h, (h + h) + h)", () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const h = mul(x, 2); // not a leaf, so add may hand its gradient buffer over to it
  const cases: [() => Tensor, number][] = [
    [() => add(h, h), 4],
    [() => sub(h, h), 0],
    [() => add(add(h, h), h), 6],
    [() => add(reshape(h, [3]), h), 4],
  ];
  const gradOf = (t: Tensor): number[] => Array.from(t.grad?.data ?? []);
  for (const [f, want] of cases) {
    x.grad = null;
    sum(mul(f(), tensor([1, 1, 1]))).backward();
    assert.deepEqual(gradOf(x), [want, want, want]);
  }
});
