// Every setting of the playground, and the schema table that maps them to and from the URL hash:
// the seed is part of the state, so a link reproduces the same run (TensorFlow Playground's habit).
import type { Activation, DatasetName, LossName, OptimizerName, ScheduleName } from "../../src/index.ts";

/** A point the visitor placed: x, y and its class. */
export type Point = readonly [number, number, number];

/** One hidden layer. */
export interface HiddenLayer {
  size: number;
  activation: Activation;
}

/**
 * The inputs the network sees, computed from a point's x and y (TensorFlow Playground's
 * features): x, y, x², y², x·y, sin x, sin y.
 */
export type Feature = "x" | "y" | "x2" | "y2" | "xy" | "sinx" | "siny";

/** The regression datasets: the target is a number, not a class. */
export type RegressionName = "plane" | "gauss";

/** How many samples each update sees. */
export type BatchKind = "full" | "mini" | "stochastic";

/**
 * What trains the network: `wasm` is the tensor engine on the WebAssembly SIMD backend (float32;
 * the scalar engine stands in where WebAssembly SIMD is missing), `webgpu` the same tensor engine
 * on the GPU (wasm stands in where the browser has no WebGPU), `js` the scalar compiled tape
 * (float64, plain JavaScript).
 */
export type EngineName = "wasm" | "webgpu" | "js";

/** The page's views: the 2-D network, the language model of names, the digits. */
export type ViewName = "net" | "lm" | "digits";

/** Everything that defines a run. */
export interface Settings {
  /** Which view the page shows. */
  view: ViewName;
  dataset: DatasetName | RegressionName | "custom";
  n: number;
  noise: number;
  /** Share of the points held out for testing, in percent. */
  testPercent: number;
  seed: number;
  layers: HiddenLayer[];
  loss: LossName;
  optimizer: OptimizerName;
  lr: number;
  schedule: ScheduleName;
  steps: number;
  batch: BatchKind;
  batchSize: number;
  l2: number;
  /** Weight of the L1 penalty (sum of |w|) added to the loss. */
  l1: number;
  /** The network's inputs, in this order. */
  features: Feature[];
  /** Show the output as its class only (no shades of confidence). */
  discretize: boolean;
  /** Draw the test points on the plane. */
  showTest: boolean;
  /** The training engine. */
  engine: EngineName;
  /** The visitor's own points (dataset `custom`). */
  points: Point[];
  /** The expression of the backpropagation view. */
  expr: string;
  /** Values of its leaves, in order ([] for the example's own). */
  values: number[];
  /** The Language model view's model. */
  lmArch: "mlp" | "gpt";
}

/** The settings a fresh page starts with. */
export function defaultSettings(): Settings {
  return {
    view: "net",
    dataset: "moons",
    n: 200,
    noise: 0.1,
    testPercent: 30,
    seed: 1,
    layers: [
      { size: 8, activation: "tanh" },
      { size: 8, activation: "tanh" },
    ],
    loss: "hinge",
    optimizer: "adam",
    lr: 0.03,
    schedule: "constant",
    steps: 500,
    batch: "full",
    batchSize: 16,
    l2: 0.0001,
    l1: 0,
    features: ["x", "y"],
    discretize: false,
    showTest: true,
    engine: "wasm",
    points: [],
    expr: "neuron",
    values: [],
    lmArch: "mlp",
  };
}

/** Choices offered by the page (and accepted in the URL). */
export const CHOICES = {
  dataset: ["moons", "circles", "spiral", "xor", "blobs", "plane", "gauss", "custom"],
  feature: ["x", "y", "x2", "y2", "xy", "sinx", "siny"],
  activation: ["relu", "tanh", "sigmoid", "linear"],
  loss: ["hinge", "mse", "bce", "softmax"],
  optimizer: ["adam", "sgd"],
  schedule: ["constant", "linear", "step", "cosine"],
  batch: ["full", "mini", "stochastic"],
  engine: ["wasm", "webgpu", "js"],
  expr: ["neuron", "expression", "loss"],
  view: ["net", "lm", "digits"],
  lmArch: ["mlp", "gpt"],
} as const;

/** Most hidden layers the page draws. */
export const MAX_LAYERS = 6;
/** Most neurons in one hidden layer. */
export const MAX_NEURONS = 16;
/** Most points of your own (as for `n`, the number of generated points). */
export const MAX_POINTS = 1000;

/** True for the datasets whose target is a number (trained with squared error). */
export function isRegression(dataset: Settings["dataset"]): dataset is RegressionName {
  return dataset === "plane" || dataset === "gauss";
}

/** One row of the URL schema: a hash key and how it reads and writes its setting. */
interface Field {
  readonly key: string;
  /** The values it accepts, for a notice (e.g. "0.000001 to 10"). */
  readonly range?: string;
  encode(s: Settings): string;
  /**
   * Sets the field from its text; returns false when the text is not valid (the default stays),
   * or a note when it took only part of it (e.g. the first 1,000 points).
   */
  decode(s: Settings, text: string): boolean | string;
}

type KeysOf<T> = { [K in keyof Settings]: Settings[K] extends T ? K : never }[keyof Settings];

function num(key: string, prop: KeysOf<number>, min: number, max: number, integer = false): Field {
  return {
    key,
    range: `${min} to ${max}`,
    encode: (s) => String(s[prop]),
    decode(s, text) {
      const v = Number(text);
      if (text === "" || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v)))
        return false;
      s[prop] = v;
      return true;
    },
  };
}

function choice<K extends KeysOf<string>>(key: string, prop: K, options: readonly string[]): Field {
  return {
    key,
    encode: (s) => String(s[prop]),
    decode(s, text) {
      if (!options.includes(text)) return false;
      (s as unknown as Record<string, string>)[prop] = text;
      return true;
    },
  };
}

function flag(key: string, prop: KeysOf<boolean>): Field {
  return {
    key,
    range: "0 or 1",
    encode: (s) => (s[prop] ? "1" : "0"),
    decode(s, text) {
      if (text !== "0" && text !== "1") return false;
      s[prop] = text === "1";
      return true;
    },
  };
}

const LAYER = /^(\d+)(relu|tanh|sigmoid|linear)$/;

/** The schema: one row per setting, in the order they appear in the URL. */
export const SCHEMA: readonly Field[] = [
  choice("view", "view", CHOICES.view),
  choice("data", "dataset", CHOICES.dataset),
  num("n", "n", 4, 1000, true),
  num("noise", "noise", 0, 2),
  num("test", "testPercent", 0, 90, true),
  num("seed", "seed", 0, 2 ** 31 - 1, true),
  {
    key: "layers",
    encode: (s) => s.layers.map((l) => `${l.size}${l.activation}`).join("_"),
    decode(s, text) {
      if (text === "") {
        s.layers = [];
        return true;
      }
      const parts = text.split("_").map((p) => LAYER.exec(p));
      if (parts.length > MAX_LAYERS) return false;
      const layers: HiddenLayer[] = [];
      for (const m of parts) {
        const size = m === null ? 0 : Number(m[1]);
        if (m === null || size < 1 || size > MAX_NEURONS) return false;
        layers.push({ size, activation: m[2] as Activation });
      }
      s.layers = layers;
      return true;
    },
  },
  choice("loss", "loss", CHOICES.loss),
  choice("opt", "optimizer", CHOICES.optimizer),
  num("lr", "lr", 1e-6, 10),
  choice("sched", "schedule", CHOICES.schedule),
  num("steps", "steps", 1, 100000, true),
  choice("batch", "batch", CHOICES.batch),
  num("bs", "batchSize", 1, 1000, true),
  num("l2", "l2", 0, 1),
  num("l1", "l1", 0, 1),
  {
    key: "feat",
    encode: (s) => s.features.join("_"),
    decode(s, text) {
      const names = text.split("_");
      const known = CHOICES.feature as readonly string[];
      if (!names.every((f) => known.includes(f)) || new Set(names).size !== names.length) return false;
      // Kept in the page's order, so that one set of inputs has one link.
      s.features = CHOICES.feature.filter((f) => names.includes(f));
      return true;
    },
  },
  flag("discretize", "discretize"),
  flag("showtest", "showTest"),
  choice("engine", "engine", CHOICES.engine),
  choice("expr", "expr", CHOICES.expr),
  choice("lm", "lmArch", CHOICES.lmArch),
  {
    key: "vals",
    encode: (s) => s.values.join(","),
    decode(s, text) {
      const values =
        text === "" ? [] : text.split(",").map((t) => (t.trim() === "" ? Number.NaN : Number(t)));
      if (values.length > 8 || !values.every(Number.isFinite)) return false;
      s.values = values;
      return true;
    },
  },
  {
    key: "pts",
    encode: (s) => s.points.map((p) => p.join(",")).join(";"),
    decode(s, text) {
      // Capped as `n` is: only the first MAX_POINTS are read, and the notice says so.
      const all = text.split(";");
      const points = parsePoints(all.slice(0, MAX_POINTS).join("\n"));
      if (typeof points === "string") return false;
      s.points = points;
      return all.length > MAX_POINTS
        ? `pts: the first ${MAX_POINTS} of ${all.length} points kept (at most ${MAX_POINTS})`
        : true;
    },
  },
];

/** The URL hash for some settings (`pts` and `vals` only when not empty). */
export function toHash(s: Settings): string {
  const params = new URLSearchParams();
  for (const f of SCHEMA) {
    const text = f.encode(s);
    if ((f.key !== "pts" && f.key !== "vals") || text !== "") params.set(f.key, text);
  }
  return `#${params.toString()}`;
}

/**
 * Settings from a URL hash: defaults for missing keys; bad values are listed in `rejected`, and
 * values taken only in part (too many points) explained in `notes`.
 */
export function fromHash(hash: string): { settings: Settings; rejected: string[]; notes: string[] } {
  const settings = defaultSettings();
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const rejected: string[] = [];
  const notes: string[] = [];
  for (const f of SCHEMA) {
    const text = params.get(f.key);
    if (text === null) continue;
    const result = f.decode(settings, text);
    if (result === false) rejected.push(f.key);
    else if (typeof result === "string") notes.push(result);
  }
  return { settings, rejected, notes };
}

/** The range a setting accepts, by its URL key ("" when it has none to show). */
export function rangeOf(key: string): string {
  return SCHEMA.find((f) => f.key === key)?.range ?? "";
}

/** Points from CSV text, one `x,y,class` per line; an error message names the bad line. */
export function parsePoints(text: string): Point[] | string {
  const points: Point[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const cells = line.split(/[,;\s]+/).filter((c) => c !== "");
    const v = cells.map(Number);
    if (cells.length !== 3 || !v.every(Number.isFinite)) {
      return `CSV line ${i + 1}: expected x,y,class (3 numbers), got "${line.trim()}"`;
    }
    if (!Number.isInteger(v[2]) || v[2] < 0 || v[2] > 3) {
      return `CSV line ${i + 1}: class must be 0, 1, 2 or 3, got ${cells[2]}`;
    }
    points.push([v[0], v[1], v[2]]);
  }
  return points;
}
