// The backpropagation panel's controls: the example chosen, its editable inputs, and the buttons
// that walk the backward pass one node at a time (the walk itself is BackpropView's).
import type { BackpropView } from "./backprop-view.ts";
import { readControls } from "./controls.ts";
import { byId as $ } from "./dom.ts";
import { EXAMPLES, leafValues } from "./examples.ts";
import type { Settings } from "./settings.ts";

/** How the panel reads the page's settings and hands back changed ones (which go to the URL). */
export interface SettingsAccess {
  readonly current: () => Settings;
  readonly replace: (next: Settings) => void;
}

/** Wires the panel's controls; returns the function that (re)loads the chosen example. */
export function backpropPanel(backprop: BackpropView, settings: SettingsAccess): () => void {
  const loadExample = (): void => {
    const { expr, values: edited } = settings.current();
    const example = EXAMPLES[expr];
    const values = leafValues(example, edited);
    backprop.load(expr, edited);
    $("expr-text").textContent = example.formula;
    $<HTMLButtonElement>("back-step").disabled = false;
    $("leaves").replaceChildren(
      ...example.leaves.map(([name]) => {
        const input = document.createElement("input");
        input.type = "number";
        input.step = "any";
        input.id = `leaf-${name}`;
        input.value = String(values[name]);
        input.addEventListener("change", leavesChanged);
        const label = document.createElement("label");
        label.append(name, input);
        return label;
      }),
    );
  };

  /** An input of the expression was edited: rebuild it with the new values. */
  const leavesChanged = (): void => {
    const example = EXAMPLES[settings.current().expr];
    const defaults = example.leaves.map(([, d]) => d);
    const values = example.leaves.map(([name], i) => {
      const v = Number($<HTMLInputElement>(`leaf-${name}`).value);
      return Number.isFinite(v) && $<HTMLInputElement>(`leaf-${name}`).value !== "" ? v : defaults[i];
    });
    settings.replace({
      ...settings.current(),
      values: values.every((v, i) => v === defaults[i]) ? [] : values,
    });
    loadExample();
  };

  $("expr").addEventListener("change", () => {
    settings.replace({ ...readControls(settings.current()).settings, values: [] });
    loadExample();
  });
  $("back-step").addEventListener("click", () => {
    backprop.step();
    $<HTMLButtonElement>("back-step").disabled = backprop.finished;
  });
  $("back-all").addEventListener("click", () => {
    while (!backprop.finished) backprop.step();
    $<HTMLButtonElement>("back-step").disabled = true;
  });
  $("back-reset").addEventListener("click", () => {
    backprop.reset();
    $<HTMLButtonElement>("back-step").disabled = false;
  });
  return loadExample;
}
