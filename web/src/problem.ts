// The data of a run: points from a generator (or the visitor's own), split into train and test,
// and the square of the plane the pictures show.
import { DATASETS } from "../../src/index.ts";
import type { Settings } from "./settings.ts";

/** The square of the plane shown: x from `x0` to `x0 + size`, y from `y0` to `y0 + size`. */
export interface Domain {
  readonly x0: number;
  readonly y0: number;
  readonly size: number;
}

/** Train and test points, how many classes, and the plane that holds them. */
export interface Problem {
  readonly train: { x: number[][]; y: number[] };
  readonly test: { x: number[][]; y: number[] };
  readonly classes: number;
  readonly domain: Domain;
}

/** The plane of the `custom` dataset, fixed so that clicks land where the visitor expects. */
export const CUSTOM_DOMAIN: Domain = { x0: -2, y0: -2, size: 4 };

/** Builds the points of a run from its settings. */
export function makeProblem(s: Settings): Problem {
  let x: number[][];
  let y: number[];
  let classes: number;
  if (s.dataset === "custom") {
    x = s.points.map((p) => [p[0], p[1]]);
    y = s.points.map((p) => p[2]);
    classes = Math.max(2, ...y.map((c) => c + 1));
  } else {
    const data = DATASETS[s.dataset]({ n: s.n, noise: s.noise, seed: s.seed });
    x = data.x;
    y = data.y;
    classes = data.classes;
  }
  // Generators already shuffle; the last share is held out (at least one point trains).
  const nTest = Math.min(Math.max(0, x.length - 1), Math.round((x.length * s.testPercent) / 100));
  const cut = x.length - nTest;
  return {
    train: { x: x.slice(0, cut), y: y.slice(0, cut) },
    test: { x: x.slice(cut), y: y.slice(cut) },
    classes,
    domain: s.dataset === "custom" ? CUSTOM_DOMAIN : domainOf(x),
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
