// The settings panel: selects filled from the schema's choices, inputs bound one-to-one to
// settings, and the editor of hidden layers (add, remove, more or fewer neurons, activation).

import { byId as $ } from "./dom.ts";
import { EXAMPLES } from "./examples.ts";
import { FEATURE_LABEL } from "./features.ts";
import type { Problem } from "./problem.ts";
import {
  CHOICES,
  type Feature,
  fromHash,
  isRegression,
  MAX_LAYERS,
  MAX_NEURONS,
  rangeOf,
  type Settings,
  toHash,
} from "./settings.ts";

const LABELS: Readonly<Record<string, string>> = {
  moons: "Moons",
  circles: "Circles",
  spiral: "Spiral (3 classes)",
  xor: "XOR",
  blobs: "Blobs (3 classes)",
  plane: "Plane (regression)",
  gauss: "Gaussians (regression)",
  custom: "Your own points",
  hinge: "Hinge",
  mse: "Squared error",
  bce: "Binary cross-entropy",
  softmax: "Softmax cross-entropy",
  adam: "Adam",
  sgd: "SGD",
  constant: "Constant",
  linear: "Linear to lr/10",
  step: "÷10 each third",
  cosine: "Cosine to 0",
  full: "Full batch",
  mini: "Mini-batch",
  stochastic: "Stochastic (1)",
  wasm: "WebAssembly",
  webgpu: "WebGPU",
  js: "JavaScript",
};

/** Controls bound one-to-one to a setting: element id → setting name. */
export const BOUND = {
  dataset: "dataset",
  n: "n",
  noise: "noise",
  test: "testPercent",
  seed: "seed",
  loss: "loss",
  opt: "optimizer",
  lr: "lr",
  sched: "schedule",
  steps: "steps",
  batch: "batch",
  bs: "batchSize",
  l2: "l2",
  l1: "l1",
  engine: "engine",
  expr: "expr",
} as const satisfies Record<string, keyof Settings>;

/** Check boxes bound to a yes/no setting: element id → setting name. */
export const FLAGS = {
  discretize: "discretize",
  showtest: "showTest",
} as const satisfies Record<string, keyof Settings>;

/** The URL key of each bound control (the schema's name for it). */
const URL_KEY: Readonly<Record<string, string>> = { dataset: "data" };

/** Builds the check boxes of the input features (once). */
export function fillFeatures(changed: () => void): void {
  $("features").replaceChildren(
    ...CHOICES.feature.map((f) => {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `feat-${f}`;
      box.addEventListener("change", changed);
      const label = document.createElement("label");
      label.className = "check";
      label.append(box, FEATURE_LABEL[f]);
      return label;
    }),
  );
}

/** Fills the selects with the schema's choices. */
export function fillSelects(): void {
  const fill = (id: string, options: readonly string[]): void => {
    $(id).replaceChildren(...options.map((o) => new Option(LABELS[o] ?? EXAMPLES[o]?.title ?? o, o)));
  };
  fill("dataset", CHOICES.dataset);
  fill("loss", CHOICES.loss);
  fill("opt", CHOICES.optimizer);
  fill("sched", CHOICES.schedule);
  fill("batch", CHOICES.batch);
  fill("engine", CHOICES.engine);
  fill("expr", CHOICES.expr);
}

/**
 * Offers WebGPU only where the browser has it: without `navigator.gpu`, or when it gives no
 * adapter, the choice stays in the list but disabled, saying why. (A link that asks for WebGPU
 * there trains on wasm, and the page says why: see engine-choice.ts.)
 */
export async function offerWebGpu(): Promise<void> {
  const option = $<HTMLSelectElement>("engine").querySelector<HTMLOptionElement>('option[value="webgpu"]');
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  const missing = gpu === undefined ? "not in this browser" : adapter == null ? "no GPU adapter here" : "";
  if (option === null || missing === "") return;
  option.disabled = true;
  option.textContent = `WebGPU (${missing})`;
}

/** Shows `settings` in the controls; the layer editor changes `settings` and calls `changed`. */
export function showSettings(settings: Settings, problem: Problem, changed: () => void): void {
  for (const [id, key] of Object.entries(BOUND)) $<HTMLInputElement>(id).value = String(settings[key]);
  for (const [id, key] of Object.entries(FLAGS)) $<HTMLInputElement>(id).checked = settings[key];
  for (const f of CHOICES.feature) $<HTMLInputElement>(`feat-${f}`).checked = settings.features.includes(f);
  // Regression always trains with squared error, and has no classes to discretize.
  $<HTMLSelectElement>("loss").disabled = isRegression(settings.dataset);
  $<HTMLInputElement>("discretize").disabled = isRegression(settings.dataset);
  $("custom").hidden = settings.dataset !== "custom";
  $("bs-label").hidden = settings.batch !== "mini";
  for (const id of ["n", "noise", "reseed"]) $<HTMLInputElement>(id).disabled = settings.dataset === "custom";
  $<HTMLTextAreaElement>("csv").value = settings.points.map((p) => p.join(",")).join("\n");
  $("loss-note").textContent =
    problem.classes > 2 && settings.loss !== "softmax"
      ? `${problem.classes} classes: trained with softmax cross-entropy (${settings.loss} scores two classes).`
      : "";
  showLayers(settings, changed);
}

/**
 * The settings the controls show now; an entry that is empty or out of range keeps its value,
 * and `refused` says which and why (for the notice).
 */
export function readControls(settings: Settings): { settings: Settings; refused: string[] } {
  const entered = Object.fromEntries(
    Object.entries(BOUND).map(([id, key]) => [key, $<HTMLInputElement>(id).value]),
  );
  const flags = Object.fromEntries(
    Object.entries(FLAGS).map(([id, key]) => [key, $<HTMLInputElement>(id).checked]),
  );
  const features = CHOICES.feature.filter((f: Feature) => $<HTMLInputElement>(`feat-${f}`).checked);
  const typed = new URLSearchParams(
    toHash({ ...settings, ...entered, ...flags, features } as unknown as Settings).slice(1),
  );
  const now = new URLSearchParams(toHash(settings).slice(1));
  const refused: string[] = [];
  for (const key of fromHash(`#${typed}`).rejected) {
    const id = Object.keys(BOUND).find((i) => (URL_KEY[i] ?? i) === key);
    const label = id === undefined ? key : ($(id).closest("label")?.firstChild?.textContent ?? key).trim();
    const value = typed.get(key) ?? "";
    refused.push(
      key === "feat"
        ? "Inputs: at least one is needed; kept the last one"
        : value === ""
          ? `${label}: empty, kept ${now.get(key)}`
          : `${label}: ${value} is not in ${rangeOf(key)}, kept ${now.get(key)}`,
    );
    typed.set(key, now.get(key) ?? "");
  }
  return { settings: fromHash(`#${typed}`).settings, refused };
}

function showLayers(settings: Settings, changed: () => void): void {
  const focused = document.activeElement?.id ?? "";
  $("layers").replaceChildren(
    ...settings.layers.map((layer, i) => {
      const name = `layer ${i + 1}`;
      const button = (id: string, text: string, label: string, disabled: boolean, act: () => void) => {
        const b = document.createElement("button");
        b.type = "button";
        b.id = `layer-${i}-${id}`;
        b.textContent = text;
        b.setAttribute("aria-label", label);
        b.disabled = disabled;
        b.addEventListener("click", () => {
          act();
          changed();
        });
        return b;
      };
      const count = document.createElement("span");
      count.className = "count";
      count.id = `layer-${i}-size`;
      count.textContent = `${layer.size}`;
      const select = document.createElement("select");
      select.id = `layer-${i}-act`;
      select.setAttribute("aria-label", `Activation of ${name}`);
      for (const a of CHOICES.activation) select.append(new Option(a, a, false, a === layer.activation));
      select.addEventListener("change", () => {
        layer.activation = select.value as typeof layer.activation;
        changed();
      });
      const item = document.createElement("li");
      item.append(
        `Layer ${i + 1} `,
        button("fewer", "−", `Fewer neurons in ${name}`, layer.size <= 1, () => layer.size--),
        count,
        button("more", "+", `More neurons in ${name}`, layer.size >= MAX_NEURONS, () => layer.size++),
        select,
        button("remove", "✕", `Remove ${name}`, false, () => settings.layers.splice(i, 1)),
      );
      return item;
    }),
  );
  $<HTMLButtonElement>("add-layer").disabled = settings.layers.length >= MAX_LAYERS;
  // The list was rebuilt: give focus back to the button the visitor was using.
  if (focused.startsWith("layer-")) {
    const again = document.getElementById(focused) as HTMLButtonElement | null;
    (again !== null && !again.disabled ? again : $("add-layer")).focus();
  }
}
