// One training run, free of the DOM so that Node tests can drive it: model, optimiser and batch
// order, advanced one update at a time with the library's compiled step (the step's graph is
// recorded once, then replayed on typed arrays), and a report of what the network computes.
import {
  type Activation,
  Adam,
  compiledStep,
  LOSSES,
  type LossDef,
  MLP,
  type Optimizer,
  Rng,
  SGD,
  scheduleByName,
  softmax,
  type TrainingStep,
  Value,
} from "../../src/index.ts";
import { layerOutputs } from "./forward.ts";
import type { Domain } from "./problem.ts";
import { GRID, type Progress, type ToWorker } from "./protocol.ts";
import type { Settings } from "./settings.ts";

type Data = { x: number[][]; y: number[] };

/**
 * Most scalar nodes one recorded graph may hold. Recording costs far more than replaying, so a
 * large full batch is run as equal chunks whose gradients are averaged: the same update.
 */
export const GRAPH_LIMIT = 60_000;

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
  readonly block: { data: Float64Array; grad: Float64Array };
  readonly optimizer: Optimizer;
  readonly step: TrainingStep;
  readonly nextBatch: () => number[];
  /** Most nodes per recorded graph (see GRAPH_LIMIT). */
  readonly graphLimit: number;
  count = 0;

  constructor(message: Extract<ToWorker, { type: "setup" }>, graphLimit = GRAPH_LIMIT) {
    const s = message.settings;
    this.graphLimit = graphLimit;
    this.settings = s;
    this.train = message.train;
    this.test = message.test;
    this.classes = message.classes;
    this.domain = message.domain;
    // Binary losses score one output; with more than two classes only softmax fits.
    const lossName = this.classes > 2 ? "softmax" : s.loss;
    this.loss = LOSSES[lossName];
    const outputs = lossName === "softmax" ? this.classes : 1;
    this.sizes = [...s.layers.map((l) => l.size), outputs];
    this.activations = [...s.layers.map((l) => l.activation), "linear"];
    const model = new MLP(2, this.sizes, { activation: this.activations, seed: s.seed });
    const parameters = model.parameters();
    this.block = {
      data: Float64Array.from(parameters, (p) => p.data),
      grad: new Float64Array(parameters.length),
    };
    const lr = scheduleByName(s.schedule, s.lr, s.steps);
    this.optimizer = s.optimizer === "adam" ? new Adam([this.block], { lr }) : new SGD([this.block], { lr });
    this.step = compiledStep({ model, loss: this.loss, l2: s.l2 });
    const n = this.train.x.length;
    const size = s.batch === "full" ? n : s.batch === "stochastic" ? 1 : Math.min(n, s.batchSize);
    this.nextBatch = batchOrder(n, size, new Rng(s.seed));
  }

  get done(): boolean {
    return this.count >= this.settings.steps;
  }

  /** One update on the next batch. */
  advance(): void {
    const idx = this.nextBatch();
    const loss = this.gradient(idx);
    if (!Number.isFinite(loss)) {
      throw new Error(
        `the loss became ${loss} at step ${this.count + 1}: try a smaller learning rate (now ${this.optimizer.currentLr()})`,
      );
    }
    this.optimizer.step();
    this.count++;
  }

  /**
   * Loss of a batch and its gradient (into `block.grad`). A batch whose graph would pass
   * GRAPH_LIMIT nodes runs in chunks: each chunk's loss and gradient is a mean over its samples
   * plus the L2 penalty, so weighting chunk k by size_k / n gives the whole batch's.
   */
  gradient(idx: readonly number[]): number {
    const { data, grad } = this.block;
    const x = idx.map((i) => this.train.x[i]);
    const y = idx.map((i) => this.train.y[i]);
    const chunk = this.chunkSize();
    if (x.length <= chunk) return this.step.run(data, grad, x, y).loss;
    const part = new Float64Array(grad.length);
    grad.fill(0);
    let loss = 0;
    for (let start = 0; start < x.length; start += chunk) {
      const end = Math.min(x.length, start + chunk);
      const weight = (end - start) / x.length;
      loss += weight * this.step.run(data, part, x.slice(start, end), y.slice(start, end)).loss;
      for (let i = 0; i < grad.length; i++) grad[i] += weight * part[i];
    }
    return loss;
  }

  /** Samples per recorded graph: about 2 nodes per parameter per sample, plus the loss's. */
  chunkSize(): number {
    const params = this.block.data.length;
    const outputs = this.sizes[this.sizes.length - 1];
    return Math.max(1, Math.floor((this.graphLimit - 2 * params) / (2 * params + 10 * outputs + 4)));
  }

  /**
   * Mean loss (without the L2 penalty) and accuracy over a whole set: a plain-number forward
   * pass, then the library's per-sample loss on a few `Value`s (no big graph to record).
   */
  measure(data: Data): [number, number] {
    const n = data.x.length;
    if (n === 0) return [Number.NaN, Number.NaN];
    const outputs = this.sizes[this.sizes.length - 1];
    let total = 0;
    let right = 0;
    for (let i = 0; i < n; i++) {
      const layers = layerOutputs(this.block.data, this.sizes, this.activations, data.x[i]);
      const out = layers[layers.length - 1];
      const target = this.loss.encode(data.y[i], outputs).map((v) => new Value(v));
      total += this.loss.sample(
        out.map((v) => new Value(v)),
        target,
      ).data;
      if (this.loss.classify(out) === data.y[i]) right++;
    }
    return [total / n, right / n];
  }

  progress(running: boolean): { message: Progress; transfer: Transferable[] } {
    const [trainLoss, trainAccuracy] = this.measure(this.train);
    const [testLoss, testAccuracy] = this.measure(this.test);
    const cells = GRID * GRID;
    const hiddenCount = this.sizes.slice(0, -1).reduce((a, b) => a + b, 0);
    const probs = new Float32Array(cells * Math.max(2, this.classes));
    const hidden = new Float32Array(cells * hiddenCount);
    const { x0, y0, size } = this.domain;
    const params = this.block.data;
    for (let r = 0; r < GRID; r++) {
      const py = y0 + size * (1 - (r + 0.5) / GRID);
      for (let c = 0; c < GRID; c++) {
        const cell = r * GRID + c;
        const outs = layerOutputs(params, this.sizes, this.activations, [x0 + (size * (c + 0.5)) / GRID, py]);
        let k = 0;
        for (let l = 0; l < outs.length - 1; l++) {
          for (const v of outs[l]) hidden[k++ * cells + cell] = v;
        }
        const p = probabilities(this.loss.name, outs[outs.length - 1]);
        probs.set(p, cell * p.length);
      }
    }
    const message: Progress = {
      type: "progress",
      step: this.count,
      steps: this.settings.steps,
      running,
      lr: this.optimizer.currentLr(),
      trainLoss,
      trainAccuracy,
      testLoss,
      testAccuracy,
      sizes: this.sizes,
      loss: this.loss.name,
      params: this.block.data.slice(),
      grads: this.block.grad.slice(),
      probs,
      hidden,
    };
    // Recording a step's graph and measuring leave values in the engine's open chunk; a tiny
    // backward pass seals that chunk, so that it is freed instead of growing with every report.
    new Value(0).backward();
    return { message, transfer: [message.params.buffer, message.grads.buffer, probs.buffer, hidden.buffer] };
  }
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

/** The next batch's indices each call: shuffled epochs, in order within one (as `fit` does). */
function batchOrder(n: number, size: number, rng: Rng): () => number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (size >= n) return () => all;
  let order = rng.permutation(n);
  let at = 0;
  return () => {
    if (at + size > n) {
      order = rng.permutation(n);
      at = 0;
    }
    at += size;
    return order.slice(at - size, at);
  };
}
