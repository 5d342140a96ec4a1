// What a training engine gives the playground's run: the loss and gradient of a batch, an
// optimiser over its own parameters, and a copy of those parameters in `MLP.parameters()` order
// for the pictures. Three engines: the scalar compiled tape (scalar-engine.ts, float64, plain
// JavaScript), the tensor engine on the WebAssembly backend (tensor-engine.ts, float32), and the
// same tensor engine on WebGPU (gpu-engine.ts), which reads its numbers back asynchronously.
import {
  Adam,
  type LossDef,
  type MLP,
  type Optimizer,
  type Parameter,
  SGD,
  scheduleByName,
} from "../../src/index.ts";
import type { Settings } from "./settings.ts";

/** Training points: one `[x, y]` row and one class per sample. */
export interface Data {
  x: number[][];
  y: number[];
}

/** Settings a run can change between two updates, without starting over. */
export type Tunable = Pick<Settings, "lr" | "schedule" | "l2" | "l1">;

/**
 * What an engine is built from: the scalar model holds the initial weights. `settings` is the
 * run's own copy: the engine reads its learning rate, schedule, L2 and L1 anew at every update,
 * so a change made between two updates applies from the next one.
 */
export interface EngineSpec {
  readonly model: MLP;
  readonly loss: LossDef;
  readonly settings: Settings;
  readonly train: Data;
}

/** One engine's training state. */
export interface TrainingEngine {
  /** What the page shows, e.g. "wasm SIMD (tensors, float32)". */
  readonly label: string;
  /** Updates the engine's parameters from the gradient `gradient` left. */
  readonly optimizer: Optimizer;
  /** Loss of the training samples `idx` (their mean plus the L2 penalty), and its gradient. */
  gradient(idx: readonly number[]): number;
  /** Copies the parameters and their last gradients into `data` and `grad` (MLP order). */
  read(data: Float64Array, grad: Float64Array): void;
  /** Sets parameter `index` (MLP order) to `value`: training continues from it. */
  write(index: number, value: number): void;
  /**
   * Every layer's outputs for `rows` points (`xs` row-major `[rows, 2]`): one row-major
   * `[rows, size]` array per layer. Optional: the run otherwise computes them in plain numbers
   * from the parameters `read` gives.
   */
  layers?(xs: Float64Array, rows: number): ArrayLike<number>[];
}

/**
 * An engine whose numbers live on a GPU (the tensor engine on WebGPU), where the host reads only
 * asynchronously: its updates are queued without reading anything, and `sync` brings back what
 * the run reports. `gradient` is not for it (it would have to wait for the GPU): the run calls
 * `queueGradient`, then `sync` (see `Run.advanceQueued`).
 */
export interface QueuedEngine extends TrainingEngine {
  /** Queues the loss of the training samples `idx` and its gradient; reads nothing. */
  queueGradient(idx: readonly number[]): void;
  /**
   * Waits for the queued updates and returns their mean loss; afterwards `read` gives the
   * parameters and gradients of that moment, and `write` changes the parameters.
   */
  sync(): Promise<number>;
}

/** True for an engine that queues its updates on a GPU. */
export function isQueued(engine: TrainingEngine): engine is QueuedEngine {
  return "sync" in engine;
}

/** Builds an engine for a run. */
export type EngineFactory = (spec: EngineSpec) => TrainingEngine;

/**
 * The optimiser the settings ask for, over `parameters`. Its learning rate is a schedule that
 * reads `settings` at every update, so a new rate or schedule applies from the next step.
 */
export function makeOptimizer(settings: Settings, parameters: readonly Parameter[]): Optimizer {
  let key = "";
  let schedule = scheduleByName(settings.schedule, settings.lr, settings.steps);
  const lr = (step: number): number => {
    const now = `${settings.schedule} ${settings.lr}`;
    if (now !== key) schedule = scheduleByName(settings.schedule, settings.lr, settings.steps);
    key = now;
    return schedule(step);
  };
  return settings.optimizer === "adam" ? new Adam(parameters, { lr }) : new SGD(parameters, { lr });
}

/**
 * Adds the L1 penalty `l1 · Σ|w|` to the gradients in `blocks` (its derivative `l1 · sign(w)`,
 * 0 at 0 as for `abs`) and returns the penalty. For the scalar engine, whose recorded step knows
 * only L2; the tensor engine builds the penalty with `abs` in its graph.
 */
export function addL1(
  blocks: readonly { data: ArrayLike<number>; grad: Float64Array }[],
  l1: number,
): number {
  if (l1 === 0) return 0;
  let total = 0;
  for (const { data, grad } of blocks) {
    for (let i = 0; i < data.length; i++) {
      total += Math.abs(data[i]);
      grad[i] += l1 * Math.sign(data[i]);
    }
  }
  return l1 * total;
}
