// The tensor engine on WebGPU: the same float32 network and loss as on wasm (tensor-engine.ts),
// but its parameters, activations and gradients stay in GPU buffers, which the host reads only
// asynchronously. So the run queues updates without reading anything, and `sync` reads back, once
// per report, the summed loss of the queued updates, the parameters and their gradients; the
// pictures are then drawn from those parameters on the host (the run's plain forward pass). The
// worker loads this file with a dynamic import, only when it trains on WebGPU.
import {
  add,
  backend,
  init,
  type Optimizer,
  setBackend,
  type Tensor,
  toHost,
  type WebGpuBackend,
} from "../../src/index.ts";
import type { EngineFactory, EngineSpec, QueuedEngine } from "./engine.ts";
import { TensorEngine } from "./tensor-engine.ts";

/**
 * Starts the webgpu backend for every tensor op of this thread and returns the engine's label;
 * throws (with the reason) where the browser has no WebGPU or no adapter.
 */
export async function startWebGpu(): Promise<string> {
  if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined)
    throw new Error("this browser has no WebGPU (navigator.gpu)");
  const gpu = (await init("webgpu")) as WebGpuBackend;
  return `WebGPU, ${gpu.adapter} (tensors, float32)`;
}

/** Trains the run's network as float32 tensors on the GPU, reading back only at `sync`. */
export class GpuEngine implements QueuedEngine {
  readonly label: string;
  readonly optimizer: Optimizer;
  readonly #tensors: TensorEngine;
  /** The losses queued since the last sync, summed on the GPU (null when none). */
  #lossSum: Tensor | null = null;
  #queued = 0;
  /** Each parameter's gradient as last read (none before the first sync). */
  #grads = new Map<Tensor, ArrayLike<number>>();

  constructor(spec: EngineSpec, label: string) {
    this.#tensors = new TensorEngine(spec, label);
    this.label = label;
    this.optimizer = this.#tensors.optimizer;
  }

  gradient(): number {
    throw new Error("GpuEngine: the loss is on the GPU; queue updates with queueGradient, then await sync()");
  }

  queueGradient(idx: readonly number[]): void {
    const loss = this.#tensors.lossOf(idx).detach();
    this.#lossSum = this.#lossSum === null ? loss : add(this.#lossSum, loss);
    this.#queued++;
  }

  async sync(): Promise<number> {
    const parameters = this.#tensors.net.parameters();
    const [sum] = this.#lossSum === null ? [Number.NaN] : await this.#lossSum.read();
    const mean = sum / this.#queued;
    this.#lossSum = null;
    this.#queued = 0;
    for (const p of parameters) if (p.grad !== null) this.#grads.set(p, await p.grad.read());
    // On the host until the next optimiser step moves them back: `read` and `write` see them.
    await toHost(parameters);
    return mean;
  }

  read(data: Float64Array, grad: Float64Array): void {
    this.#tensors.copyParameters(data, grad, (p) => this.#grads.get(p) ?? new Float32Array(p.size));
  }

  write(index: number, value: number): void {
    this.#tensors.write(index, value);
  }
}

/**
 * The WebGPU engine's factory on the backend `startWebGpu` started; `label` names the adapter.
 * Each engine it builds puts tensor ops back on that backend (the worker may have moved them to
 * wasm for an earlier run).
 */
export function gpuEngine(label: string): EngineFactory {
  const on = backend();
  return (spec) => {
    setBackend(on);
    return new GpuEngine(spec, label);
  };
}
