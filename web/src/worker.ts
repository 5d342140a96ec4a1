// The training worker: the page posts settings and points, the worker trains with the library's
// compiled step (record the graph once, replay it on typed arrays) and posts progress, so the
// page never freezes. It trains in slices of ~30 ms and yields between them to hear "pause".
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
import { type FromWorker, GRID, type Progress, type ToWorker } from "./protocol.ts";
import type { Settings } from "./settings.ts";

type Data = { x: number[][]; y: number[] };

/** What this script can call on its global scope (typed here, as the project's lib is DOM). */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

/** One run: model, optimiser and batch order, advanced one update at a time. */
class Run {
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
  readonly evaluate: TrainingStep;
  readonly nextBatch: () => number[];
  count = 0;

  constructor(message: Extract<ToWorker, { type: "setup" }>) {
    const s = message.settings;
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
    this.evaluate = compiledStep({ model, loss: this.loss, l2: 0 });
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
    const x = idx.map((i) => this.train.x[i]);
    const y = idx.map((i) => this.train.y[i]);
    const { loss } = this.step.run(this.block.data, this.block.grad, x, y);
    if (!Number.isFinite(loss)) {
      throw new Error(
        `the loss became ${loss} at step ${this.count + 1}: try a smaller learning rate (now ${this.optimizer.currentLr()})`,
      );
    }
    this.optimizer.step();
    this.count++;
  }

  /** Mean loss (without the L2 penalty) and accuracy over a whole set. */
  measure(data: Data): [number, number] {
    if (data.x.length === 0) return [Number.NaN, Number.NaN];
    const scratch = new Float64Array(this.block.grad.length);
    const { loss, outputs } = this.evaluate.run(this.block.data, scratch, data.x, data.y);
    let right = 0;
    outputs.forEach((o, i) => {
      if (this.loss.classify(o) === data.y[i]) right++;
    });
    return [loss, right / data.x.length];
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
    // Recording a step's graph leaves its values in the engine's open chunk; a tiny backward pass
    // seals that chunk, so that it is freed with this run instead of growing with every reset.
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

let run: Run | null = null;
let running = false;
let scheduled = false;

function post(current: Run): void {
  const { message, transfer } = current.progress(running);
  scope.postMessage(message, transfer);
}

function fail(error: unknown): void {
  running = false;
  scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
}

function schedule(): void {
  if (!scheduled) setTimeout(slice, 0);
  scheduled = true;
}

function slice(): void {
  scheduled = false;
  const current = run;
  if (current === null || !running) return;
  try {
    const start = performance.now();
    while (!current.done && performance.now() - start < 30) current.advance();
    if (current.done) running = false;
    post(current);
    if (running) schedule();
  } catch (error) {
    fail(error);
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  try {
    switch (message.type) {
      case "setup":
        running = false;
        run = new Run(message);
        post(run);
        break;
      case "run":
        if (run !== null && !run.done && !running) {
          running = true;
          schedule();
        }
        break;
      case "pause":
        running = false;
        if (run !== null) post(run);
        break;
      case "step":
        running = false;
        if (run !== null && !run.done) {
          run.advance();
          post(run);
        }
        break;
    }
  } catch (error) {
    fail(error);
  }
};
