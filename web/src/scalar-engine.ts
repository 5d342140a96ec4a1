// The scalar engine: the library's compiled step (the step's `Value` graph is recorded once,
// then replayed on typed arrays), float64, plain JavaScript. Runs everywhere; the fallback when
// WebAssembly SIMD is missing, and the engine the visitor picks with "js".
import { compiledStep, type Optimizer, type TrainingStep } from "../../src/index.ts";
import { addL1, type EngineFactory, type EngineSpec, makeOptimizer, type TrainingEngine } from "./engine.ts";

/**
 * Most scalar nodes one recorded graph may hold. Recording costs far more than replaying, so a
 * large full batch is run as equal chunks whose gradients are averaged: the same update.
 */
export const GRAPH_LIMIT = 60_000;

/** The compiled-tape engine over a flat float64 parameter block. */
export class ScalarEngine implements TrainingEngine {
  readonly label = "js (compiled scalar tape, float64)";
  readonly block: { data: Float64Array; grad: Float64Array };
  readonly optimizer: Optimizer;
  /** Most nodes per recorded graph (see GRAPH_LIMIT). */
  readonly graphLimit: number;
  readonly #spec: EngineSpec;
  #step: TrainingStep;
  /** The L2 weight the recorded step was built with (a new one records it anew). */
  #l2: number;

  constructor(spec: EngineSpec, graphLimit = GRAPH_LIMIT) {
    this.#spec = spec;
    this.graphLimit = graphLimit;
    const parameters = spec.model.parameters();
    this.block = {
      data: Float64Array.from(parameters, (p) => p.data),
      grad: new Float64Array(parameters.length),
    };
    this.optimizer = makeOptimizer(spec.settings, [this.block]);
    this.#l2 = spec.settings.l2;
    this.#step = compiledStep({ model: spec.model, loss: spec.loss, l2: this.#l2 });
  }

  /**
   * Loss of a batch and its gradient (into `block.grad`). A batch whose graph would pass
   * GRAPH_LIMIT nodes runs in chunks: each chunk's loss and gradient is a mean over its samples
   * plus the L2 penalty, so weighting chunk k by size_k / n gives the whole batch's.
   */
  gradient(idx: readonly number[]): number {
    const { l2, l1 } = this.#spec.settings;
    if (l2 !== this.#l2) {
      this.#l2 = l2;
      this.#step = compiledStep({ model: this.#spec.model, loss: this.#spec.loss, l2 });
    }
    return this.#dataGradient(idx) + addL1([this.block], l1);
  }

  #dataGradient(idx: readonly number[]): number {
    const { data, grad } = this.block;
    const train = this.#spec.train;
    const x = idx.map((i) => train.x[i]);
    const y = idx.map((i) => train.y[i]);
    const chunk = this.chunkSize();
    if (x.length <= chunk) return this.#step.run(data, grad, x, y).loss;
    const part = new Float64Array(grad.length);
    grad.fill(0);
    let loss = 0;
    for (let start = 0; start < x.length; start += chunk) {
      const end = Math.min(x.length, start + chunk);
      const weight = (end - start) / x.length;
      loss += weight * this.#step.run(data, part, x.slice(start, end), y.slice(start, end)).loss;
      for (let i = 0; i < grad.length; i++) grad[i] += weight * part[i];
    }
    return loss;
  }

  /** Samples per recorded graph: about 2 nodes per parameter per sample, plus the loss's. */
  chunkSize(): number {
    const params = this.block.data.length;
    const outputs = this.#spec.model.sizes[this.#spec.model.sizes.length - 1];
    return Math.max(1, Math.floor((this.graphLimit - 2 * params) / (2 * params + 10 * outputs + 4)));
  }

  read(data: Float64Array, grad: Float64Array): void {
    data.set(this.block.data);
    grad.set(this.block.grad);
  }

  write(index: number, value: number): void {
    this.block.data[index] = value;
  }
}

/** The scalar engine's factory (with a smaller graph limit in tests). */
export function scalarEngine(graphLimit = GRAPH_LIMIT): EngineFactory {
  return (spec) => new ScalarEngine(spec, graphLimit);
}
