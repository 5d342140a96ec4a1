// Trying to break the typed-array tape (src/engine/tape.ts): values are slots in chunks that a
// backward pass seals and the garbage collector frees. Whatever happens to chunks, a Value must
// keep meaning what it meant: its data and grad stay readable, graphs may span chunks, and an
// old graph can still run backward after newer ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { chunksFrom } from "../../src/engine/tape.ts";
import { CompiledGraph, hinge, MLP, moons, topologicalOrder, Value } from "../../src/index.ts";
import { assertClose } from "../helpers/close.ts";
import { numericGradient } from "../helpers/gradcheck.ts";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** A full garbage collection, after the current job (WeakRefs are only cleared between jobs). */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await tick();
    gc();
  }
}

/** micrograd's training step, written by hand: forward, hinge loss, backward, manual update. */
function trainStep(model: MLP, x: number[][], y: number[], lr: number): { loss: Value; score: Value } {
  const outputs = x.map((row) => model.forward(row.map((v) => new Value(v))));
  const loss = hinge(outputs, y);
  model.zeroGrad();
  loss.backward();
  for (const p of model.parameters()) p.data -= lr * p.grad;
  return { loss, score: outputs[0][0] };
}

test("values from old training steps keep their data, grad, op and label after many later steps", async () => {
  const data = moons({ n: 10, seed: 5 });
  const model = new MLP(2, [6, 6, 1], { seed: 5 });
  const kept: {
    loss: Value;
    score: Value;
    data: number;
    grad: number;
    scoreData: number;
    scoreGrad: number;
  }[] = [];
  for (let step = 0; step < 300; step++) {
    const { loss, score } = trainStep(model, data.x, data.y, 0.05);
    if (step % 25 === 0) {
      loss.label = `loss ${step}`;
      kept.push({
        loss,
        score,
        data: loss.data,
        grad: loss.grad,
        scoreData: score.data,
        scoreGrad: score.grad,
      });
    }
  }
  await collect();
  // plenty of newer chunks come and go in between
  for (let step = 0; step < 60; step++) trainStep(model, data.x, data.y, 0.05);
  await collect();
  const chunks = new Set(kept.map((k) => k.loss.chunk));
  assert.equal(chunks.size, kept.length, "each kept step lives in its own chunk");
  kept.forEach((k, i) => {
    assert.equal(k.loss.data, k.data, `loss of kept step ${i}`);
    assert.equal(k.loss.grad, k.grad);
    assert.equal(k.score.data, k.scoreData);
    assert.equal(k.score.grad, k.scoreGrad);
    assert.equal(k.loss.op, "mul");
    assert.equal(k.loss.label, `loss ${i * 25}`);
  });
  assert.ok(kept[0].data > kept[kept.length - 1].data, "and training did reduce the loss");
});

test("chunks nobody refers to are freed (memory stays flat); chunks behind a held value are not", async () => {
  const data = moons({ n: 10, seed: 6 });
  const model = new MLP(2, [4, 1], { seed: 6 });
  const refs: WeakRef<object>[] = [];
  let held: Value | undefined;
  for (let step = 0; step < 40; step++) {
    const { loss } = trainStep(model, data.x, data.y, 0.1);
    refs.push(new WeakRef(loss.chunk));
    if (step === 10) held = loss;
  }
  await collect();
  const alive = refs.map((r) => r.deref() !== undefined);
  assert.ok(alive[10], "the chunk of a held value survives");
  assert.equal(held?.chunk, refs[10].deref());
  const freed = alive.slice(0, 38).filter((a, i) => !a && i !== 10).length;
  assert.ok(freed >= 35, `old chunks should be collected, ${freed} of 37 were`);
});

test("a chunk that grows past its first capacity keeps every handle working", () => {
  new Value(0).backward(); // seal whatever chunk is current: what follows starts a fresh chunk
  const first = new Value(0.5);
  const firstCapacity = first.chunk.data.length;
  let v = first;
  const handles: Value[] = [];
  for (let i = 0; i < 20 * firstCapacity; i++) {
    v = v.mul(0.999).add(0.001);
    if (i % 997 === 0) handles.push(v);
  }
  assert.equal(v.chunk, first.chunk, "still one chunk");
  assert.ok(first.chunk.data.length > firstCapacity, "and it grew");
  const values = handles.map((h) => h.data);
  v.backward();
  assert.equal(first.data, 0.5);
  assertClose(first.grad, 0.999 ** (20 * firstCapacity), 1e-9, "first.grad");
  // each handle's gradient is the product of the remaining factors
  handles.forEach((h, k) => {
    assert.equal(h.data, values[k]);
    assertClose(h.grad, 0.999 ** (20 * firstCapacity - 1 - 997 * k), 1e-9, `handle ${k} grad`);
  });
  // the next chunk is sized like this one: a bigger graph still grows it
  const next = new Value(1);
  assert.notEqual(next.chunk, first.chunk);
  assert.ok(next.chunk.data.length >= 20 * firstCapacity);
  let w = next;
  for (let i = 0; i < 45 * firstCapacity; i++) w = w.add(first);
  w.backward();
  assert.equal(next.grad, 1);
  assertClose(first.grad, 0.999 ** (20 * firstCapacity) + 45 * firstCapacity, 1e-9, "first.grad accumulated");
});

/**
 * f(x0..x3) built in pieces: after each piece a backward pass (which seals the chunk) and an
 * unrelated graph with its own backward, so the final graph spans many chunks with unrelated
 * chunks between them.
 */
function spanning(xs: Value[], interrupt: boolean): Value {
  let v = xs[0];
  for (let k = 0; k < 60; k++) {
    v = v
      .mul(xs[1 + (k % 3)])
      .add(k / 60)
      .tanh()
      .add(xs[k % 4].mul(0.1));
    if (interrupt) {
      v.backward();
      new Value(k).mul(2).exp().backward();
    }
  }
  return v;
}

test("a graph spanning many chunks (with unrelated chunks between) gives the same gradients", () => {
  const at = [0.3, -0.7, 1.1, 0.5];
  const plainLeaves = at.map((x) => new Value(x));
  const plain = spanning(plainLeaves, false);
  plain.backward();
  const leaves = at.map((x) => new Value(x));
  const span = spanning(leaves, true);
  assert.equal(chunksFrom(span.chunk).length, 60, "the graph really spans chunks");
  for (const l of leaves) l.grad = 0; // forget what the interrupting passes accumulated
  span.backward();
  assert.equal(span.data, plain.data);
  // A leaf used twice in one chunk sums those two uses in its import first, then adds the sum:
  // the same terms grouped differently, so equal to rounding.
  leaves.forEach((l, i) => {
    assertClose(l.grad, plainLeaves[i].grad, 1e-15, `grad of x${i}`);
  });
  const numeric = numericGradient(
    (ys) =>
      spanning(
        ys.map((y) => new Value(y)),
        false,
      ).data,
    at,
  );
  leaves.forEach((l, i) => {
    assertClose(l.grad, numeric[i], 1e-6, `d/dx${i}`);
  });
  // the graph walk and the compiled replay see the same graph across chunks
  const order = topologicalOrder(span);
  assert.equal(order.length, topologicalOrder(plain).length);
  const compiled = new CompiledGraph(span, leaves);
  assert.equal(compiled.forward(), span.data);
  compiled.backward();
  assert.deepEqual(
    leaves.map((l) => compiled.grad[compiled.slotOf(l)]),
    plainLeaves.map((l) => l.grad),
    "the compiled graph sums each leaf's uses one by one, as the single-chunk graph does",
  );
});

test("backward on an old graph after newer graphs gives that graph's gradients again", () => {
  const a = new Value(0.8);
  const b = new Value(-1.3);
  const mid = a.mul(b).sigmoid();
  const g1 = mid.mul(a).add(b.pow(2)).log();
  g1.backward();
  const first = { a: a.grad, b: b.grad, mid: mid.grad, g1: g1.grad };
  // newer graphs, some using g1's values, each with a backward pass
  for (let k = 0; k < 20; k++) {
    const g = mid
      .mul(k)
      .add(g1)
      .tanh()
      .add(a.mul(b.add(k)));
    g.backward();
    new Value(k).exp().mul(3).backward(); // and unrelated ones
  }
  assert.notEqual(mid.grad, first.mid, "newer passes did change mid's gradient");
  a.grad = 0;
  b.grad = 0;
  g1.backward();
  assert.deepEqual({ a: a.grad, b: b.grad, mid: mid.grad, g1: g1.grad }, first);
});

test("a backward pass on an old chunk does not seal or disturb the chunk being filled", () => {
  const a = new Value(2);
  const old = a.mul(3);
  old.backward(); // seals a's chunk
  const x = new Value(5); // a fresh chunk
  const y = x.mul(a); // uses the old chunk
  old.backward(); // a pass on the old graph in between
  const z = y.add(x); // same chunk as y: the fresh chunk was not sealed by the old pass
  assert.equal(z.chunk, y.chunk);
  a.grad = 0;
  z.backward();
  assert.equal(x.grad, 3);
  assert.equal(a.grad, 5);
  assert.equal(y.grad, 1);
});

test("writing data of an old value writes through; a later graph reads the new number", () => {
  const a = new Value(1);
  a.mul(2).backward();
  for (let k = 0; k < 10; k++) new Value(k).mul(k).backward();
  a.data = 4;
  a.grad = 0;
  const y = a.mul(a);
  y.backward();
  assert.equal(y.data, 16);
  assert.equal(a.grad, 8);
});

test("a pass reaches interior values of an old chunk far below the ones a newer chunk uses", () => {
  const x = new Value(0.4);
  const low = x.tanh(); // low in this chunk
  for (let i = 0; i < 5000; i++) new Value(i).mul(2); // values no later graph uses
  const high = low.mul(3).add(x); // high in the same chunk
  for (let i = 0; i < 5000; i++) new Value(i).exp();
  high.backward(); // seals the chunk
  x.grad = 0;
  const y = high.mul(high).add(1); // a newer chunk
  assert.notEqual(y.chunk, x.chunk);
  y.backward();
  const t = Math.tanh(0.4);
  assertClose(low.grad, 2 * (3 * t + 0.4) * 3, 1e-15, "low.grad");
  assertClose(x.grad, 2 * (3 * t + 0.4) * (3 * (1 - t * t) + 1), 1e-15, "x.grad");
  // and a leaf root in an old chunk, after all that
  x.grad = 0;
  x.backward();
  assert.equal(x.grad, 1);
});
