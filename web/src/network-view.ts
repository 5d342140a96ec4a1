// The network drawn as columns of neurons: each hidden neuron is a small heatmap of its output
// over the plane, each weight a line (width = size, colour = sign). Hovering a line (or a neuron,
// for its bias), or moving through them with the arrow keys, shows the value and gradient.
import { signColor } from "./colors.ts";
import { gridCanvas, paintBoundary, paintClass, paintNeuron } from "./heatmap.ts";
import type { Progress } from "./protocol.ts";

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

  constructor(host: HTMLElement, info: HTMLElement) {
    this.#host = host;
    this.#info = info;
    host.tabIndex = 0;
    host.setAttribute("role", "group");
    host.setAttribute("aria-label", "Network weights and biases: use the arrow keys to go through them");
    host.addEventListener("mouseover", (e) => {
      const i = this.#items.findIndex((item) => item.el === e.target);
      if (i >= 0) this.#select(i);
    });
    host.addEventListener("keydown", (e) => {
      if (this.#items.length === 0) return;
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

  /** Repaints from progress; rebuilds when the network's shape changed. */
  update(p: Progress, classes: number): void {
    this.#last = p;
    const shape = p.sizes.join("-");
    if (shape !== this.#shape) this.#build(p.sizes);
    const cells = p.hidden.length / Math.max(1, this.#neurons.length);
    this.#neurons.forEach((canvas, k) => {
      paintNeuron(canvas, p.hidden, k * cells);
    });
    // One output: the decision boundary. Several (softmax): each shows how likely its class is.
    const outputs = this.#outputs;
    if (outputs.length === 1) paintBoundary(outputs[0], p.probs, Math.max(2, classes));
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

  #build(sizes: readonly number[]): void {
    this.#shape = sizes.join("-");
    this.#selected = -1;
    this.#info.textContent = "Hover a weight or a neuron, or focus the network and use the arrow keys.";
    const columns = [2, ...sizes];
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
        if (col === 0) paintInput(canvas, row);
        else if (col === columns.length - 1) outputs.push(canvas);
        else neurons.push(canvas);
        canvases[col].push(canvas);
        fo.append(canvas);
        nodes.push(fo);
      }
    });
    const name = (col: number, row: number): string =>
      col === 0
        ? `x${row + 1}`
        : col === columns.length - 1
          ? `out${columns[col] > 1 ? row + 1 : ""}`
          : `h${col}.${row + 1}`;
    const items: Item[] = [];
    let param = 0;
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
          items.push({ el: line, param: param++, name: `weight ${name(l - 1, i)} → ${name(l, j)}` });
        }
        items.push({ el: canvases[l][j], param: param++, name: `bias of ${name(l, j)}` });
      }
    }
    svg.append(...nodes);
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
    this.#host.replaceChildren(svg);
  }

  #select(i: number): void {
    this.#items[this.#selected]?.el.classList.remove("selected");
    this.#selected = i;
    this.#items[i].el.classList.add("selected");
    this.#describe();
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

/** The input neurons show x1 (left to right) and x2 (bottom to top). */
function paintInput(canvas: HTMLCanvasElement, which: number): void {
  const n = canvas.width;
  const values = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) values[r * n + c] = which === 0 ? c / (n - 1) - 0.5 : 0.5 - r / (n - 1);
  }
  paintNeuron(canvas, values, 0);
}
