// Rng: seeded, reproducible, and each draw with the range and moments it promises.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/index.ts";

const N = 50_000;

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return { mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length };
}

test("same seed, same sequence; other seed, other sequence; default seed 1337", () => {
  const draw = (r: Rng) => Array.from({ length: 20 }, () => r.next());
  assert.deepEqual(draw(new Rng(42)), draw(new Rng(42)));
  assert.notDeepEqual(draw(new Rng(42)), draw(new Rng(43)));
  assert.deepEqual(draw(new Rng()), draw(new Rng(1337)));
  assert.equal(new Rng(5).seed, 5);
  assert.notDeepEqual(draw(new Rng(0)), draw(new Rng(2 ** 32 - 1)));
});

test("next and uniform stay in range with the right moments", () => {
  const r = new Rng(1);
  const u = Array.from({ length: N }, () => r.next());
  assert.ok(u.every((x) => x >= 0 && x < 1));
  const m = moments(u);
  assert.ok(Math.abs(m.mean - 0.5) < 0.01 && Math.abs(m.variance - 1 / 12) < 0.003, JSON.stringify(m));
  const w = Array.from({ length: N }, () => r.uniform(-3, 5));
  assert.ok(w.every((x) => x >= -3 && x < 5));
  assert.ok(Math.abs(moments(w).mean - 1) < 0.05);
});

test("normal has the given mean and standard deviation", () => {
  const r = new Rng(2);
  const z = Array.from({ length: N }, () => r.normal(2, 0.5));
  const m = moments(z);
  assert.ok(Math.abs(m.mean - 2) < 0.01 && Math.abs(Math.sqrt(m.variance) - 0.5) < 0.01, JSON.stringify(m));
  assert.ok(z.every(Number.isFinite));
});

test("int covers [0, n) evenly; shuffle and permutation are permutations, seeded", () => {
  const r = new Rng(3);
  const counts = new Array(7).fill(0);
  for (let i = 0; i < 7000; i++) counts[r.int(7)]++;
  assert.ok(
    counts.every((c) => c > 850 && c < 1150),
    String(counts),
  );
  const p = new Rng(4).permutation(50);
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.deepEqual(new Rng(4).permutation(50), p);
  assert.notDeepEqual(new Rng(5).permutation(50), p);
  const items = ["a", "b", "c", "d"];
  assert.equal(new Rng(1).shuffle(items), items, "in place");
  assert.deepEqual([...items].sort(), ["a", "b", "c", "d"]);
});

test("a non-finite seed is an error", () => {
  for (const seed of [Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new Rng(seed), {
      name: "RangeError",
      message: `Rng: seed must be a finite number, got ${seed}`,
    });
  }
});

test("state/setState continue the same sequence (spare normal draw included), through JSON", () => {
  const r = new Rng(9);
  r.next();
  r.normal(); // leaves a spare draw
  const saved = JSON.parse(JSON.stringify(r.state())) as number[];
  assert.equal(saved.length, 5);
  const ahead = [r.normal(), r.next(), r.normal(), r.next()];
  const other = new Rng(1);
  other.setState(saved);
  assert.deepEqual([other.normal(), other.next(), other.normal(), other.next()], ahead);
  assert.equal(new Rng(2).state().length, 4);
  assert.throws(() => other.setState([1, 2, 3]), /Rng: a state is four 32-bit integers/);
  assert.throws(() => other.setState([1, 2, 3, 0.5]), /got \[1, 2, 3, 0.5\]/);
});
