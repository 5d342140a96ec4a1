// The messages between the page and the training worker.
import type { Tunable } from "./engine.ts";
import type { Domain } from "./problem.ts";
import type { Settings } from "./settings.ts";

/** Number of cells along each side of the grid the pictures are computed on. */
export const GRID = 48;

/** Page to worker: start over with these settings and points; run, pause or take one step. */
export type ToWorker =
  | {
      readonly type: "setup";
      readonly settings: Settings;
      readonly train: { x: number[][]; y: number[] };
      readonly test: { x: number[][]; y: number[] };
      readonly classes: number;
      readonly domain: Domain;
    }
  | { readonly type: "run" }
  | { readonly type: "pause" }
  | { readonly type: "step" }
  /** New learning rate, schedule, L2 or L1, from the next update on (the run goes on). */
  | { readonly type: "tune"; readonly change: Tunable }
  /** The visitor typed a new value for parameter `index` (in `MLP.parameters()` order). */
  | { readonly type: "set"; readonly index: number; readonly value: number };

/** One point of the training curves: loss and accuracy over the whole train and test sets. */
export interface CurvePoint {
  readonly step: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  /** NaN when there are no test points. */
  readonly testLoss: number;
  readonly testAccuracy: number;
}

/** Worker to page: where training stands, and what the network computes over the plane. */
export interface Progress {
  readonly type: "progress";
  /** The engine training this run, e.g. "wasm SIMD (tensors, float32)", and why if not the one asked for. */
  readonly engine: string;
  /** Mean time of one update since the last report, in ms (NaN when there was none). */
  readonly msPerStep: number;
  readonly step: number;
  readonly steps: number;
  readonly running: boolean;
  readonly lr: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  /** NaN when there are no test points. */
  readonly testLoss: number;
  readonly testAccuracy: number;
  /**
   * The curves' points since the last report, in step order, ending with this report's own: a
   * fast engine makes hundreds of updates between reports, and the curves should still show them.
   */
  readonly curve: readonly CurvePoint[];
  /** Network shape actually trained (the loss may force the output size). */
  readonly sizes: readonly number[];
  readonly loss: string;
  /** Parameters in `MLP.parameters()` order, and their gradients from the last step. */
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /**
   * Class probabilities at each grid cell: GRID*GRID rows of `classes` numbers, y from the top;
   * for regression (one class) the network's output at each cell.
   */
  readonly probs: Float32Array;
  /** Output of every hidden neuron at each grid cell: neuron-major, GRID*GRID each. */
  readonly hidden: Float32Array;
}

/** Worker to page: training stopped on a problem (e.g. the loss diverged), and why. */
export interface WorkerError {
  readonly type: "error";
  readonly message: string;
}

/** Everything the worker posts. */
export type FromWorker = Progress | WorkerError;
