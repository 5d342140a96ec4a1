// One training run, free of the DOM so that Node tests can drive it: model, optimiser and batch
// order, advanced one update at a time by a training engine (the scalar compiled tape, or
// tensors on the WebAssembly backend: see engine.ts), and a report of what the network computes.
// On WebGPU the updates are queued and read back in groups instead (`advanceQueued`).
import {
  type Activation,
  batchOrder,
  batchSizeOf,
  LOSSES,
  type LossDef,
  MLP,
  noGrad,
  Rng,
  softmax,
  Value,
} from "../../src/index.ts";
import type { Data, EngineFactory, QueuedEngine, TrainingEngine, Tunable } from "./engine.ts";
import { featureRows } from "./features.ts";
import { layerRows } from "./forward.ts";
import type { Domain } from "./problem.ts";
import { type CurvePoint, GRID, type Progress, type ToWorker } from "./protocol.ts";
import { scalarEngine } from "./scalar-engine.ts";
import type { Settings } from "./settings.ts";

/** One run: model, optimiser and batch order, advanced one update at a time. */
export class Run {
  readonly settings: Settings;
  readonly train: Data;
  readonly test: Data;
  readonly classes: number;
  readonly domain: Domain;
  readonly loss: LossDef;
  readonly sizes: number[];
  readonly activations: Activation[];
  /** Inputs per sample: the chosen features. */
  readonly inputs: number;
  /** True when the target is a number (one output, squared error). */
  readonly regression: boolean;
  readonly engine: TrainingEngine;
  readonly nextBatch: () => number[];
  /** Why the run is not on the engine the settings asked for ("" when it is). */
  readonly note: string;
  count = 0;
  /** Parameters and gradients in `MLP.parameters()` order, copied from the engine when read. */
  readonly #block: { data: Float64Array; grad: Float64Array };
  /** Time spent in `advance` and updates made since the last report (for its ms per step). */
  #busy = 0;
  #updates = 0;
  /** The curves get a point every this many updates (about 50 over the run), and at each report. */
  readonly curveEvery: number;
  /** Curve points measured since the last report. */
  #curve: CurvePoint[] = [];
  /** The centres of the picture's grid cells, row-major from the top left. */
  readonly #grid: Float64Array;

  constructor(
    message: Extract<ToWorker, { type: "setup" }>,
    engine: EngineFactory = scalarEngine(),
    note = "",
  ) {
    // The run's own copy: `tune` changes it between updates, and the engine reads it.
    const s: Settings = { ...message.settings };
    this.settings = s;
    this.train = message.train;
    this.test = message.test;
    this.classes = message.classes;
    this.domain = message.domain;
    this.note = note;
    // Binary losses score one output; with more than two classes only softmax fits; a number
    // as target (regression) is fitted with squared error.
    this.regression = this.classes === 1;
    const lossName = this.regression ? "mse" : this.classes > 2 ? "softmax" : s.loss;
    this.loss = LOSSES[lossName];
    const outputs = lossName === "softmax" ? this.classes : 1;
    this.sizes = [...s.layers.map((l) => l.size), outputs];
    this.activations = [...s.layers.map((l) => l.activation), "linear"];
    this.inputs = s.features.length;
    const model = new MLP(this.inputs, this.sizes, { activation: this.activations, seed: s.seed });
    const count = model.parameters().length;
    this.#block = { data: new Float64Array(count), grad: new Float64Array(count) };
    this.engine = engine({ model, loss: this.loss, settings: s, train: this.train });
    const n = this.train.x.length;
    const size = batchSizeOf(s.batch === "mini" ? s.batchSize : s.batch, s.steps, n);
    this.nextBatch = batchOrder(n, size, new Rng(s.seed));
    this.curveEvery = Math.max(1, Math.ceil(s.steps / 50));
    const { x0, y0, size: side } = this.domain;
    const points = new Float64Array(2 * GRID * GRID);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        points[2 * (r * GRID + c)] = x0 + (side * (c + 0.5)) / GRID;
        points[2 * (r * GRID + c) + 1] = y0 + side * (1 - (r + 0.5) / GRID);
      }
    }
    this.#grid = featureRows(s.features, points, GRID * GRID);
  }

  /** New learning rate, schedule, L2 or L1: they apply from the next update, the run goes on. */
  tune(change: Tunable): void {
    this.settings.lr = change.lr;
    this.settings.schedule = change.schedule;
    this.settings.l2 = change.l2;
    this.settings.l1 = change.l1;
  }

  /** Sets parameter `index` (in `MLP.parameters()` order) to `value`; the next update starts from it. */
  setParameter(index: number, value: number): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.#block.data.length && Number.isFinite(value)))
      throw new RangeError(`setParameter: no parameter ${index} to set to ${value}`);
    this.engine.write(index, value);
  }

  get done(): boolean {
    return this.count >= this.settings.steps;
  }

  /**
   * The parameters and their last gradients, in `MLP.parameters()` order: a float64 copy, taken
   * anew at each read (a few hundred numbers), so it is never behind the engine.
   */
  get block(): { readonly data: Float64Array; readonly grad: Float64Array } {
    this.engine.read(this.#block.data, this.#block.grad);
    return this.#block;
  }

  /** The optimiser of the engine. */
  get optimizer(): TrainingEngine["optimizer"] {
    return this.engine.optimizer;
  }

  /** One update on the next batch. */
  advance(): void {
    const start = performance.now();
    const idx = this.nextBatch();
    const loss = this.gradient(idx);
    this.#check(loss, `at step ${this.count + 1}`);
    this.optimizer.step();
    this.count++;
    this.#counted(start, 1);
  }

  /**
   * Updates on an engine that queues them on a GPU (WebGPU): nothing is read until the next
   * curve point, the end of the run, or `ms` milliseconds (at least one update); then one read
   * brings back the mean loss of those updates, the parameters and their gradients.
   */
  async advanceQueued(ms: number): Promise<void> {
    const engine = this.engine as QueuedEngine;
    const start = performance.now();
    const before = this.count;
    do {
      engine.queueGradient(this.nextBatch());
      this.optimizer.step();
      this.count++;
    } while (!this.done && this.count % this.curveEvery !== 0 && performance.now() - start < ms);
    this.#check(await engine.sync(), `by step ${this.count}`);
    this.#counted(start, this.count - before);
  }

  /** Stops the run when the loss diverged (`when` says at which step). */
  #check(loss: number, when: string): void {
    if (!Number.isFinite(loss)) {
      throw new Error(
        `the loss became ${loss} ${when}: try a smaller learning rate (now ${this.optimizer.currentLr()})`,
      );
    }
  }

  /** Times `updates` updates made since `start`, and adds a curve point when one is due. */
  #counted(start: number, updates: number): void {
    this.#busy += performance.now() - start;
    this.#updates += updates;
    if (this.count % this.curveEvery === 0) this.#curve.push(this.point());
  }

  /** Loss and accuracy over the whole train and test sets now. */
  point(): CurvePoint {
    const [trainLoss, trainAccuracy] = this.measure(this.train);
    const [testLoss, testAccuracy] = this.measure(this.test);
    return { step: this.count, trainLoss, trainAccuracy, testLoss, testAccuracy };
  }

  /** Loss of a batch (its mean plus the L2 penalty) and its gradient, on the engine. */
  gradient(idx: readonly number[]): number {
    return this.engine.gradient(idx);
  }

  /** Every layer's outputs for `rows` samples (`xs` row-major `[rows, inputs]`), on the engine if it can. */
  layersAt(xs: Float64Array, rows: number): ArrayLike<number>[] {
    return (
      this.engine.layers?.(xs, rows) ?? layerRows(this.block.data, this.sizes, this.activations, xs, rows)
    );
  }

  /**
   * Mean loss (without the L2 penalty) and accuracy over a whole set: one batched forward pass,
   * then the library's per-sample loss on a few `Value`s, under `noGrad` (plain leaves: no graph
   * recorded, nothing kept).
   */
  measure(data: Data): [number, number] {
    const n = data.x.length;
    if (n === 0) return [Number.NaN, Number.NaN];
    const outputs = this.sizes[this.sizes.length - 1];
    const last = this.layersAt(flat(data.x), n).at(-1) as ArrayLike<number>;
    return noGrad(() => {
      let total = 0;
      let right = 0;
      for (let i = 0; i < n; i++) {
        const out = Array.from({ length: outputs }, (_, j) => last[i * outputs + j]);
        const target = this.loss.encode(data.y[i], outputs).map((v) => new Value(v));
        total += this.loss.sample(
          out.map((v) => new Value(v)),
          target,
        ).data;
        if (this.loss.classify(out) === data.y[i]) right++;
      }
      // A number as target has no accuracy.
      return [total / n, this.regression ? Number.NaN : right / n];
    });
  }

  progress(running: boolean): { message: Progress; transfer: Transferable[] } {
    const latest = this.#curve.at(-1);
    const now = latest?.step === this.count ? latest : this.point();
    const curve = now === latest ? this.#curve : [...this.#curve, now];
    this.#curve = [];
    const cells = GRID * GRID;
    const hiddenCount = this.sizes.slice(0, -1).reduce((a, b) => a + b, 0);
    // Regression: one number per cell, the network's output itself.
    const probs = new Float32Array(cells * (this.regression ? 1 : Math.max(2, this.classes)));
    const hidden = new Float32Array(cells * hiddenCount);
    const engine = this.note === "" ? this.engine.label : `${this.engine.label}: ${this.note}`;
    const layers = this.layersAt(this.#grid, cells);
    // Hidden maps are neuron-major: neuron k's GRID*GRID outputs one after another.
    let k = 0;
    for (let l = 0; l < layers.length - 1; l++) {
      const size = this.sizes[l];
      for (let j = 0; j < size; j++, k++) {
        for (let cell = 0; cell < cells; cell++) hidden[k * cells + cell] = layers[l][cell * size + j];
      }
    }
    const last = layers[layers.length - 1];
    const outputs = this.sizes[this.sizes.length - 1];
    for (let cell = 0; cell < cells; cell++) {
      const out = Array.from({ length: outputs }, (_, j) => last[cell * outputs + j]);
      const p = this.regression ? out : probabilities(this.loss.name, out);
      probs.set(p, cell * p.length);
    }
    const message: Progress = {
      type: "progress",
      engine,
      msPerStep: this.#updates > 0 ? this.#busy / this.#updates : Number.NaN,
      step: this.count,
      steps: this.settings.steps,
      running,
      lr: this.optimizer.currentLr(),
      trainLoss: now.trainLoss,
      trainAccuracy: now.trainAccuracy,
      testLoss: now.testLoss,
      testAccuracy: now.testAccuracy,
      curve,
      sizes: this.sizes,
      loss: this.loss.name,
      params: this.block.data.slice(),
      grads: this.#block.grad.slice(),
      probs,
      hidden,
    };
    this.#busy = 0;
    this.#updates = 0;
    return { message, transfer: [message.params.buffer, message.grads.buffer, probs.buffer, hidden.buffer] };
  }
}

/** Samples as one row-major `[n, inputs]` array. */
function flat(x: readonly (readonly number[])[]): Float64Array {
  const k = x[0]?.length ?? 0;
  const out = new Float64Array(k * x.length);
  x.forEach((p, i) => {
    out.set(p, k * i);
  });
  return out;
}

/** Class probabilities from the network's outputs, as each loss reads them. */
function probabilities(loss: string, out: readonly number[]): number[] {
  const s = out[0];
  switch (loss) {
    case "softmax":
      return softmax(out);
    case "mse": {
      const p = Math.min(1, Math.max(0, s));
      return [1 - p, p];
    }
    case "hinge": {
      // The margin is at ±1: map the score so that ±1 reads as 88% sure.
      const p = 1 / (1 + Math.exp(-2 * s));
      return [1 - p, p];
    }
    default: {
      const p = 1 / (1 + Math.exp(-s));
      return [1 - p, p];
    }
  }
}
