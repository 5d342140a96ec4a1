import { Rng } from "../engine/random.ts";
import type { HasParamBlock, ParamBlock } from "../nn/optim/optimizer.ts";
import { denseBackward, denseForward } from "./dense-kernels.ts";
import { TensorLanguageModelGraph } from "./tensor-language-model.ts";

/** The shape of an MLP language model. */
export interface LanguageModelConfig {
  /** Number of token ids (the softmax's width). */
  readonly vocabSize: number;
  /** Tokens of context the model sees (n in an n+1-gram). */
  readonly context: number;
  /** Width of each token's embedding. */
  readonly embed: number;
  /** Number of tanh units in the hidden layer. */
  readonly hidden: number;
}

/**
 * Which code runs the training passes: `fused` (default), this file's hand-written kernels over
 * one parameter block; or `tensor`, the library's tensor ops with `backward()`. Same numbers.
 */
export type LanguageModelEngine = "fused" | "tensor";

/** Options of a new model. */
export interface LanguageModelOptions {
  /** Seed of the initial weights (default 1337). */
  readonly seed?: number;
  /** Which code runs `lossAndGrad` and `totalLoss` (default `fused`). */
  readonly engine?: LanguageModelEngine;
}

/** The saved form of a model: its shape and every parameter, in the order of `params`. */
export interface LanguageModelJSON {
  readonly config: LanguageModelConfig;
  readonly params: readonly number[];
}

/**
 * A character-level (or token-level) MLP language model after Bengio et al. (2003): each of the
 * `context` previous tokens is looked up in an embedding table C, the embeddings are joined and
 * fed to one tanh layer, and a linear layer gives logits over the vocabulary; training minimises
 * the softmax cross-entropy of the next token.
 *
 * The parameters live in one float64 block (`params`, `grads`), so the library's optimisers
 * update them in one loop. The default `fused` engine runs a hand-written forward and backward
 * pass over it (gather, blocked matmuls, tanh, softmax cross-entropy), checked against central
 * finite differences in the tests; the `tensor` engine runs the same model through the tensor
 * ops and `backward()` (see `TensorLanguageModelGraph`), with the same numbers.
 */
export class MLPLanguageModel implements HasParamBlock {
  readonly config: LanguageModelConfig;
  /** Every parameter: C (vocab × embed), W1 (context·embed × hidden), b1, W2 (hidden × vocab), b2. */
  readonly params: Float64Array;
  /** Gradient of the last `lossAndGrad` batch, laid out as `params`. */
  readonly grads: Float64Array;
  readonly #offsets: readonly number[];
  /** Which code runs the training passes. */
  readonly engine: LanguageModelEngine;
  #work: Workspace | null = null;
  readonly #tensor: TensorLanguageModelGraph | null;
  readonly #block: ParamBlock;

  constructor(config: LanguageModelConfig, options: LanguageModelOptions = {}) {
    for (const key of ["vocabSize", "context", "embed", "hidden"] as const) {
      const v = config[key];
      if (!Number.isInteger(v) || v < 1)
        throw new RangeError(`MLPLanguageModel: ${key} must be an integer >= 1, got ${v}`);
    }
    this.config = {
      vocabSize: config.vocabSize,
      context: config.context,
      embed: config.embed,
      hidden: config.hidden,
    };
    const { vocabSize: V, context: n, embed: E, hidden: H } = config;
    const sizes = [V * E, n * E * H, H, H * V, V];
    const offsets = [0];
    for (const s of sizes) offsets.push(offsets[offsets.length - 1] + s);
    this.#offsets = offsets;
    this.params = new Float64Array(offsets[5]);
    this.grads = new Float64Array(offsets[5]);
    this.#block = { data: this.params, grad: this.grads };
    const engine = options.engine ?? "fused";
    if (engine !== "fused" && engine !== "tensor") {
      throw new RangeError(
        `MLPLanguageModel: engine must be "fused" or "tensor", got ${JSON.stringify(engine)}`,
      );
    }
    this.engine = engine;
    this.#tensor =
      engine === "tensor"
        ? new TensorLanguageModelGraph(this.config, this.params, this.grads, offsets)
        : null;
    // Scales after Karpathy's makemore: unit embeddings, tanh gain 5/3 over sqrt(fan-in), and a
    // near-zero output layer so the first loss is close to log(vocab).
    const rng = new Rng(options.seed ?? 1337);
    const scale = [1, 5 / 3 / Math.sqrt(n * E), 0.01, 0.01]; // b2 starts at 0
    for (let part = 0; part < 4; part++) {
      for (let i = offsets[part]; i < offsets[part + 1]; i++) this.params[i] = scale[part] * rng.normal();
    }
  }

  /** Reads back what `toJSON` wrote. */
  static fromJSON(json: LanguageModelJSON, options: { engine?: LanguageModelEngine } = {}): MLPLanguageModel {
    const model = new MLPLanguageModel(json.config, options);
    if (!Array.isArray(json.params) || json.params.length !== model.params.length) {
      throw new Error(
        `MLPLanguageModel.fromJSON: expected ${model.params.length} parameters, got ${json.params?.length}`,
      );
    }
    for (const [i, p] of json.params.entries()) {
      if (typeof p !== "number" || !Number.isFinite(p))
        throw new Error(`MLPLanguageModel.fromJSON: parameter ${i} is ${p}`);
      model.params[i] = p;
    }
    return model;
  }

  /** The shape and parameters as plain JSON data. */
  toJSON(): LanguageModelJSON {
    return { config: this.config, params: Array.from(this.params) };
  }

  /** Number of parameters. */
  get size(): number {
    return this.params.length;
  }

  /** The parameters and their gradients, for an optimiser. */
  paramBlock(): ParamBlock {
    return this.#block;
  }

  /**
   * Mean cross-entropy (nats per token) of `rows` rows of contexts `x` (rows × context) and next
   * tokens `y`; writes its gradient into `grads` (overwriting it).
   */
  lossAndGrad(x: Int32Array, y: Int32Array, rows: number): number {
    if (this.#tensor !== null) return this.#tensor.lossAndGrad(x, y, rows);
    const w = this.#workspace(rows);
    const loss = this.#forward(x, y, rows, w, true) / rows;
    this.#backward(x, rows, w);
    return loss;
  }

  /** Total cross-entropy in nats (a sum, not a mean) of the first `rows` rows, without gradients. */
  totalLoss(x: Int32Array, y: Int32Array, rows: number = y.length): number {
    const chunk = 256;
    const n = this.config.context;
    let total = 0;
    for (let start = 0; start < rows; start += chunk) {
      const m = Math.min(chunk, rows - start);
      const xs = x.subarray(start * n);
      const ys = y.subarray(start);
      total +=
        this.#tensor !== null
          ? this.#tensor.totalLoss(xs, ys, m)
          : this.#forward(xs, ys, m, this.#workspace(m), false);
    }
    return total;
  }

  /** The next-token probabilities after the `context` token ids `ids`, with logits divided by `temperature`. */
  probabilities(ids: ArrayLike<number>, temperature = 1, out?: Float64Array): Float64Array {
    const { vocabSize: V, context: n } = this.config;
    if (ids.length !== n)
      throw new RangeError(`MLPLanguageModel.probabilities: expected ${n} context ids, got ${ids.length}`);
    if (!(temperature > 0))
      throw new RangeError(`MLPLanguageModel.probabilities: temperature must be > 0, got ${temperature}`);
    const x = Int32Array.from(ids);
    for (const id of x) {
      if (id < 0 || id >= V)
        throw new RangeError(`MLPLanguageModel.probabilities: token id ${id} is not in [0, ${V})`);
    }
    const w = this.#workspace(1);
    this.#forward(x, null, 1, w, false);
    const p = out ?? new Float64Array(V);
    let max = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < V; v++) max = Math.max(max, w.logits[v] / temperature);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += p[v] = Math.exp(w.logits[v] / temperature - max);
    for (let v = 0; v < V; v++) p[v] /= sum;
    return p;
  }

  #workspace(rows: number): Workspace {
    if (this.#work === null || this.#work.rows < rows) {
      const { vocabSize: V, context: n, embed: E, hidden: H } = this.config;
      const padded = (rows + 3) & ~3;
      this.#work = {
        rows: padded,
        emb: new Float64Array(padded * n * E),
        h: new Float64Array(padded * H),
        logits: new Float64Array(padded * V),
        dh: new Float64Array(padded * H),
        demb: new Float64Array(padded * n * E),
      };
    }
    return this.#work;
  }

  /**
   * Forward pass; returns the summed cross-entropy (0 when `y` is null). With `keepGrad`, leaves
   * d(mean loss)/d(logits) in `w.logits` for the backward pass.
   */
  #forward(x: Int32Array, y: Int32Array | null, rows: number, w: Workspace, keepGrad: boolean): number {
    const { vocabSize: V, context: n, embed: E, hidden: H } = this.config;
    const p = this.params;
    const [oC, oW1, ob1, oW2, ob2] = this.#offsets;
    const D = n * E;
    const { emb, h, logits } = w;
    // Gather the embeddings of the context tokens.
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < n; j++) {
        const src = oC + x[r * n + j] * E;
        const dst = r * D + j * E;
        for (let e = 0; e < E; e++) emb[dst + e] = p[src + e];
      }
    }
    // Hidden layer: h = tanh(emb · W1 + b1); logits = h · W2 + b2.
    denseForward(emb, rows, D, H, p, oW1, ob1, h);
    for (let i = 0; i < rows * H; i++) h[i] = Math.tanh(h[i]);
    denseForward(h, rows, H, V, p, oW2, ob2, logits);
    if (y === null) return 0;
    // Softmax cross-entropy, through log-sum-exp for stability; its gradient is softmax - onehot.
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const lr = r * V;
      let max = Number.NEGATIVE_INFINITY;
      for (let v = 0; v < V; v++) if (logits[lr + v] > max) max = logits[lr + v];
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(logits[lr + v] - max);
      const t = y[r];
      total += Math.log(sum) + max - logits[lr + t];
      if (keepGrad) {
        const scale = 1 / (sum * rows);
        for (let v = 0; v < V; v++) logits[lr + v] = Math.exp(logits[lr + v] - max) * scale;
        logits[lr + t] -= 1 / rows;
      }
    }
    return total;
  }

  /** Backward pass from d(loss)/d(logits) (left in `w.logits` by the forward pass) to `grads`. */
  #backward(x: Int32Array, rows: number, w: Workspace): void {
    const { vocabSize: V, context: n, embed: E, hidden: H } = this.config;
    const p = this.params;
    const g = this.grads;
    const [oC, oW1, ob1, oW2, ob2] = this.#offsets;
    const D = n * E;
    const { emb, h, logits: dlogits, dh, demb } = w;
    // The kernels work four rows at a time: rows past the batch carry zeros and add nothing.
    const padded = (rows + 3) & ~3;
    emb.fill(0, rows * D, padded * D);
    h.fill(0, rows * H, padded * H);
    dlogits.fill(0, rows * V, padded * V);
    g.fill(0);
    denseBackward(h, dlogits, padded, H, V, p, oW2, ob2, g, dh);
    // Through tanh: d(pre-activation) = dh · (1 - h²).
    for (let i = 0; i < padded * H; i++) dh[i] *= 1 - h[i] * h[i];
    denseBackward(emb, dh, padded, D, H, p, oW1, ob1, g, demb);
    // Scatter the embedding gradients back to the rows of C that were gathered.
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < n; j++) {
        const dst = oC + x[r * n + j] * E;
        const src = r * D + j * E;
        for (let e = 0; e < E; e++) g[dst + e] += demb[src + e];
      }
    }
  }
}

/** Buffers reused across steps, so a training step allocates nothing. */
interface Workspace {
  readonly rows: number;
  readonly emb: Float64Array;
  readonly h: Float64Array;
  readonly logits: Float64Array;
  readonly dh: Float64Array;
  readonly demb: Float64Array;
}
