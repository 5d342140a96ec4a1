// The generated datasets: seeded and reproducible, the right shapes and classes, the shapes they
// promise (moons, circles, xor), and the errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { blobs, circles, DATASETS, type DatasetName, moons, spiral, xor } from "../../src/index.ts";
import { assertClose } from "../helpers/close.ts";

const NAMES = Object.keys(DATASETS) as DatasetName[];
const DEFAULT_N: Record<DatasetName, number> = {
  moons: 100,
  circles: 100,
  spiral: 300,
  xor: 200,
  blobs: 150,
};
const DEFAULT_CLASSES: Record<DatasetName, number> = { moons: 2, circles: 2, spiral: 3, xor: 2, blobs: 3 };

test("DATASETS holds the five generators", () => {
  assert.deepEqual(NAMES.sort(), ["blobs", "circles", "moons", "spiral", "xor"]);
  assert.equal(DATASETS.moons, moons);
});

for (const name of NAMES) {
  const make = DATASETS[name];
  test(`${name}: shapes, classes, finite numbers; same seed same data, another seed other data`, () => {
    const d = make();
    assert.equal(d.x.length, DEFAULT_N[name]);
    assert.equal(d.y.length, DEFAULT_N[name]);
    assert.equal(d.classes, DEFAULT_CLASSES[name]);
    for (const row of d.x) {
      assert.equal(row.length, 2);
      assert.ok(row.every(Number.isFinite));
    }
    const counts = new Array(d.classes).fill(0);
    for (const y of d.y) {
      assert.ok(Number.isInteger(y) && y >= 0 && y < d.classes, `label ${y}`);
      counts[y]++;
    }
    assert.ok(
      counts.every((c) => c > 0.25 * (d.y.length / d.classes)),
      `every class present: ${counts}`,
    );
    assert.deepEqual(make(), d, "default seed");
    assert.deepEqual(make({ seed: 1337 }), d, "default seed is 1337");
    assert.deepEqual(make({ n: 37, seed: 9, noise: 0.2 }), make({ n: 37, seed: 9, noise: 0.2 }));
    assert.notDeepEqual(make({ seed: 9 }).x, make({ seed: 10 }).x);
    assert.equal(make({ n: 37 }).x.length, 37);
    // samples come shuffled, not sorted by class
    const firstHalf = d.y.slice(0, d.y.length / 2);
    assert.ok(new Set(firstHalf).size > 1);
  });
}

test("moons without noise: class 0 on the upper unit half circle, class 1 on the lower one shifted", () => {
  const d = moons({ n: 101, noise: 0 });
  assert.equal(d.y.filter((y) => y === 0).length, 50);
  d.x.forEach(([a, b], i) => {
    if (d.y[i] === 0) {
      assertClose(Math.hypot(a, b), 1, 1e-12, "radius");
      assert.ok(b >= -1e-12);
    } else {
      assertClose(Math.hypot(a - 1, b - 0.5), 1, 1e-12, "radius");
      assert.ok(b <= 0.5 + 1e-12);
    }
  });
});

test("circles without noise: class 0 on the unit circle, class 1 on the circle of radius factor", () => {
  const d = circles({ n: 60, noise: 0, factor: 0.3 });
  d.x.forEach(([a, b], i) => {
    assertClose(Math.hypot(a, b), d.y[i] === 0 ? 1 : 0.3, 1e-12, `point ${i}`);
  });
  assert.equal(d.y.filter((y) => y === 1).length, 30);
});

test("xor without noise: class 1 exactly where both coordinates have the same sign", () => {
  const d = xor({ n: 300, noise: 0 });
  d.x.forEach(([a, b], i) => {
    assert.ok(Math.abs(a) <= 1 && Math.abs(b) <= 1);
    assert.equal(d.y[i], a * b > 0 ? 1 : 0);
  });
  const noisy = xor({ n: 300, noise: 0.1 });
  assert.ok(
    noisy.x.some(([a, b], i) => (a * b > 0 ? 1 : 0) !== noisy.y[i]),
    "noise moves some points across",
  );
});

test("spiral and blobs take a class count; blob points gather around their centres", () => {
  const s = spiral({ n: 100, classes: 5 });
  assert.equal(s.classes, 5);
  assert.deepEqual([...new Set(s.y)].sort(), [0, 1, 2, 3, 4]);
  const b = blobs({ n: 400, classes: 4, noise: 0.3 });
  assert.equal(b.classes, 4);
  for (let k = 0; k < 4; k++) {
    const pts = b.x.filter((_, i) => b.y[i] === k);
    const mean = [0, 1].map((j) => pts.reduce((sum, p) => sum + p[j], 0) / pts.length);
    const angle = (2 * Math.PI * k) / 4;
    assert.ok(Math.hypot(mean[0] - 2 * Math.cos(angle), mean[1] - 2 * Math.sin(angle)) < 0.15, `blob ${k}`);
  }
});

test("dataset errors name the generator and the bad value", () => {
  const fails = (f: () => unknown, message: string) => assert.throws(f, { name: "RangeError", message });
  fails(() => moons({ n: 1 }), "moons: n must be an integer >= 2, got 1");
  fails(() => moons({ n: 10.5 }), "moons: n must be an integer >= 2, got 10.5");
  fails(() => circles({ n: 0 }), "circles: n must be an integer >= 2, got 0");
  fails(() => circles({ factor: 1 }), "circles: factor must be in (0, 1), got 1");
  fails(() => circles({ factor: 0 }), "circles: factor must be in (0, 1), got 0");
  fails(() => xor({ n: 0 }), "xor: n must be an integer >= 1, got 0");
  fails(() => xor({ n: Number.NaN }), "xor: n must be an integer >= 1, got NaN");
  fails(() => spiral({ classes: 1 }), "spiral: classes must be an integer >= 2, got 1");
  fails(() => spiral({ n: 2, classes: 3 }), "spiral: n must be an integer >= 3, got 2");
  fails(() => blobs({ classes: 2.5 }), "blobs: classes must be an integer >= 2, got 2.5");
  fails(() => blobs({ n: 3, classes: 4 }), "blobs: n must be an integer >= 4, got 3");
  fails(() => moons({ seed: Number.NaN }), "Rng: seed must be a finite number, got NaN");
});
