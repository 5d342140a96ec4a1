// The settings panel: selects filled from the schema's choices, inputs bound one-to-one to
// settings, and the editor of hidden layers (add, remove, more or fewer neurons, activation).

import { byId as $ } from "./dom.ts";
import { EXAMPLES } from "./examples.ts";
import type { Problem } from "./problem.ts";
import { CHOICES, fromHash, MAX_LAYERS, MAX_NEURONS, type Settings, toHash } from "./settings.ts";

const LABELS: Readonly<Record<string, string>> = {
  moons: "Moons",
  circles: "Circles",
  spiral: "Spiral (3 classes)",
  xor: "XOR",
  blobs: "Blobs (3 classes)",
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
  engine: "engine",
  expr: "expr",
} as const satisfies Record<string, keyof Settings>;

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

/** Shows `settings` in the controls; the layer editor changes `settings` and calls `changed`. */
export function showSettings(settings: Settings, problem: Problem, changed: () => void): void {
  for (const [id, key] of Object.entries(BOUND)) $<HTMLInputElement>(id).value = String(settings[key]);
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

/** The settings the controls show now; an entry that is empty or out of range keeps its value. */
export function readControls(settings: Settings): Settings {
  const entered = Object.fromEntries(
    Object.entries(BOUND).map(([id, key]) => [key, $<HTMLInputElement>(id).value]),
  );
  const typed = new URLSearchParams(toHash({ ...settings, ...entered } as unknown as Settings).slice(1));
  const now = new URLSearchParams(toHash(settings).slice(1));
  for (const key of fromHash(`#${typed}`).rejected) typed.set(key, now.get(key) ?? "");
  return fromHash(`#${typed}`).settings;
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
