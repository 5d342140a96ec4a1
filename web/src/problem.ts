// The data of a run: points from a generator (or the visitor's own), split into train and test,
// the network's inputs computed from them (features.ts), and the square of the plane the
// pictures show.
import { DATASETS, gaussians, plane, splitIndices } from "../../src/index.ts";
import { featuresOf } from "./features.ts";
import { isRegression, type Settings } from "./settings.ts";

/** The square of the plane shown: x from `x0` to `x0 + size`, y from `y0` to `y0 + size`. */
export interface Domain {
  readonly x0: number;
  readonly y0: number;
  readonly size: number;
}

/** Samples: the network's inputs per point, and its class (or, for regression, its target). */
export interface Samples {
  x: number[][];
  y: number[];
}

/** Train and test points, how many classes, and the plane that holds them. */
export interface Problem {
  /** The network's inputs (the chosen features of each point) and targets. */
  readonly train: Samples;
  readonly test: Samples;
  /** The points themselves (x, y), in the same order, for the pictures. */
  readonly points: { readonly train: number[][]; readonly test: number[][] };
  /** How many classes; 1 for regression (the target is a number). */
  readonly classes: number;
  readonly domain: Domain;
  /** Something the visitor should know about the split ("" when all is well). */
  readonly warning: string;
}

/** The plane of the `custom` dataset, fixed so that clicks land where the visitor expects. */
export const CUSTOM_DOMAIN: Domain = { x0: -2, y0: -2, size: 4 };

/** Builds the points of a run from its settings. */
export function makeProblem(s: Settings): Problem {
  let x: number[][];
  let y: number[];
  let classes: number;
  let train: number[];
  let test: number[];
  let warning = "";
  if (s.dataset === "custom") {
    x = s.points.map((p) => [p[0], p[1]]);
    y = s.points.map((p) => p[2]);
    classes = Math.max(2, ...y.map((c) => c + 1));
    // Split within each class, so that every class trains and tests in proportion; a class
    // with a single point keeps it for training.
    const held = x.length < 2 ? 0 : s.testPercent / 100;
    [train, test] = splitIndices(y, [held], { seed: s.seed });
    const trained = new Set(train.map((i) => y[i]));
    const moved = test.filter((i) => !trained.has(y[i]));
    if (moved.length > 0) {
      train = [...train, ...moved].sort((a, b) => a - b);
      test = test.filter((i) => trained.has(y[i]));
    }
    const missing = Array.from({ length: classes }, (_, k) => k).filter(
      (k) => !train.some((i) => y[i] === k),
    );
    if (x.length > 0 && missing.length > 0) {
      warning = `No training points of class ${missing.join(" or ")}: the network cannot learn ${missing.length > 1 ? "them" : "it"}.`;
    }
  } else {
    const generate = s.dataset === "plane" ? plane : s.dataset === "gauss" ? gaussians : DATASETS[s.dataset];
    const data = generate({ n: s.n, noise: s.noise, seed: s.seed });
    x = data.x;
    y = data.y;
    classes = isRegression(s.dataset) ? 1 : data.classes;
    // Generators already shuffle; the last share is held out (at least one point trains).
    const nTest = Math.min(Math.max(0, x.length - 1), Math.round((x.length * s.testPercent) / 100));
    const cut = x.length - nTest;
    train = Array.from({ length: cut }, (_, i) => i);
    test = Array.from({ length: nTest }, (_, i) => cut + i);
  }
  const samples = (idx: readonly number[]): Samples => ({
    x: idx.map((i) => featuresOf(s.features, x[i][0], x[i][1])),
    y: idx.map((i) => y[i]),
  });
  return {
    train: samples(train),
    test: samples(test),
    points: { train: train.map((i) => x[i]), test: test.map((i) => x[i]) },
    classes,
    domain: s.dataset === "custom" ? CUSTOM_DOMAIN : domainOf(x),
    warning,
  };
}

/** A square around the points with a margin, so that the boundary shows around them. */
function domainOf(x: readonly (readonly number[])[]): Domain {
  if (x.length === 0) return CUSTOM_DOMAIN;
  const lo = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const hi = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const p of x) {
    for (const k of [0, 1]) {
      lo[k] = Math.min(lo[k], p[k]);
      hi[k] = Math.max(hi[k], p[k]);
    }
  }
  const size = Math.max(2, Math.max(hi[0] - lo[0], hi[1] - lo[1]) * 1.2);
  return { x0: (lo[0] + hi[0] - size) / 2, y0: (lo[1] + hi[1] - size) / 2, size };
}
