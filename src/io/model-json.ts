import { ACTIVATIONS, type Activation } from "../nn/activation.ts";
import { LOSS_NAMES, type LossName } from "../nn/losses.ts";
import { MLP } from "../nn/mlp.ts";
import {
  arrayOf,
  checkJson,
  describeJson,
  dictOf,
  finite,
  integer,
  jsonValue,
  literal,
  oneOf,
  optional,
  plainObject,
  record,
  str,
} from "./json-check.ts";
import { checkMlpStateDict, loadMlpStateDict, mlpStateDict, type NamedTensor } from "./state-dict.ts";

/**
 * The standardisation a model's inputs need, stored with the model: each feature's mean and
 * standard deviation (what `fitStandardizer` measures on the training data).
 *
 * @example
 * const scaling: InputScaling = { mean: [5.8, 3.1], std: [0.8, 0.4] };
 */
export interface InputScaling {
  /** Mean of each input feature. */
  readonly mean: readonly number[];
  /** Standard deviation of each input feature (> 0). */
  readonly std: readonly number[];
}
/**
 * The `format` field of a model file.
 *
 * @example
 * JSON.parse(saveModel(model)).format === MODEL_FORMAT; // true
 */
export const MODEL_FORMAT = "micrograd-ts/model";
/**
 * The model-file version this library writes; it reads this one and older ones.
 *
 * @example
 * JSON.parse(saveModel(model)).version === MODEL_VERSION; // true
 */
export const MODEL_VERSION = 1;

/**
 * What travels with a model's weights so it can be used on new data.
 *
 * @example
 * const json = saveModel(model, { loss: "softmax", labels: ["setosa", "versicolor", "virginica"], scaling });
 */
export interface ModelInfo {
  /** The loss it was trained with (it decides how outputs become predictions). */
  readonly loss?: LossName;
  /** Class names by index. */
  readonly labels?: readonly string[];
  /** Names of the input features, in order (e.g. CSV header names). */
  readonly features?: readonly string[];
  /** Feature standardisation to apply to raw inputs before the model. */
  readonly scaling?: InputScaling;
  /** Free-form training facts (steps, seed, figures, date): JSON values only. */
  readonly training?: Readonly<Record<string, unknown>>;
}

/**
 * A model with what is known about it.
 *
 * @example
 * const saved: SavedModel = loadModel(json);
 * saved.model.predict(standardize([[5.1, 3.5, 1.4, 0.2]], saved.scaling!)[0]);
 */
export interface SavedModel extends ModelInfo {
  /** The network, with its trained weights. */
  readonly model: MLP;
}

/**
 * The architecture part of a model file.
 *
 * @example
 * const arch: MLPArchitecture = mlpArchitecture(model);
 * const copy = new MLP(arch.inputs, arch.sizes, { activation: [...arch.activations] });
 */
export interface MLPArchitecture {
  /** Always `mlp`. */
  readonly kind: "mlp";
  /** Number of inputs. */
  readonly inputs: number;
  /** Neurons per layer, output layer last. */
  readonly sizes: readonly number[];
  /** Activation of each layer. */
  readonly activations: readonly Activation[];
}

/**
 * The architecture of an MLP, as stored in model files.
 *
 * @example
 * mlpArchitecture(new MLP(2, [16, 1])); // { kind: "mlp", inputs: 2, sizes: [16, 1], activations: ["relu", "linear"] }
 */
export function mlpArchitecture(model: MLP): MLPArchitecture {
  return { kind: "mlp", inputs: model.nin, sizes: [...model.sizes], activations: [...model.activations] };
}

/**
 * Serialises a model as versioned JSON: architecture, activations, weights (PyTorch names and
 * layouts, numbers written exactly), and the optional class names, feature names, feature
 * scaling and training facts. The core writes no files: the caller stores the string.
 *
 * @example
 * const text = saveModel(model, { loss: "softmax", labels: ["a", "b"] });
 * const { model: again } = loadModel(text);
 */
export function saveModel(model: MLP, info: ModelInfo = {}): string {
  checkInfo(model, info, "saveModel");
  const weights: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [name, t] of Object.entries(mlpStateDict(model))) {
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new RangeError(
        `saveModel: tensor "${name}" has a non-finite weight (${t.data[bad]}) at index ${bad}`,
      );
    weights[name] = { shape: [...t.shape], data: Array.from(t.data) };
  }
  const file = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture: mlpArchitecture(model),
    loss: info.loss,
    labels: info.labels,
    features: info.features,
    scaling: info.scaling && { mean: [...info.scaling.mean], std: [...info.scaling.std] },
    training: info.training,
    weights,
  };
  return `${JSON.stringify(file)}\n`;
}

/**
 * Reads a model file written by `saveModel` (text or UTF-8 bytes). Checks the format, the
 * version, the architecture and every tensor's name and shape, and says exactly what does not
 * fit rather than returning a model that computes something else.
 *
 * @example
 * const { model, labels, scaling } = loadModel(readFileSync("model.json", "utf8"));
 * model.predict([0.5, -1]);
 */
export function loadModel(input: string | Uint8Array): SavedModel {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      throw new RangeError("loadModel: the file is not UTF-8 text (is it a safetensors or ONNX file?)");
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RangeError(
      `loadModel: the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const { format } = checkJson(raw, plainObject, "loadModel");
  if (format !== MODEL_FORMAT) {
    throw new RangeError(
      `loadModel: not a micrograd-ts model file (format ${describeJson(format)}, expected "${MODEL_FORMAT}")`,
    );
  }
  const file = checkJson(raw, MODEL_FILE, "loadModel");
  if (file.version > MODEL_VERSION) {
    throw new RangeError(
      `loadModel: the file is version ${file.version}, newer than this library reads (${MODEL_VERSION}); update micrograd-ts`,
    );
  }
  const { inputs, sizes, activations } = file.architecture;
  if (activations.length !== sizes.length) {
    throw new RangeError(
      `loadModel: ${activations.length} activations for ${sizes.length} layers in "architecture"`,
    );
  }
  const dict: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(file.weights))
    dict[name] = { shape: t.shape, data: Float64Array.from(t.data) };
  // Check every tensor against the architecture before building anything, so a tiny file cannot
  // ask for a huge network: the model is only built once the file holds all of its numbers.
  checkMlpStateDict(
    inputs,
    sizes,
    dict,
    `loadModel: the weights do not fit the architecture ${[inputs, ...sizes].join("-")}`,
  );
  const model = new MLP(inputs, sizes, { activation: activations });
  loadMlpStateDict(model, dict, "loadModel");
  const { loss, labels, features, scaling, training } = file;
  const info: ModelInfo = { loss, labels, features, scaling, training };
  checkInfo(model, info, "loadModel");
  return { model, ...dropUndefined(info) };
}

/**
 * The checks of a saved model's info (`ModelInfo`), one per field: model files of every kind
 * store these beside their weights.
 *
 * @example
 * record({ ...MODEL_INFO_FIELDS })({ labels: ["a", "b"] }, ""); // { labels: ["a", "b"] }
 */
export const MODEL_INFO_FIELDS = {
  loss: optional(oneOf(LOSS_NAMES)),
  // Names must be distinct: a repeated feature name would pick the same CSV column twice.
  labels: optional(arrayOf(str, { distinct: true })),
  features: optional(arrayOf(str, { distinct: true })),
  scaling: optional(record({ mean: arrayOf(finite), std: arrayOf(finite) })),
  training: optional((v: unknown, at: string) => plainObject(jsonValue(TRAINING_DEPTH)(v, at), at)),
};

// The shape of a model file, checked field by field (the errors name the field).
const MODEL_FILE = record({
  version: integer(1),
  architecture: record({
    kind: literal("mlp", '"mlp"'),
    inputs: integer(1, 1e6),
    sizes: arrayOf(integer(1, 1e6), { nonEmpty: true }),
    activations: arrayOf(oneOf(ACTIVATIONS)),
  }),
  weights: dictOf(record({ shape: arrayOf(integer(0)), data: arrayOf(finite) })),
  ...MODEL_INFO_FIELDS,
});

/** How deeply the free-form `training` facts may nest (they are flat in files we write). */
const TRAINING_DEPTH = 16;

/** Checks that the names and scaling fit the model's inputs and outputs. */
function checkInfo(model: MLP, info: ModelInfo, where: string): void {
  const outputs = model.sizes[model.sizes.length - 1];
  const { labels, features, scaling } = info;
  if (labels !== undefined) {
    const classes = outputs === 1 ? 2 : outputs;
    if (info.loss !== "mse" && labels.length !== classes) {
      throw new RangeError(
        `${where}: ${labels.length} class names for a model with ${outputs} output(s) (${classes} classes)`,
      );
    }
  }
  if (features !== undefined && features.length !== model.nin) {
    throw new RangeError(`${where}: ${features.length} feature names for a model with ${model.nin} inputs`);
  }
  if (scaling !== undefined) {
    if (scaling.mean.length !== model.nin || scaling.std.length !== model.nin) {
      throw new RangeError(
        `${where}: scaling has ${scaling.mean.length} means and ${scaling.std.length} standard deviations for ${model.nin} inputs`,
      );
    }
    scaling.std.forEach((s, i) => {
      if (!(s > 0)) throw new RangeError(`${where}: scaling.std[${i}] must be > 0, got ${s}`);
    });
  }
}

function dropUndefined(info: ModelInfo): ModelInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as ModelInfo;
}
