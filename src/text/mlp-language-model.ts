import { Rng } from "../engine/random.ts";
import { Embedding } from "../nn/embedding.ts";
import { Linear } from "../nn/linear.ts";
import { namedParametersOf } from "../nn/module.ts";
import { TensorModule } from "../nn/tensor-module.ts";
import { tanh } from "../tensor/ops/elementwise.ts";
import { reshape } from "../tensor/ops/movement.ts";
import { shapeText } from "../tensor/shape.ts";
import { type DType, noGrad, Tensor } from "../tensor/tensor.ts";

/**
 * The shape of an MLP language model.
 *
 * @example
 * const config: LanguageModelConfig = { vocabSize: tok.vocabSize, context: 3, embed: 10, hidden: 200 };
 */
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
 * Options of a new model.
 *
 * @example
 * new MLPLanguageModel(config, { seed: 42, dtype: "float64" });
 */
export interface LanguageModelOptions {
  /** Seed of the initial weights (default 1337). */
  readonly seed?: number;
  /** float32 (default: the fast path on the wasm backend) or float64 (for gradient checks). */
  readonly dtype?: DType;
}

/**
 * The saved form of a model: its shape and every parameter, in `parameters()` order.
 *
 * @example
 * const copy = MLPLanguageModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 */
export interface LanguageModelJSON {
  /** The model's shape. */
  readonly config: LanguageModelConfig;
  /** Every parameter's numbers, one tensor after another in `parameters()` order. */
  readonly params: readonly number[];
  /** The number type it was trained in (float32 when absent). */
  readonly dtype?: DType;
}

/**
 * A character-level (or token-level) MLP language model after Bengio et al. (2003): each of the
 * `context` previous tokens is looked up in an embedding table, the embeddings are joined and
 * fed to one tanh layer, and a linear layer gives logits over the vocabulary. It is a
 * `TensorModule` made of the library's `Embedding` and `Linear` layers: `forward` takes
 * `[rows, context]` token ids and gives `[rows, vocab]` logits, its gradients come from the
 * tensor ops' own derivatives, and `fit` trains it with the softmax cross-entropy of the next
 * token as it trains any other model (`windowTensors` turns `Windows` into fit's data). On the
 * wasm backend (`await init("wasm")`) in float32 a training step is about twice as fast as on js.
 *
 * Parameters, in order and by name: `embedding.weight` (`[vocab, embed]`), `hidden.weight`
 * (`[context·embed, hidden]`), `hidden.bias`, `output.weight` (`[hidden, vocab]`), `output.bias`.
 *
 * @example
 * const model = new MLPLanguageModel({ vocabSize: 28, context: 3, embed: 10, hidden: 64 }, { seed: 1 });
 * fit(model, windowTensors(trainWindows), { optimizer: "adam", lr: 0.01, batch: 32, steps: 1000 });
 * model.probabilities([0, 0, 0]); // P(first character)
 */
export class MLPLanguageModel extends TensorModule {
  /** The model's shape. */
  readonly config: LanguageModelConfig;
  /** float32 or float64. */
  readonly dtype: DType;
  /** The token embeddings. */
  readonly embedding: Embedding;
  /** The tanh layer's weights (`[context·embed, hidden]`) and bias. */
  readonly hidden: Linear;
  /** The output layer's weights (`[hidden, vocab]`) and bias: the logits. */
  readonly output: Linear;

  constructor(config: LanguageModelConfig, options: LanguageModelOptions = {}) {
    super();
    for (const key of ["vocabSize", "context", "embed", "hidden"] as const) {
      const v = config[key];
      if (!Number.isInteger(v) || v < 1)
        throw new RangeError(`MLPLanguageModel: ${key} must be an integer >= 1, got ${v}`);
    }
    const dtype = options.dtype ?? "float32";
    if (dtype !== "float32" && dtype !== "float64") {
      throw new RangeError(
        `MLPLanguageModel: dtype must be "float32" or "float64", got ${JSON.stringify(dtype)}`,
      );
    }
    const { vocabSize: V, context: n, embed: E, hidden: H } = config;
    this.config = { vocabSize: V, context: n, embed: E, hidden: H };
    this.dtype = dtype;
    this.embedding = new Embedding(V, E, { dtype });
    this.hidden = new Linear(n * E, H, { dtype });
    this.output = new Linear(H, V, { dtype });
    // Scales after Karpathy's makemore: unit embeddings, tanh gain 5/3 over sqrt(fan-in), and a
    // near-zero output layer so the first loss is close to log(vocab); drawn in parameter order.
    const rng = new Rng(options.seed ?? 1337);
    const scale = [1, 5 / 3 / Math.sqrt(n * E), 0.01, 0.01, 0]; // the output bias starts at 0
    this.parameters().forEach((p, part) => {
      for (let i = 0; i < p.size; i++) p.data[i] = scale[part] === 0 ? 0 : scale[part] * rng.normal();
    });
  }

  /** Reads back what `toJSON` wrote (in its dtype, unless `options.dtype` says another). */
  static fromJSON(json: LanguageModelJSON, options: { dtype?: DType } = {}): MLPLanguageModel {
    const stored = json.dtype === "float64" ? "float64" : "float32";
    const model = new MLPLanguageModel(json.config, { dtype: options.dtype ?? stored });
    const count = model.parameterCount();
    if (!Array.isArray(json.params) || json.params.length !== count) {
      throw new Error(`MLPLanguageModel.fromJSON: expected ${count} parameters, got ${json.params?.length}`);
    }
    let at = 0;
    for (const p of model.parameters()) {
      for (let i = 0; i < p.size; i++, at++) {
        const v = json.params[at];
        if (typeof v !== "number" || !Number.isFinite(v))
          throw new Error(`MLPLanguageModel.fromJSON: parameter ${at} is ${v}`);
        p.data[i] = v;
      }
    }
    return model;
  }

  /** The shape and parameters as plain JSON data. */
  toJSON(): LanguageModelJSON {
    return {
      config: this.config,
      params: this.parameters().flatMap((p) => Array.from(p.data)),
      dtype: this.dtype,
    };
  }

  /** The logits (`[rows, vocab]`) after each row of `[rows, context]` token ids. */
  forward(ids: Tensor): Tensor {
    const { context: n, embed: E } = this.config;
    if (ids.ndim !== 2 || ids.shape[1] !== n) {
      throw new RangeError(`MLPLanguageModel: expected [rows, ${n}] token ids, got ${shapeText(ids.shape)}`);
    }
    const rows = ids.shape[0];
    const emb = reshape(this.embedding.forward(ids), [rows, n * E]);
    return this.output.forward(tanh(this.hidden.forward(emb)));
  }

  parameters(): Tensor[] {
    return [...this.embedding.parameters(), ...this.hidden.parameters(), ...this.output.parameters()];
  }

  /** `embedding.weight`, `hidden.weight`, `hidden.bias`, `output.weight`, `output.bias`. */
  override namedParameters(): [string, Tensor][] {
    return [
      ...namedParametersOf("embedding", this.embedding),
      ...namedParametersOf("hidden", this.hidden),
      ...namedParametersOf("output", this.output),
    ];
  }

  /** The next-token probabilities after the `context` token ids `ids`, with logits divided by `temperature`. */
  probabilities(ids: ArrayLike<number>, temperature = 1, out?: Float64Array): Float64Array {
    const { vocabSize: V, context: n } = this.config;
    if (ids.length !== n)
      throw new RangeError(`MLPLanguageModel.probabilities: expected ${n} context ids, got ${ids.length}`);
    if (!(temperature > 0))
      throw new RangeError(`MLPLanguageModel.probabilities: temperature must be > 0, got ${temperature}`);
    const x = Float64Array.from(ids);
    for (const id of x) {
      if (!(Number.isInteger(id) && id >= 0 && id < V))
        throw new RangeError(`MLPLanguageModel.probabilities: token id ${id} is not in [0, ${V})`);
    }
    const logits = noGrad(() => this.forward(new Tensor(x, [1, n]))).data;
    const p = out ?? new Float64Array(V);
    let max = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[v] / temperature);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += p[v] = Math.exp(logits[v] / temperature - max);
    for (let v = 0; v < V; v++) p[v] /= sum;
    return p;
  }
}
