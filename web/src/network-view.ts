// The network drawn as columns of neurons: each hidden neuron is a small heatmap of its output
// over the plane, each weight a line (width = size, colour = sign). Hovering a line (or a neuron,
// for its bias), or moving through them with the arrow keys, shows the value and gradient;
// clicking one (or Enter) edits its value, and a hidden neuron under the mouse (or selected) is
// shown on the big plot.
import { signColor } from "./colors.ts";
import { FEATURE_LABEL, featureRows } from "./features.ts";
import { gridCanvas, paintBoundary, paintClass, paintNeuron, paintSigned } from "./heatmap.ts";
import type { Domain } from "./problem.ts";
import { GRID, type Progress } from "./protocol.ts";
import type { Feature } from "./settings.ts";

const SVG = "http://www.w3.org/2000/svg";
const NODE = 44;
const COLUMN = 120;
const ROW = 54;

/** Something to inspect: a weight (a line) or a bias (a neuron), in parameter order. */
interface Item {
  readonly el: Element;
  /** Index of the parameter in the parameter array. */
  readonly param: number;
  readonly name: string;
  /** For a bias: the hidden neuron's index among all hidden neurons (-1 for an output). */
  readonly hidden: number;
}

/** What the view tells the page. */
export interface NetworkEvents {
  /** Hidden neuron `k` (counting all hidden neurons in order) is under the mouse or selected; null: none. */
  readonly onNeuron: (k: number | null) => void;
  /** The visitor set parameter `param` (in `MLP.parameters()` order) to `value`. */
  readonly onEdit: (param: number, value: number) => void;
}

/** The inputs of the network: which features, over which square of the plane. */
export interface Inputs {
  readonly features: readonly Feature[];
  readonly domain: Domain;
}

/** The drawn network; `update` repaints it from the worker's progress. */
export class NetworkView {
  readonly #host: HTMLElement;
  readonly #info: HTMLElement;
  #items: Item[] = [];
  #lines: Item[] = [];
  #neurons: HTMLCanvasElement[] = [];
  #outputs: HTMLCanvasElement[] = [];
  #shape = "";
  #selected = -1;
  #last: Progress | null = null;
  readonly #events: NetworkEvents;
  readonly #editor: HTMLElement;

  constructor(host: HTMLElement, info: HTMLElement, editor: HTMLElement, events: NetworkEvents) {
    this.#host = host;
    this.#info = info;
    this.#editor = editor;
    this.#events = events;
    host.tabIndex = 0;
    host.setAttribute("role", "group");
    host.setAttribute("aria-label", "Network weights and biases: use the arrow keys to go through them");
    host.addEventListener("mouseover", (e) => {
      const i = this.#items.findIndex((item) => item.el === e.target);
      if (i >= 0) this.#select(i);
    });
    host.addEventListener("mouseleave", () => {
      if (document.activeElement !== host) this.#events.onNeuron(null);
    });
    host.addEventListener("blur", () => this.#events.onNeuron(null));
    host.addEventListener("click", (e) => {
      const i = this.#items.findIndex((item) => item.el === e.target);
      if (i >= 0) {
        this.#select(i);
        this.#edit();
      }
    });
    host.addEventListener("keydown", (e) => {
      if (this.#items.length === 0) return;
      if (e.key === "Enter" && this.#selected >= 0) {
        e.preventDefault();
        this.#edit();
        return;
      }
      const delta =
        e.key === "ArrowRight" || e.key === "ArrowDown"
          ? 1
          : e.key === "ArrowLeft" || e.key === "ArrowUp"
            ? -1
            : 0;
      if (delta === 0) return;
      e.preventDefault();
      const n = this.#items.length;
      this.#select(((((this.#selected < 0 ? (delta > 0 ? -1 : 0) : this.#selected) + delta) % n) + n) % n);
    });
  }

  /** Repaints from progress; rebuilds when the network's shape (or its inputs) changed. */
  update(p: Progress, classes: number, inputs: Inputs): void {
    this.#last = p;
    const shape = `${inputs.features.join(",")} ${JSON.stringify(inputs.domain)} ${p.sizes.join("-")}`;
    if (shape !== this.#shape) {
      this.#build(p.sizes, inputs.features);
      this.#shape = shape;
      this.#inputs.forEach((canvas, k) => {
        paintInput(canvas, inputs.features[k], inputs.domain);
      });
    }
    const cells = p.hidden.length / Math.max(1, this.#neurons.length);
    this.#neurons.forEach((canvas, k) => {
      paintNeuron(canvas, p.hidden, k * cells);
    });
    // One output: the decision boundary. Several (softmax): each shows how likely its class is.
    const outputs = this.#outputs;
    if (classes === 1) paintSigned(outputs[0], p.probs, 0, 1);
    else if (outputs.length === 1) paintBoundary(outputs[0], p.probs, Math.max(2, classes));
    else
      outputs.forEach((canvas, k) => {
        paintClass(canvas, p.probs, outputs.length, k);
      });
    let largest = 0;
    for (const e of this.#lines) largest = Math.max(largest, Math.abs(p.params[e.param]));
    for (const e of this.#lines) {
      const w = p.params[e.param];
      e.el.setAttribute("stroke", signColor(w));
      e.el.setAttribute("stroke-width", (0.5 + (4 * Math.abs(w)) / (largest || 1)).toFixed(2));
    }
    if (this.#selected >= 0) this.#describe();
  }

  #inputs: HTMLCanvasElement[] = [];

  #build(sizes: readonly number[], features: readonly Feature[]): void {
    this.#selected = -1;
    this.#editor.replaceChildren();
    this.#info.textContent =
      "Hover a weight or a neuron, or focus the network and use the arrow keys; click one (or press Enter) to edit it.";
    const columns = [features.length, ...sizes];
    const tallest = Math.max(...columns);
    const width = COLUMN * (columns.length - 1) + NODE + 40;
    const height = ROW * tallest + 20;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("aria-hidden", "true");
    const at = (col: number, row: number): [number, number] => [
      20 + col * COLUMN,
      10 + (height - 20 - columns[col] * ROW) / 2 + row * ROW + (ROW - NODE) / 2,
    ];
    const canvases: HTMLCanvasElement[][] = [];
    const neurons: HTMLCanvasElement[] = [];
    const outputs: HTMLCanvasElement[] = [];
    const nodes: SVGForeignObjectElement[] = [];
    const inputs: HTMLCanvasElement[] = [];
    columns.forEach((count, col) => {
      canvases.push([]);
      for (let row = 0; row < count; row++) {
        const [x, y] = at(col, row);
        const fo = document.createElementNS(SVG, "foreignObject");
        fo.setAttribute("x", String(x));
        fo.setAttribute("y", String(y));
        fo.setAttribute("width", String(NODE));
        fo.setAttribute("height", String(NODE));
        const canvas = gridCanvas();
        canvas.className = "neuron";
        if (col === 0) inputs.push(canvas);
        else if (col === columns.length - 1) outputs.push(canvas);
        else neurons.push(canvas);
        canvases[col].push(canvas);
        fo.append(canvas);
        nodes.push(fo);
      }
    });
    const name = (col: number, row: number): string =>
      col === 0
        ? FEATURE_LABEL[features[row]]
        : col === columns.length - 1
          ? `out${columns[col] > 1 ? row + 1 : ""}`
          : `h${col}.${row + 1}`;
    const items: Item[] = [];
    let param = 0;
    let hidden = 0;
    for (let l = 1; l < columns.length; l++) {
      const nin = columns[l - 1];
      for (let j = 0; j < columns[l]; j++) {
        const [x2, y2] = at(l, j);
        for (let i = 0; i < nin; i++) {
          const [x1, y1] = at(l - 1, i);
          const line = document.createElementNS(SVG, "line");
          line.setAttribute("x1", String(x1 + NODE));
          line.setAttribute("y1", String(y1 + NODE / 2));
          line.setAttribute("x2", String(x2));
          line.setAttribute("y2", String(y2 + NODE / 2));
          line.classList.add("weight");
          svg.append(line);
          items.push({
            el: line,
            param: param++,
            name: `weight ${name(l - 1, i)} → ${name(l, j)}`,
            hidden: -1,
          });
        }
        const k = l < columns.length - 1 ? hidden++ : -1;
        items.push({ el: canvases[l][j], param: param++, name: `bias of ${name(l, j)}`, hidden: k });
      }
    }
    svg.append(...nodes);
    // Input labels beside their heatmaps (the features' names).
    for (let row = 0; row < columns[0]; row++) {
      const [x, y] = at(0, row);
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", String(x + NODE / 2));
      t.setAttribute("y", String(y - 2));
      t.setAttribute("text-anchor", "middle");
      t.classList.add("input-name");
      t.textContent = name(0, row);
      svg.append(t);
    }
    const labels = ["input", ...sizes.slice(0, -1).map((_, i) => `layer ${i + 1}`), "output"];
    labels.forEach((text, col) => {
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", String(20 + col * COLUMN + NODE / 2));
      t.setAttribute("y", String(height - 2));
      t.setAttribute("text-anchor", "middle");
      t.textContent = text;
      svg.append(t);
    });
    this.#items = items;
    this.#lines = items.filter((item) => item.el instanceof SVGLineElement);
    this.#neurons = neurons;
    this.#outputs = outputs;
    this.#inputs = inputs;
    this.#host.replaceChildren(svg);
  }

  #select(i: number): void {
    this.#items[this.#selected]?.el.classList.remove("selected");
    this.#selected = i;
    this.#items[i].el.classList.add("selected");
    this.#describe();
    const k = this.#items[i].hidden;
    this.#events.onNeuron(k >= 0 ? k : null);
  }

  /** Opens the editor of the selected weight or bias: a number field; Enter or leaving it sets it. */
  #edit(): void {
    const e = this.#items[this.#selected];
    const p = this.#last;
    if (e === undefined || p === null) return;
    const input = document.createElement("input");
    input.type = "text";
    input.inputMode = "decimal";
    input.id = "param-value";
    input.value = String(Number(p.params[e.param].toFixed(4)));
    const label = document.createElement("label");
    label.append(`Set ${e.name} to `, input);
    const note = document.createElement("output");
    note.className = "error";
    let done = false;
    const commit = (): void => {
      if (done) return;
      const v = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(v)) {
        note.textContent = `"${input.value}" is not a number`;
        return;
      }
      done = true;
      this.#editor.replaceChildren();
      this.#events.onEdit(e.param, v);
      this.#host.focus();
    };
    input.addEventListener("keydown", (k) => {
      if (k.key === "Enter") commit();
      if (k.key === "Escape") {
        done = true;
        this.#editor.replaceChildren();
        this.#host.focus();
      }
    });
    input.addEventListener("change", commit);
    this.#editor.replaceChildren(label, note);
    input.focus();
    input.select();
  }

  #describe(): void {
    const e = this.#items[this.#selected];
    const p = this.#last;
    if (e === undefined || p === null) return;
    const w = p.params[e.param];
    const g = p.grads[e.param];
    this.#info.textContent = `${e.name}: value ${w.toFixed(4)}, gradient ${g.toFixed(5)} (step ${p.step})`;
  }
}

/** An input neuron shows its feature over the plane (x grows to the right, y upwards). */
function paintInput(canvas: HTMLCanvasElement, feature: Feature, domain: Domain): void {
  const points = new Float64Array(2 * GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      points[2 * (r * GRID + c)] = domain.x0 + (domain.size * (c + 0.5)) / GRID;
      points[2 * (r * GRID + c) + 1] = domain.y0 + domain.size * (1 - (r + 0.5) / GRID);
    }
  }
  paintNeuron(canvas, Float32Array.from(featureRows([feature], points, GRID * GRID)), 0);
}
