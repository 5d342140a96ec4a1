// The tensor engine on the WebAssembly backend: the run's scalar MLP copied into a float32
// `Sequential` of `Linear` layers (`fromScalarMLP`: the same initial weights and per-layer
// activations), each batch one `[batch, 2]` tensor, so a layer is one matrix product. The worker
// loads this file with a dynamic import, only when it trains on wasm.
import {
  ActivationLayer,
  abs,
  add,
  backend,
  fromScalarMLP,
  init,
  Linear,
  mul,
  noGrad,
  type Optimizer,
  rowsOf,
  type Sequential,
  setBackend,
  sum,
  Tensor,
  tensor,
  tensorL2,
  tensorLoss,
  type WasmBackend,
} from "../../src/index.ts";
import { type EngineFactory, type EngineSpec, makeOptimizer, type TrainingEngine } from "./engine.ts";

/**
 * Starts the wasm backend for every tensor op of this thread, on one thread: the playground's
 * largest product (1,000 points through a 16×16 layer: 256,000 multiply-adds) is below the size
 * at which the backend splits work over threads (64³), so workers would only sit idle.
 * Throws (with the reason) where WebAssembly SIMD is missing. Returns the engine's label.
 */
export async function startWasm(): Promise<string> {
  const wasm = (await init("wasm", { threads: 1 })) as WasmBackend;
  return `wasm SIMD${wasm.fma ? " + FMA" : ""} (tensors, float32)`;
}

/** Trains the run's network as float32 tensors on whatever backend `init` chose. */
export class TensorEngine implements TrainingEngine {
  readonly label: string;
  readonly net: Sequential;
  readonly optimizer: Optimizer;
  readonly #spec: EngineSpec;
  readonly #parameters: Tensor[];
  readonly #linears: Linear[];
  readonly #x: Tensor;
  /** Inputs per sample (the chosen features). */
  readonly #nin: number;

  constructor(spec: EngineSpec, label: string) {
    this.#spec = spec;
    this.label = label;
    this.net = fromScalarMLP(spec.model, { dtype: "float32" });
    this.#parameters = this.net.parameters();
    this.#linears = this.net.layers.filter((l): l is Linear => l instanceof Linear);
    this.optimizer = makeOptimizer(spec.settings, this.#parameters);
    this.#x = tensor(spec.train.x, { dtype: "float32" });
    this.#nin = spec.model.nin;
  }

  gradient(idx: readonly number[]): number {
    return this.lossOf(idx).item();
  }

  /**
   * The loss of samples `idx` (their mean plus the L1 and L2 penalties) as a tensor, after its
   * backward pass: the gradients are in place, the number is not read (on a GPU it may not be
   * computed yet).
   */
  lossOf(idx: readonly number[]): Tensor {
    const { train, loss, settings } = this.#spec;
    const n = train.y.length;
    // A full batch is every sample in order (batchOrder's "all"): no copy.
    const x = idx.length === n ? this.#x : rowsOf(this.#x, idx, this.#nin);
    const y = idx.length === n ? train.y : idx.map((i) => train.y[i]);
    this.optimizer.zeroGrad();
    const dataLoss = tensorLoss(loss.name, this.net.forward(x), y);
    let total = settings.l2 > 0 ? add(dataLoss, tensorL2(this.#parameters, settings.l2)) : dataLoss;
    if (settings.l1 > 0) {
      for (const p of this.#parameters) total = add(total, mul(sum(abs(p)), settings.l1));
    }
    total.backward();
    return total;
  }

  /** One batched forward pass without a graph: a product per layer (what the pictures need). */
  layers(xs: Float64Array, rows: number): ArrayLike<number>[] {
    return noGrad(() => {
      const outs: Float32Array[] = [];
      const modules = this.net.layers;
      let h = new Tensor(Float32Array.from(xs), [rows, this.#nin]);
      modules.forEach((m, i) => {
        h = m.forward(h);
        // A layer's output is after its activation, when it has one.
        if (!(modules[i + 1] instanceof ActivationLayer)) outs.push(h.data as Float32Array);
      });
      return outs;
    });
  }

  write(index: number, value: number): void {
    let at = 0;
    for (const lin of this.#linears) {
      const size = (lin.nin + 1) * lin.nout;
      if (index < at + size) {
        const j = Math.floor((index - at) / (lin.nin + 1));
        const i = (index - at) % (lin.nin + 1);
        if (i === lin.nin) (lin.bias as Tensor).data[j] = value;
        else lin.weight.data[i * lin.nout + j] = value;
        return;
      }
      at += size;
    }
    throw new RangeError(`write: no parameter ${index} (the network has ${at})`);
  }

  read(data: Float64Array, grad: Float64Array): void {
    this.copyParameters(data, grad, (p) => p.paramBlock().grad);
  }

  /**
   * Copies the parameters and the gradients `gradOf` gives into `data` and `grad` in MLP order.
   * Weights are stored `[nin, nout]` (column j is neuron j); the MLP order is per neuron.
   */
  copyParameters(data: Float64Array, grad: Float64Array, gradOf: (p: Tensor) => ArrayLike<number>): void {
    let at = 0;
    for (const lin of this.#linears) {
      const w = lin.weight;
      const b = lin.bias as Tensor;
      const wg = gradOf(w);
      const bg = gradOf(b);
      for (let j = 0; j < lin.nout; j++) {
        for (let i = 0; i < lin.nin; i++) {
          data[at] = w.data[i * lin.nout + j];
          grad[at++] = wg[i * lin.nout + j];
        }
        data[at] = b.data[j];
        grad[at++] = bg[j];
      }
    }
  }
}

/**
 * The tensor engine's factory on the backend in use now (the one `startWasm` started); `label`
 * says which. Each engine it builds puts tensor ops back on that backend, since the worker may
 * have moved them to another (WebGPU) for an earlier run.
 */
export function tensorEngine(label: string): EngineFactory {
  const on = backend();
  return (spec) => {
    setBackend(on);
    return new TensorEngine(spec, label);
  };
}
