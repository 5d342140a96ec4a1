// What a training engine gives the playground's run: the loss and gradient of a batch, an
// optimiser over its own parameters, and a copy of those parameters in `MLP.parameters()` order
// for the pictures. Two engines: the scalar compiled tape (scalar-engine.ts, float64, plain
// JavaScript) and the tensor engine on the WebAssembly backend (tensor-engine.ts, float32).
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

/** What an engine is built from: the scalar model holds the initial weights. */
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
  /**
   * Every layer's outputs for `rows` points (`xs` row-major `[rows, 2]`): one row-major
   * `[rows, size]` array per layer. Optional: the run otherwise computes them in plain numbers
   * from the parameters `read` gives.
   */
  layers?(xs: Float64Array, rows: number): ArrayLike<number>[];
}

/** Builds an engine for a run. */
export type EngineFactory = (spec: EngineSpec) => TrainingEngine;

/** The optimiser and learning-rate schedule the settings ask for, over `parameters`. */
export function makeOptimizer(settings: Settings, parameters: readonly Parameter[]): Optimizer {
  const lr = scheduleByName(settings.schedule, settings.lr, settings.steps);
  return settings.optimizer === "adam" ? new Adam(parameters, { lr }) : new SGD(parameters, { lr });
}
